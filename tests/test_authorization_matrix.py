"""Authorization matrix: every URL pattern × every role a person can hold towards it, with the expected outcome.

Rows are the roles of tests/authz/world.py (anonymous, entrant of entry A, entrant of another entry, experts on /
off / conflicted on the advisory council, judges before and after locking their sheet, the requesting agency's
representative and another agency's, staff, leader, Union administrator, another Union's staff, platform
administrator). Columns are the URL patterns, with arguments naming objects of one consistent Kon Tum world.
tests/authz/expected.py says, per URL name, which rows get in (200, a redirect other than to the login page, or
405 for a method the page does not take); every other row must be refused (403/404; the login page for the
anonymous visitor) and a refused POST must leave the database unchanged.

Every cell runs in a savepoint rolled back afterwards, so the world is built once and a POST that an allowed row
makes (a state change) does not leak into the next cell. The test fails when a URL pattern has no expectation,
when an expectation names a URL that no longer exists, or when a role has no row.

Object-level cases: every URL taking an object's id is also asked with Kon Tum's ids under the Quảng Ngãi Union's
address (by its staff, and by the platform administrator), and a sample of URLs with Quảng Ngãi's objects' ids under
Kon Tum's address (by Kon Tum's staff, leader and administrator): all 404, for GET, POST and htmx requests.
"""

import os
import re
from collections import Counter
from copy import deepcopy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from lienhiep.core import services as core_services
from lienhiep.core.access import OBJECT_CHECKED, PUBLIC, ROLE_RESTRICTED
from lienhiep.core.models import ActivityLog, Role
from lienhiep.portal import models as portal
from tests.authz import world as world_module
from tests.authz.expected import EXPECTED, HTMX_ROWS
from tests.portal import url_args as portal_url_args
from tests.test_csp import INLINE_SCRIPT, STYLE_ATTR, STYLE_TAG
from tests.test_url_access import OBJECT_ARGS, PDF_BYTES, all_patterns, classify, is_login_redirect

ON_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
ADMITTED = "admitted"
METHOD = "method"
REFUSED = "refused"
LOGIN = "login"

# A plausible form: the fields most of our forms take, so a POST that gets past a missing check would change data.
FORM = {
    "name": "Đổi tên trái phép",
    "title": "Sửa trái phép",
    "summary": "x",
    "reason": "x",
    "text": "x",
    "note": "x",
    "is_active": "on",
    "role": "union_admin",
}


def public_args(cast, world) -> dict:
    """Arguments of the public pages that take some: the sample objects (a draft article and a draft
    publication, a contest in judging: the public must not find them) and a few published ones."""
    objects = portal_url_args.objects(cast)
    published = portal.Article.objects.create(
        union=cast.union,
        title="Hội nghị tổng kết",
        lead="Tóm tắt.",
        body="Nội dung.",
        status=portal.Article.Status.PUBLISHED,
        published_at=objects["published"].published_at,
    )
    ed = world.contest["edition"]
    return {
        "portal:document_detail": {"pk": cast.public_document.pk},
        "portal:article_image": {"pk": objects["image"].pk},
        "portal:article_detail": {"slug": published.slug},
        "portal:publication_detail": {"pk": objects["published"].pk},
        "portal:certificate_check_code": {"code": objects["certificate"].code},
        "contests:public_edition": {"pk": ed.pk},
        "contests:public_results": {"pk": ed.pk},
        "account_confirm_email": {"key": "khong-hop-le"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "khong-hop-le"},
    }


def columns(cast, world, attachment):
    """(name, route, access, kwargs) of every URL pattern, with the world's objects in its arguments."""
    extra = public_args(cast, world)
    for name, route, callback in all_patterns():
        if route.startswith("static") or not name:
            continue
        access = classify(name, callback)
        if name in extra:
            kwargs = dict(extra[name])
        elif name in OBJECT_ARGS:
            kwargs = OBJECT_ARGS[name](cast, attachment)
        else:
            assert "<" not in route.replace("<slug:union_slug>", "").replace("<", "", 0), f"{name}: give arguments"
            kwargs = {}
        if "union_slug" in route:
            kwargs["union_slug"] = cast.union.slug
        yield name, route, access, kwargs


def outcome(response) -> str:
    status = response.status_code
    if is_login_redirect(response):
        return LOGIN
    if status in (403, 404):
        return REFUSED
    if status == 405:
        return METHOD  # the page does not take this method: says nothing about who may open it
    if status in (200, 202, 302, 400):  # 202: an issued document whose PDF the worker is still making
        return ADMITTED
    return f"status {status}"


def csp_problems(response) -> list[str]:
    """What the strict Content Security Policy would block on an HTML page (or a missing policy header)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    problems = [] if "script-src 'self'" in response.get("Content-Security-Policy", "") else ["no CSP header"]
    for what, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTR),
        ("style element", STYLE_TAG),
    ):
        if pattern.search(html):
            problems.append(f"{what} (blocked by the CSP)")
    if ON_ATTR.search(html):
        problems.append("on* event attribute (blocked by the CSP)")
    return problems


def ask(client, method: str, url: str, *, htmx: bool = False):
    """One request in a savepoint rolled back at once; returns the response and whether the activity log grew."""
    headers = {"HX-Request": "true"} if htmx else {}
    cookies = deepcopy(client.cookies)  # a POST may sign out or switch the language: the next cell starts afresh
    with transaction.atomic():
        before = ActivityLog.objects.count()
        if method == "get":
            response = client.get(url, headers=headers)
        else:
            response = client.post(url, FORM, headers=headers)
        changed = ActivityLog.objects.count() != before
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, changed


# Kon Tum's pages asked with the Quảng Ngãi Union's objects' ids (a sample: one kind of record per module).
FOREIGN_IDS = {
    "agency": ["core:agencies_detail", "core:agencies_edit"],
    "association": ["core:associations_detail", "core:associations_edit"],
    "person": ["core:people_detail", "core:people_edit"],
    "document": ["portal:document_manage", "portal:document_edit", "portal:document_detail"],
    "expert": ["experts:detail", "experts:edit", "experts:relation_add"],
    "case": [
        "advisory:case_detail", "advisory:case_edit", "advisory:draft", "advisory:council", "advisory:reviews",
        "advisory:answers", "advisory:file_upload", "advisory:report_docx",
    ],
    "edition": [
        "contests:edition", "contests:edition_edit", "contests:entries", "contests:entry_create",
        "contests:results", "contests:awards", "contests:publish", "contests:public_edition",
    ],
    "session": ["outreach:session_detail", "outreach:session_edit", "outreach:minutes_edit"],
}  # fmt: skip


def cross_union(cols, world, clients, cells: Counter, problems: list[str]) -> None:
    """Ids of one Union's objects under the other Union's address: not found, whatever the method."""
    cast = world.cast
    outsider_slug = cast.outsider_union.slug
    for name, route, access, kwargs in cols:
        if "union_slug" not in route or not set(kwargs) - {"union_slug"}:
            continue
        url = reverse(name, kwargs={**kwargs, "union_slug": outsider_slug})
        if name == "portal:certificate_check_code":  # the check page always answers: it must not vouch for it
            html = clients["outsider_staff"].get(url).content.decode()
            cells["other Union's address"] += 1
            if "Y Blong" in html:  # the holder of the Kon Tum certificate
                problems.append(f"another Union's page vouches for Kon Tum's certificate: {url}")
            continue
        for row in ("outsider_staff", "platform_admin"):
            # Past the role check (outsider staff hold `staff` there), the Kon Tum object must not be found.
            passes_role_check = (
                access.level != ROLE_RESTRICTED or Role.STAFF in access.roles and row != "platform_admin"
            )
            asks = (("get", False), ("post", False), ("get", True)) if row == "outsider_staff" else (("get", False),)
            for method, htmx in asks:
                response, changed = ask(clients[row], method, url, htmx=htmx)
                cells["other Union's address"] += 1
                wanted = {404} if passes_role_check else {403, 404}
                if response.status_code not in wanted | {405} or changed:
                    problems.append(f"{row:18} {method} htmx={htmx} {url} (Kon Tum id) → {response.status_code}")
    foreign = world_module.outsider_objects(cast)
    for kind, names in FOREIGN_IDS.items():
        for name in names:
            url = reverse(name, kwargs={"union_slug": cast.union.slug, "pk": foreign[kind].pk})
            for row in ("staff", "leader", "union_admin"):
                for method, htmx in (("get", False), ("post", False), ("post", True)):
                    response, changed = ask(clients[row], method, url, htmx=htmx)
                    cells["other Union's ids"] += 1
                    if response.status_code not in (403, 404, 405) or changed:
                        problems.append(f"{row:18} {method} htmx={htmx} {url} (Quảng Ngãi id) → {response.status_code}")


@pytest.fixture
def attachment(cast):
    upload = SimpleUploadedFile("kế hoạch.pdf", PDF_BYTES, content_type="application/pdf")
    return core_services.attach_file(actor=cast.staff, union=cast.union, owner=cast.private_document, upload=upload)


def test_every_role_has_a_row_and_every_url_an_expectation():
    assert {role for role in world_module.ROWS.values() if role} == set(Role), "a role has no row in the matrix"
    names = {name for name, route, _cb in all_patterns() if name and not route.startswith("static")}
    missing = sorted(names - set(EXPECTED))
    assert not missing, "Say who may open these URLs in tests/authz/expected.py:\n" + "\n".join(missing)
    stale = sorted(set(EXPECTED) - names)
    assert not stale, "These URLs no longer exist; drop them from tests/authz/expected.py:\n" + "\n".join(stale)
    for name, rows in EXPECTED.items():
        assert rows <= set(world_module.ROWS), f"{name}: unknown rows {rows - set(world_module.ROWS)}"


@pytest.mark.slow
def test_authorization_matrix(cast, client_for, attachment, capsys, monkeypatch):
    import time

    started = time.perf_counter()
    world = world_module.build(cast)
    cols = list(columns(cast, world, attachment))
    built = time.perf_counter() - started
    clients = {row: client_for(user) for row, user in world.users.items()}
    record = os.environ.get("LIENHIEP_RECORD_MATRIX")
    observed: dict[str, set[str]] = {}
    problems: list[str] = []
    cells = Counter()
    import time

    timings = []
    for name, _route, access, kwargs in cols:
        url = reverse(name, kwargs=kwargs)
        allowed_rows = EXPECTED.get(name, frozenset())
        observed[name] = set()
        column_started = time.perf_counter()
        refused_by_role: set[str] = set()
        for row, client in clients.items():
            outcomes = {}
            # Rows whose Union role the page's decorator does not list are refused before any view code runs: one
            # POST per such role is enough (every row still has its GET checked).
            role = world_module.ROWS[row]
            by_decorator = access.level == ROLE_RESTRICTED and role and role not in access.roles and not record
            for method in ("get", "post"):
                if method == "post" and row in allowed_rows and outcomes["get"][0] == ADMITTED:
                    continue  # an admitted row's POST is an action of its own (module tests cover it); saves time
                if method == "post" and by_decorator and row != "outsider_staff" and role in refused_by_role:
                    continue
                response, changed = ask(client, method, url)
                cells[method.upper()] += 1
                if method == "get" and response.status_code == 200:
                    problems.extend(f"{row:18} {name}: {p}" for p in csp_problems(response))
                outcomes[method] = (outcome(response), response.status_code, changed)
                if method == "post" and by_decorator:
                    refused_by_role.add(role)
            got = {o for o, _s, _c in outcomes.values()} - {"method"}
            if ADMITTED in got:
                observed[name].add(row)
            if record:
                continue
            detail = " ".join(f"{m.upper()} {s}{' changed' if c else ''}" for m, (o, s, c) in outcomes.items())
            if row in allowed_rows:
                if got != {ADMITTED}:
                    problems.append(f"{row:18} {name} {url}: {detail} (expected to get in)")
            else:
                # The anonymous visitor is sent to sign in, except on a public page (an unpublished object is a 404)
                # and at a private file's address (the 404 of a missing file: the address must not tell it exists).
                want = {LOGIN} if row == "anonymous" and access.level not in (PUBLIC, OBJECT_CHECKED) else {REFUSED}
                if row == "anonymous" and access.level == PUBLIC:
                    want = {REFUSED, LOGIN}  # a sign-in step out of turn (2FA, login code) goes back to sign in
                changed = any(c for _o, _s, c in outcomes.values())
                if not got <= want or changed:
                    problems.append(f"{row:18} {name} {url}: {detail} (expected {'/'.join(sorted(want))})")
                if row in HTMX_ROWS:
                    for method in ("get", "post"):
                        response, changed = ask(client, method, url, htmx=True)
                        cells["htmx " + method.upper()] += 1
                        got_htmx = outcome(response)
                        if got_htmx not in (REFUSED, LOGIN, METHOD) or changed:
                            problems.append(f"{row:18} htmx {method} {name} → {response.status_code} (refused)")
        timings.append((time.perf_counter() - column_started, name))
    if os.environ.get("LIENHIEP_MATRIX_TIMINGS"):
        print(sorted(timings)[-25:])
    walked = time.perf_counter() - started - built
    if not record:
        cross_union(cols, world, clients, cells, problems)
    if os.environ.get("LIENHIEP_MATRIX_TIMINGS"):
        print(
            f"built {built:.1f}s, walked {walked:.1f}s,"
            f" cross-union {time.perf_counter() - started - built - walked:.1f}s"
        )
    if record:
        with open(record, "w") as out:
            for name in sorted(observed):
                out.write(f"{name}\t{','.join(sorted(observed[name]))}\n")
        return
    total = sum(cells.values())
    with capsys.disabled():
        print(
            f"\nauthorization matrix: {len(cols)} URLs × {len(clients)} roles:"
            f" {total} URL×role cells checked {dict(cells)}"
        )
    assert not problems, f"{len(problems)} cells differ from tests/authz/expected.py:\n" + "\n".join(problems)
    assert len(cols) >= 200 and len(clients) == len(world_module.ROWS) and total >= 2 * 200 * 15
