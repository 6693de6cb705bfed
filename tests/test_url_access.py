"""Security harness: every URL pattern is classified, and every non-public one refuses the anonymous visitor and
the staff of another Union; role-restricted ones refuse every role they do not list.

When a later module adds a URL, this test fails until the URL is classified (by a decorator from
lienhiep.core.access) and, if it takes parameters, given sample arguments in OBJECT_ARGS below."""

import importlib
import importlib.util

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lienhiep.core import services
from lienhiep.core.access import (
    AUTHENTICATED,
    OBJECT_CHECKED,
    PUBLIC,
    ROLE_RESTRICTED,
    THIRD_PARTY_ACCESS,
    access_of,
)
from lienhiep.core.models import ActivityLog, Membership

from .conftest import Cast

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def all_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, prefix + str(entry.pattern), entry.callback


def classify(name, callback):
    access = access_of(callback)
    if access is None and name:
        access = THIRD_PARTY_ACCESS.get(name.split(":")[-1])
    return access


@pytest.fixture
def private_attachment(cast: Cast):
    upload = SimpleUploadedFile("kế hoạch.pdf", PDF_BYTES, content_type="application/pdf")
    return services.attach_file(actor=cast.staff, union=cast.union, owner=cast.private_document, upload=upload)


# Sample arguments for every non-public pattern that takes parameters: objects of the Kon Tum Union.
# Each module keeps its own in tests/<module>/url_args.py as URL_ARGS (same shape); they are merged below.
CORE_ARGS = {
    "core:dashboard": lambda c, a: {},
    "core:members": lambda c, a: {},
    "core:union_settings": lambda c, a: {},
    "core:membership_toggle": lambda c, a: {"pk": Membership.objects.get(user=c.staff).pk},
    "core:attachment_upload": lambda c, a: {"model": "portal.legaldocument", "pk": c.private_document.pk},
    "core:attachment_delete": lambda c, a: {"pk": a.pk},
    "core:attachment_download": lambda c, a: {"pk": a.pk},
    "core:agencies_list": lambda c, a: {},
    "core:agencies_create": lambda c, a: {},
    "core:agencies_detail": lambda c, a: {"pk": c.agency.pk},
    "core:agencies_edit": lambda c, a: {"pk": c.agency.pk},
    "core:associations_list": lambda c, a: {},
    "core:associations_create": lambda c, a: {},
    "core:associations_detail": lambda c, a: {"pk": c.association.pk},
    "core:associations_edit": lambda c, a: {"pk": c.association.pk},
    "core:people_list": lambda c, a: {},
    "core:people_create": lambda c, a: {},
    "core:people_detail": lambda c, a: {"pk": c.person.pk},
    "core:people_edit": lambda c, a: {"pk": c.person.pk},
    "core:place_detail": lambda c, a: {"pk": c.district.pk},
    "portal:document_manage_list": lambda c, a: {},
    "portal:document_create": lambda c, a: {},
    "portal:document_manage": lambda c, a: {"pk": c.private_document.pk},
    "portal:document_edit": lambda c, a: {"pk": c.private_document.pk},
}
OBJECT_ARGS = {
    **CORE_ARGS,
    **{
        name: make_args
        for module in ("experts", "outreach", "portal", "advisory", "contests", "paperwork", "national")
        if importlib.util.find_spec(f"tests.{module}.url_args")
        for name, make_args in importlib.import_module(f"tests.{module}.url_args").URL_ARGS.items()
    },
}


def protected_urls(cast: Cast, attachment):
    """(name, url, access) of every non-public pattern we own, with Kon Tum's objects in the URL."""
    for name, route, callback in all_patterns():
        access = classify(name, callback)
        if access is None or access.level == PUBLIC or name in THIRD_PARTY_ACCESS or not name:
            continue
        if name.split(":")[-1] in THIRD_PARTY_ACCESS:
            continue
        assert name in OBJECT_ARGS or "<" not in route.replace("<slug:union_slug>", ""), (
            f"{name} takes parameters: add it to OBJECT_ARGS"
        )
        kwargs = OBJECT_ARGS.get(name, lambda c, a: {})(cast, attachment)
        if "union_slug" in route:
            kwargs["union_slug"] = cast.union.slug
        yield name, reverse(name, kwargs=kwargs), access


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_every_url_pattern_is_classified():
    unclassified = [
        f"{name or '(unnamed)'} → {route}"
        for name, route, callback in all_patterns()
        if classify(name, callback) is None and not route.startswith("static")
    ]
    assert not unclassified, "Classify these URL patterns in lienhiep.core.access:\n" + "\n".join(unclassified)


def test_the_harness_sees_the_pages_it_should(cast, private_attachment):
    names = {name for name, _url, _access in protected_urls(cast, private_attachment)}
    assert {
        "core:dashboard",
        "core:agencies_edit",
        "portal:document_manage",
        "core:attachment_download",
        "core:platform_unions",
        "core:places",
    } <= names


def test_anonymous_visitors_are_sent_to_login_or_refused(cast, private_attachment, client_for):
    anonymous = client_for(None)
    urls = list(protected_urls(cast, private_attachment))  # builds the sample objects first
    before = ActivityLog.objects.count()
    for name, url, _access in urls:
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert is_login_redirect(response) or response.status_code in (403, 404, 405), (
                f"anonymous {method.upper()} {name} {url} → {response.status_code}"
            )
    assert ActivityLog.objects.count() == before


def test_staff_of_another_union_cannot_read_or_change_anything(cast, private_attachment, client_for):
    outsider = client_for(cast.outsider_staff)
    urls = list(protected_urls(cast, private_attachment))  # builds the sample objects first
    before = ActivityLog.objects.count()
    for name, url, access in urls:
        if not access.union_scoped and access.level != OBJECT_CHECKED:
            continue
        for method in ("get", "post"):
            for headers in ({}, {"HX-Request": "true"}):  # htmx fragments are checked like whole pages
                response = getattr(outsider, method)(
                    url, {"name": "Đổi tên trái phép", "is_active": "on"}, headers=headers
                )
                assert response.status_code in (403, 404, 405), (
                    f"outsider {method.upper()} {name} {headers} → {response.status_code}"
                )
    assert ActivityLog.objects.count() == before


def test_role_restricted_pages_refuse_every_role_they_do_not_list(cast, private_attachment, client_for):
    clients = {role: client_for(user) for role, user in cast.users_by_role().items() if role != "outsider_staff"}
    for name, url, access in protected_urls(cast, private_attachment):
        if access.level != ROLE_RESTRICTED:
            continue
        for role, client in clients.items():
            response = client.get(url)
            if role in access.roles:
                # 202: an issued document whose PDF the worker is still making
                assert response.status_code in (200, 202, 302, 405), f"{role} GET {name} → {response.status_code}"
                if response.status_code == 302:
                    assert not is_login_redirect(response)
            else:
                assert response.status_code in (403, 405), f"{role} GET {name} → {response.status_code}"
                assert client.post(url).status_code == 403, f"{role} POST {name} was not refused"


def test_authenticated_pages_open_for_any_signed_in_user(cast, client_for):
    for name, route, callback in all_patterns():
        access = classify(name, callback)
        if access and access.level == AUTHENTICATED and name and name.startswith("core:") and "<" not in route:
            assert client_for(cast.entrant).get(reverse(name)).status_code == 200, name


def test_object_of_another_union_is_not_found_through_ones_own_union(cast, client_for):
    """An id of a Kon Tum object, put under the outsider Union's own address, is a 404."""
    outsider = client_for(cast.outsider_staff)
    slug = cast.outsider_union.slug
    for name, pk in [
        ("core:agencies_detail", cast.agency.pk),
        ("core:agencies_edit", cast.agency.pk),
        ("core:people_detail", cast.person.pk),
        ("core:associations_edit", cast.association.pk),
        ("portal:document_manage", cast.private_document.pk),
        ("portal:document_edit", cast.public_document.pk),
    ]:
        url = reverse(name, kwargs={"union_slug": slug, "pk": pk})
        assert outsider.get(url).status_code == 404, name
        assert outsider.post(url, {"name": "x"}).status_code == 404, name
    cast.agency.refresh_from_db()
    assert cast.agency.name == "UBND huyện Đăk Tô"
