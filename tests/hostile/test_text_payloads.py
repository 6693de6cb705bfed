"""HTML and JavaScript in every text field: every text column of every row the module factories make holds a
script payload, then every page the cast may open is read; no page may carry the payload unescaped.

The payload is written straight into the database (past any form), so the test proves the output side: every
template escapes, and the news body goes through the allow-list sanitiser when shown. Forms' own refusals
(`javascript:` links, over-long text, impossible dates) are tested in test_form_limits.py."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from lienhiep.core.access import OBJECT_CHECKED, PUBLIC, ROLE_RESTRICTED
from tests.test_url_access import all_patterns, classify, private_attachment, protected_urls  # noqa: F401

LONG = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
SHORT = "<script>alert(1)</script>"
RAW = ("<script>alert(1)", "<img src=x onerror")
JS_URL = "javascript:alert(1)"
PROJECT_APPS = {"core", "portal", "experts", "outreach", "advisory", "contests"}
# Columns that are not free text: machine keys, derived search/sort columns, secrets and file bookkeeping.
SKIP = {
    "password",
    "username",
    "slug",
    "sort_key",
    "search_text",
    "sha256",
    "extension",
    "mime_type",
    "token",
    "secret",
    "code",
    "display_code",
    "history_change_reason",
    "history_type",
    "number",
    "language",
    "timezone",
}

INJECTED: list[str] = []
ECHOED: list[str] = []


def _text_fields(model) -> list[models.Field]:
    fields = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField) or f.choices or f.name in SKIP:
            continue
        if isinstance(f, models.EmailField | models.SlugField) or f.name.endswith(("_key", "_text", "_code")):
            continue
        if isinstance(f, models.CharField) and not isinstance(f, models.URLField) and f.max_length < len(SHORT):
            continue
        fields.append(f)
    return fields


def inject_everywhere() -> int:
    """Put the payload in every free-text column of every row of the project's tables; returns how many
    (table, column) pairs hold it."""
    count = 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        rows = list(model._base_manager.values_list("pk", flat=True))
        for f in fields:
            INJECTED.append(f"{model._meta.label}.{f.name}")
        count += len(fields)
        for pk in rows:
            values = {}
            for f in fields:
                if isinstance(f, models.URLField):
                    values[f.attname] = JS_URL
                    continue
                text = LONG if f.max_length is None or f.max_length >= len(LONG) + 12 else SHORT
                values[f.attname] = f"{text} {pk}"[: f.max_length] if f.max_length else f"{text} {pk}"
            model._base_manager.filter(pk=pk).update(**values)
    return count


def _client_for_access(access, cast, clients):
    if access.level == ROLE_RESTRICTED:
        for role in ("staff", "leader", "union_admin", "platform_admin", "expert", "agency_rep", "entrant"):
            if role in access.roles:
                return clients[role]
    return clients["staff"]


def _public_pages(cast) -> list[str]:
    """Public pages without parameters besides the Union's address, and the site search fed the payload."""
    urls = []
    for name, route, callback in all_patterns():
        access = classify(name, callback)
        if not name or access is None or access.level != PUBLIC:
            continue
        if "<" not in route.replace("<slug:union_slug>", ""):
            kwargs = {"union_slug": cast.union.slug} if "union_slug" in route else {}
            urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_no_page_shows_a_stored_script_unescaped(cast, client_for, private_attachment):  # noqa: F811
    pages = list(protected_urls(cast, private_attachment))  # builds one object of every kind first
    fields = inject_everywhere()
    assert fields > 100, f"only {fields} text columns hold the payload"
    roles = cast.users_by_role()
    clients = {role: client_for(user) for role, user in roles.items()}
    anonymous = client_for(None)
    failures, read = [], 0
    targets = [(name, url, _client_for_access(access, cast, clients), access) for name, url, access in pages]
    targets += [(url, url, anonymous, None) for url in _public_pages(cast)]
    for name, url, client, access in targets:
        response = client.get(url)
        if access is not None and access.level == OBJECT_CHECKED and response.status_code in (403, 404):
            for role in ("expert", "agency_rep", "entrant", "leader"):
                response = clients[role].get(url)
                if response.status_code == 200:
                    break
        if response.status_code >= 500:
            failures.append(f"{name} {url}: status {response.status_code}")
            continue
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        read += 1
        body = response.content.decode()
        for raw in RAW:
            if raw in body:
                at = body.index(raw)
                failures.append(f"{name} {url}: unescaped «{body[max(0, at - 80) : at + 40]}»")
        if 'href="javascript:' in body.replace("'", '"'):
            failures.append(f"{name} {url}: a javascript: link")
    print(f"\ntext payloads: {fields} text columns injected, {read} pages read")
    assert read > 80, f"only {read} pages were read"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("payload", [SHORT, LONG, JS_URL])
def test_search_and_filters_echo_the_query_escaped(payload, cast, client_for):
    client = client_for(cast.staff)
    pages = [
        reverse("core:people_list", kwargs={"union_slug": "kontum"}),
        reverse("core:agencies_list", kwargs={"union_slug": "kontum"}),
        reverse("experts:list", kwargs={"union_slug": "kontum"}),
    ]
    public = client_for(None)
    for url in pages:
        ECHOED.append(url)
        body = client.get(url, {"q": payload, "kind": payload}).content.decode()
        assert not any(raw in body for raw in RAW), url
    for name in ("portal:search", "portal:article_list", "portal:document_list"):
        url = reverse(name, kwargs={"union_slug": "kontum"})
        ECHOED.append(url)
        response = public.get(url, {"q": payload})
        assert response.status_code == 200, url
        assert not any(raw in response.content.decode() for raw in RAW), url
