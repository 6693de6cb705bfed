"""Bidirectional, invisible and damaged characters typed into every form of every page, as each role.

For each role, every page the authorization matrix lets it open (tests/authz/expected.py, on the matrix's world)
is read, and every POST form on it is sent once per payload with the payload inside each of its text fields:
U+202E (RIGHT-TO-LEFT OVERRIDE: makes a name display as another), U+200B (ZERO WIDTH SPACE: two names that look
the same) and U+FFFD (what invalid UTF-8 becomes). Every text field must refuse the text with the Vietnamese message
naming the character (one message per field, on the form or, for forms that go back to their page, in its
messages) and the database must be exactly as before. A text area keeps the invisible characters pasted text
carries (U+200B), so it gets only U+202E and U+FFFD (the rule: lienhiep/core/text.py forbidden_character)."""

import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.urls import reverse

from lienhiep.core.access import THIRD_PARTY_ACCESS
from tests.authz import world as world_module
from tests.authz.expected import EXPECTED
from tests.hostile.forms import PostForms
from tests.hostile.snapshot import changed_tables, database_state
from tests.hostile.test_form_limits import _valid_fill
from tests.test_authorization_matrix import attachment, public_args  # noqa: F401
from tests.test_url_access import OBJECT_ARGS, all_patterns

PAYLOADS = {"\u202e": "U+202E", "\u200b": "U+200B", "\ufffd": "U+FFFD"}
ROLES = [
    "anonymous",
    "entrant",
    "expert_council",
    "judge_unlocked",
    "agency_rep",
    "staff",
    "leader",
    "union_admin",
    "platform_admin",
]
FILE_ROUTES = (".xlsx", ".docx", ".pdf", ".zip", ".ics", ".xml")  # downloads: no form to find there
# allauth's own pages hold allauth's forms (sign-in, e-mail addresses); the sign-up form is ours.
OUR_THIRD_PARTY_PAGES = {"account_signup"}
# Text inputs that are not texts: numbers typed with a decimal keypad (a judge's points).
NUMERIC_MODES = {"decimal", "numeric"}
TRIED: list[str] = []


def _text_fields(form: dict) -> tuple[list[str], list[str]]:
    """The form's one-line text fields (not numbers typed with a decimal keypad) and its text areas."""
    short = [
        n
        for n, kind in form["types"].items()
        if kind in ("text", "search") and form["inputmode"][n] not in NUMERIC_MODES
    ]
    long = [n for n, kind in form["types"].items() if kind == "textarea"]
    return short, long


def _visible(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)


def _pages(cast, world, attachment, row: str, apps: tuple[str, ...]):  # noqa: F811
    """(name, url) of every HTML page of these apps the row may open, with the world's objects in its address."""
    public = public_args(cast, world) if row == "anonymous" else {}
    for name, route, _callback in all_patterns():
        if not name or row not in EXPECTED.get(name, ()) or route.endswith(FILE_ROUTES):
            continue
        if (name.split(":")[0] if ":" in name else "account") not in apps:
            continue
        if (name in THIRD_PARTY_ACCESS or name.split(":")[-1] in THIRD_PARTY_ACCESS) and name not in (
            OUR_THIRD_PARTY_PAGES
        ):
            continue
        if name in public:
            kwargs = dict(public[name])
        elif name in OBJECT_ARGS:
            kwargs = OBJECT_ARGS[name](cast, attachment)
        elif "<" in route.replace("<slug:union_slug>", ""):
            continue  # a new page without sample arguments: tests/test_url_access.py asks for them
        else:
            kwargs = {}
        if "union_slug" in route:
            kwargs["union_slug"] = cast.union.slug
        yield name, reverse(name, kwargs=kwargs)


def _forms_of(client, pages) -> dict[tuple, tuple[str, dict]]:
    """Every POST form with text fields on these pages, once each: (action, short, long) → (page name, form)."""
    found: dict[tuple, tuple[str, dict]] = {}
    for name, url in pages:
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        reader = PostForms()
        reader.feed(response.content.decode())
        for form in reader.forms:
            short, long = _text_fields(form)
            if "csrfmiddlewaretoken" not in form["fields"] or not (short or long):
                continue
            action = form["action"] or url
            if not action.startswith(("/i18n/", "/accounts/logout/")):
                found.setdefault((action, tuple(short), tuple(long)), (name, form))
    return found


def _answer(client, response) -> str:
    """What the person reads after sending: the page, or, after a redirect, the messages waiting for the next
    page (read from the cookie the browser holds, without rendering that page)."""
    if response.status_code not in (301, 302, 303):
        return _visible(response.content.decode())
    request = RequestFactory().get("/")
    request.COOKIES = {key: morsel.value for key, morsel in client.cookies.items()}
    return " ".join(str(message) for message in CookieStorage(request))


# The roles with the most pages are tried app by app (each test stays short); the others in one go.
ALL_APPS = ("account", "core", "portal", "paperwork", "experts", "outreach", "advisory", "contests")
GROUPS = {
    "core": ("core", "paperwork"),
    "portal": ("portal",),
    "experts": ("experts",),
    "outreach": ("outreach",),
    "advisory": ("advisory",),
    "contests": ("contests",),
}
CASES = [
    pytest.param(row, group, id=f"{row}-{group}")
    for row in ROLES
    for group in (GROUPS if row in ("staff", "leader", "union_admin") else ["all"])
]


@pytest.mark.parametrize(("row", "group"), CASES)
def test_every_text_field_refuses_hidden_characters_as_each_role(row, group, cast, client_for, attachment):  # noqa: F811
    world = world_module.build(cast)
    client = client_for(world.users[row])
    forms = _forms_of(client, _pages(cast, world, attachment, row, GROUPS.get(group, ALL_APPS)))
    failures = []
    before = database_state()
    for (action, short, long), (name, form) in forms.items():
        for payload, code in PAYLOADS.items():
            targets = list(short) + (list(long) if payload != "\u200b" else [])
            if not targets:
                continue
            TRIED.append(f"{row} {name} {action} {code}")
            data = {**_valid_fill(form), **{field: f"Thử{payload}nghiệm" for field in targets}}
            client.cookies.pop("messages", None)  # only this answer's messages are read
            response = client.post(action, data)
            page = _answer(client, response)
            refused = page.count(f"{code} (")
            if response.status_code >= 500 or refused < len(targets) or "không được phép trong trường này" not in page:
                failures.append(
                    f"{row} {name} → {action} {code} in {', '.join(targets)}: status {response.status_code}, "
                    f"{refused} of {len(targets)} fields refused it"
                )
    changed = changed_tables(before, database_state())
    assert not changed, f"{row}: refused texts changed tables: {', '.join(changed)}"
    assert forms or row == "leader", f"{row} found no form to fill in {group}"  # a leader approves, mostly
    assert not failures, "\n".join(failures)
