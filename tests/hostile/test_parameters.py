"""Hand-edited query parameters on every page, as every role: never a 500, never an uncaught exception.

The parameters a page reads are found, not listed: a recording QueryDict stands in for `request.GET` (through the
Unicode middleware, which every request passes) and notes every key a view, a form or a helper asks for (`get`,
`getlist`, `[]`, `in`). Each page is opened once per role with a harmless extra parameter (so that a form bound
to `request.GET or None` is bound and reads its fields); then every key it asked for is sent with each hostile
value, one at a time, and keys first asked for during those requests (a form read only once `code` is present)
are probed too. A parameter a later module adds is covered without touching this file. The pages walked are every
GET pattern of ours (tests/*/url_args.py give their objects); allauth's and i18n's are not ours and not walked.

Every role opens every page it may open (the anonymous visitor and a member for public pages, which are the same
to every signed-in role). The first role to read a page's parameters gets every hostile value; another role that
reads the same parameters gets the sharpest three (its own branches of the view, at a fifth of the cost).

Marked slow: about 2,600 requests in all (2,029 page × parameter × value, the rest opening pages), 3–20 s per
app, about 40 s of CPU for the seven on SQLite (two workers share them in the suite). Before the one parameter
reader (lienhiep/core/params.py) this walk found 133 server errors on SQLite and 169 on PostgreSQL."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from lienhiep.core import middleware, services
from lienhiep.core.access import PUBLIC, ROLE_RESTRICTED, THIRD_PARTY_ACCESS, Access
from tests.test_url_access import OBJECT_ARGS, PDF_BYTES, all_patterns, classify

HOSTILE = [
    "²⁰²⁶",  # superscript digits: str.isdigit() says yes, int() says no
    "①",
    "٣",  # Arabic-Indic three: int() accepts it
    "99999999999999999999",  # beyond a 64-bit integer
    "-1",
    "-99999999999999999999",
    "0",
    "",
    "9" * 5000,  # beyond Python's 4,300-digit limit for int()
    "ab " * 1700,  # 5,100 characters, 1,700 words for a search
    "a\x00b",  # a NUL: PostgreSQL refuses it in any string
    "%",
    "_",
    "\\",
    "31/02/2026",
    "2026-13-45",
    "0001-01",  # a month that exists, whose month before does not
]
SHARP = ["²⁰²⁶", "99999999999999999999", "a\x00b"]  # for a role on a page another role has had every value on
PROBE = "_probe"  # sent with the first request of each page, so that a page's GET form is bound
MAX_KEYS = 40  # a bound on the keys probed per page
APPS = ["core", "portal", "experts", "outreach", "advisory", "contests", "paperwork"]

# Parameters the walk must find (a sample, to prove the discovery works; the walk probes whatever it finds).
KNOWN = {
    "core:places": {"on", "q", "page"},
    "portal:document_list": {"year", "q", "page"},
    "experts:list": {"field", "association", "locality", "q"},
    "experts:find": {"fields", "text"},
    "outreach:action_list": {"owner", "locality"},
    "outreach:session_create": {"visit"},
    "advisory:case_list": {"year", "status"},
    "advisory:stats": {"year"},
    "contests:entries": {"field", "locality"},
    "paperwork:register": {"year", "page"},
}
TRIED: list[str] = []  # page × parameter × value requests, for the summary line of tests/hostile/conftest.py


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes every key asked for in `asked` (when a test sets it)."""

    asked: set[str] | None = None

    def _note(self, key) -> None:
        if RecordingQueryDict.asked is not None and isinstance(key, str):
            RecordingQueryDict.asked.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


def recording(data: QueryDict) -> RecordingQueryDict:
    copy = RecordingQueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        copy.setlist(key, values)
    copy._mutable = False
    return copy


@pytest.fixture
def recorder(monkeypatch):
    normalize = middleware._nfc_query_dict
    monkeypatch.setattr(middleware, "_nfc_query_dict", lambda data: recording(normalize(data)))
    yield
    RecordingQueryDict.asked = None


def _published_objects(cast) -> dict:
    """Objects the public pages with an id or code in their address show."""
    from tests.contests.url_args import _objects as contest_objects
    from tests.portal.url_args import objects as portal_objects

    portal, contests = portal_objects(cast), contest_objects(cast)
    return {
        "portal:document_detail": {"pk": cast.public_document.pk},
        "portal:publication_detail": {"pk": portal["published"].pk},
        "portal:certificate_check_code": {"code": portal["certificate"].code},
        "contests:public_edition": {"pk": contests["edition"].pk},
        "contests:public_results": {"pk": contests["edition"].pk},
    }


# Public pages with a parameter in their address that are not walked, and why.
PUBLIC_NOT_WALKED = {
    "portal:article_detail": "reads no query parameter (a published article's page)",
    "portal:article_image": "a stored image file; reads no query parameter",
}


def pages(app: str, cast, attachment) -> list[tuple[str, str, Access]]:
    """(name, url, access) of every GET-able pattern of the app that we wrote, with Kon Tum's objects."""
    published = None
    out = []
    for name, route, callback in all_patterns():
        if not name or name in THIRD_PARTY_ACCESS or name.split(":")[-1] in THIRD_PARTY_ACCESS:
            continue
        if (name.split(":")[0] if ":" in name else "core") != app:
            continue
        access = classify(name, callback)
        if access is None:
            continue
        public = access.level == PUBLIC
        takes_args = "<" in route.replace("<slug:union_slug>", "")
        if name in OBJECT_ARGS:
            kwargs = OBJECT_ARGS[name](cast, attachment)
        elif takes_args and public:
            if name in PUBLIC_NOT_WALKED:
                continue
            published = published or _published_objects(cast)
            assert name in published, f"{name}: add its sample arguments to _published_objects or PUBLIC_NOT_WALKED"
            kwargs = dict(published[name])
        else:
            assert not takes_args, f"{name} takes parameters: add it to OBJECT_ARGS"
            kwargs = {}
        if "union_slug" in route:
            kwargs["union_slug"] = cast.union.slug
        out.append((name, reverse(name, kwargs=kwargs), access))
    return out


def _get(client, url: str, data: dict) -> tuple[int | None, set[str], str]:
    """(status, keys asked, error): status None when the request raised."""
    RecordingQueryDict.asked = set()
    try:
        with transaction.atomic():  # a database error on PostgreSQL must not spoil the next requests
            status = client.get(url, data).status_code
        error = ""
    except Exception as exc:  # noqa: BLE001 -- any uncaught exception is a failure to report
        status, error = None, f"{type(exc).__name__}: {str(exc)[:120]}"
    # a template's `request.GET.urlencode` is a lookup of the key "urlencode" first: not a parameter
    asked = {key for key in RecordingQueryDict.asked if key != PROBE and not hasattr(QueryDict, key)}
    RecordingQueryDict.asked = None
    return status, asked, error


def probe_page(
    client, who: str, name: str, url: str, values: list[str], failures: list[str]
) -> tuple[int, frozenset | None]:
    """Every key the page asks for, with every value; returns the number of requests and the keys probed (None
    when the page did not open for this viewer)."""
    status, asked, error = _get(client, url, {PROBE: "1"})
    if status is None or status >= 500:
        failures.append(f"{who} {name} {url} (plain): {status or error}")
        return 1, None
    if status != 200:
        return 1, None
    queue, seen, sent = sorted(asked), set(asked), 1
    while queue and len(seen) <= MAX_KEYS:
        key = queue.pop(0)
        for value in values:
            status, asked, error = _get(client, url, {key: value})
            sent += 1
            TRIED.append(f"{name} {key}")
            if status is None or status >= 500:
                failures.append(f"{who} {name} {url}?{key}={value[:24]!r}: {status or error}")
            for new in sorted(asked - seen):
                seen.add(new)
                queue.append(new)
    return sent, frozenset(seen)


def viewers(cast, client_for) -> dict:
    """A client per role, the Union's own staff first (they open the most pages, so they get the whole hostile
    set), then the other roles, the outsider Union's staff and the anonymous visitor."""
    users = cast.users_by_role()
    order = ["staff", "union_admin", "leader", "platform_admin", "expert", "agency_rep", "entrant", "outsider_staff"]
    clients = {role: client_for(users[role]) for role in order}
    clients["anonymous"] = client_for(None)
    return clients


def may_open(who: str, access) -> bool:
    """False where tests/test_url_access.py already proves a refusal (a role the page does not list, another
    Union's staff on a Union's page, the anonymous visitor anywhere but public pages). A public page is the same
    page to every signed-in role: it is probed as the anonymous visitor and as a member of the Union."""
    if access.level == PUBLIC:
        return who in ("anonymous", "staff")
    if who == "anonymous" or (who == "outsider_staff" and access.union_scoped):
        return False
    role = "staff" if who == "outsider_staff" else who
    return access.level != ROLE_RESTRICTED or role in access.roles


@pytest.mark.slow
@pytest.mark.parametrize("app", APPS)
def test_no_query_parameter_value_gives_a_server_error(app, cast, client_for, recorder, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # 403s and 405s are expected by the hundred
    upload = SimpleUploadedFile("kế hoạch.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = services.attach_file(actor=cast.staff, union=cast.union, owner=cast.private_document, upload=upload)
    targets = pages(app, cast, attachment)
    clients = viewers(cast, client_for)
    failures: list[str] = []
    sent, found = 0, {}
    for name, url, access in targets:
        probed: set = set()  # the sets of keys already given the whole hostile set on this page
        for who, client in clients.items():
            if not may_open(who, access):
                continue
            if not probed:
                n, keys = probe_page(client, who, name, url, HOSTILE, failures)
            else:  # a role reading the keys another role had every value on gets the sharpest values only
                n, keys = probe_page(client, who, name, url, SHARP, failures)
                if keys is not None and keys not in probed:
                    extra, keys = probe_page(client, who, name, url, HOSTILE, failures)
                    n += extra
            if keys:
                probed.add(keys)
                found.setdefault(name, set()).update(keys)
            sent += n
    print(f"\n{app}: {len(targets)} pages, {sent} requests, {len(failures)} server errors")
    for name, keys in KNOWN.items():  # the walk finds what it should: a page it could not open would pass
        if name.split(":")[0] == app:
            assert keys <= found.get(name, set()), f"{name}: probed {found.get(name)}, expected at least {keys}"
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)
