"""A page shows only what its viewer may open: for each role, every kind of page reachable from the role's dashboard
by following links (GET only, bounded) is opened, and no internal link may answer 403 or 404. Walked twice: in
the demo (many records of every kind: each demo login) and in the authorization world (tests/authz/world.py: the
rows the demo has no login for, such as an expert seated on no council or a judge whose sheet is locked).

Every link found is opened, up to PER_KIND pages of each URL name (the 40th expert's page is the same page as the
first's for this purpose): a walk takes 10–12 s for a staff role of the demo (about 250 pages, every kind of page
the product has), under a second in the authorization world."""

import collections
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from lienhiep.core.models import User
from tests.authz import world as authz_world

PAGES_PER_ROLE = 400  # a bound; the walks of the demo open about 60–250 pages
PER_KIND = 4  # pages opened per URL name
NOT_FOLLOWED = re.compile(r"^/(accounts/logout|i18n/)|/export|\.xlsx$|\.zip$|\.ics$")
STARTS = {
    "quantri": ["/kontum/app/", "/quangngai/app/", "/gialai/app/"],
    "admin.kontum": ["/kontum/app/"],
    "lanhdao": ["/kontum/app/"],
    "canbo": ["/kontum/app/"],
    "chuyengia": ["/kontum/app/"],
    "daidien.dakto": ["/kontum/app/"],
    "thisinh": ["/kontum/app/"],
    "canbo.quangngai": ["/quangngai/app/"],
    "lanhdao.quangngai": ["/quangngai/app/"],
    "canbo.gialai": ["/gialai/app/"],
    "lanhdao.gialai": ["/gialai/app/"],
    "trunguong": ["/national/"],
}


class Links(HTMLParser):
    """The `href` of every `<a>` of a page (not those of forms: a link is what a person clicks to open a page)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(page: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        address = urldefrag(urljoin(page, href)).url
        parts = urlsplit(address)
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def url_name(address: str) -> str | None:
    try:
        return resolve(urlsplit(address).path).view_name
    except Resolver404:
        return None


def walk(client: Client, starts: list[str]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Breadth first from `starts`: {address: status} of every page opened and {address: pages linking to it}."""
    seen: dict[str, int] = {}
    linked_from: dict[str, list[str]] = collections.defaultdict(list)
    per_kind: collections.Counter = collections.Counter()
    queue = collections.deque(starts)
    while queue and len(seen) < PAGES_PER_ROLE:
        address = queue.popleft()
        if address in seen:
            continue
        kind = url_name(address)
        if per_kind[kind] >= PER_KIND and kind is not None:
            continue
        per_kind[kind] += 1
        response = client.get(address)
        seen[address] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(address, response.content.decode()):
            linked_from[link].append(address)
            path = urlsplit(link).path
            if link not in seen and not NOT_FOLLOWED.search(path):
                queue.append(link)
    return seen, linked_from


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="lienhiep.core.auth.AuthenticationBackend")
    return client


def assert_no_refusal(seen: dict[str, int], linked_from: dict[str, list[str]]) -> None:
    refused = {address: status for address, status in seen.items() if status in (403, 404)}
    assert len(seen) > 3, seen
    assert not refused, "\n".join(
        f"{status} {address} ← linked from {linked_from[address][:3]}" for address, status in sorted(refused.items())
    )


@pytest.mark.parametrize("username", list(STARTS))
def test_no_link_of_the_demo_leads_a_role_to_a_refusal(demo, username):
    assert_no_refusal(*walk(signed_in(User.objects.get(username=username)), STARTS[username]))


WORLD_ROWS = [row for row in authz_world.ROWS if row != "anonymous"]


@pytest.mark.parametrize("row", WORLD_ROWS)
def test_no_link_of_the_authorization_world_leads_a_role_to_a_refusal(cast, row):
    world = authz_world.build(cast)
    starts = {
        "outsider_staff": ["/quangngai/app/"],
        "platform_admin": ["/kontum/app/", "/quangngai/app/"],
        "national": ["/national/"],
    }
    assert_no_refusal(*walk(signed_in(world.users[row]), starts.get(row, ["/kontum/app/"])))
