"""axe-core (tests/e2e/vendor/axe-core, test-only) on the main pages of every module, for every role of the demo
and for a visitor who is not signed in: no violation of impact «serious» or «critical» may remain.

Each role's pages are found the way the person finds them: from the role's start page, following links (breadth
first) to the kinds of page listed below, the first page of each kind only (the 40th case is the same page as the
first for this purpose). So a role is checked on the pages it may open, and a module that gains a page of a
listed kind is checked without touching this file.

- MAIN pages (a dashboard, each module's list) are checked for every role that reaches them;
- RECORD pages (a case, its council, an entry, a judging sheet, a form) are checked for the first role that
  reaches them (the roles are in an order that reaches each one with the viewer who uses it most); a later role
  still opens them, to follow their links, without checking them again;
- PUBLIC pages (the portal, the contests' public pages) are checked for the visitor, and not followed from a
  workspace: they are the same pages for everyone.

One browser; one context per role, signed in by a session cookie (the login page is checked for the visitor).
axe is given to every page as the context's init script (the browser runs it before the page's own, outside
the page's Content Security Policy, which stays as strict as it is for people). About 80 pages are checked; axe
takes 0.2–0.6 s a page, the whole walk about a minute and a half on a busy two-core machine."""

import collections
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from lienhiep.advisory.models import Recommendation
from lienhiep.core.models import User
from tests.test_link_walk import links_of

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}

# demo username (None: not signed in) → where the role starts; in the order the record pages are reached (see above)
ROLES: dict[str | None, list[str]] = {
    None: ["/", "/kontum/", "/accounts/login/", "/kontum/search/?q=kon+tum"],
    "chuyengia": ["/kontum/app/"],  # expert: sits on councils and judges contest entries
    "daidien.dakto": ["/kontum/app/"],  # a requesting agency's representative
    "thisinh": ["/kontum/app/"],  # entrant
    "canbo": ["/kontum/app/"],  # staff
    "lanhdao": ["/kontum/app/"],  # leader
    "admin.kontum": ["/kontum/app/"],  # the Union's administrator
    "quantri": ["/platform/unions/", "/kontum/app/"],  # platform administrator
    "trunguong": ["/national/"],  # the national body
}

MAIN = {
    "core:dashboard",
    "core:platform_unions",
    "core:members",
    "core:agencies_list",
    "advisory:case_list",
    "experts:list",
    "experts:batches",
    "contests:editions",
    "contests:my_entries",
    "contests:my_judging",
    "outreach:session_list",
    "outreach:action_list",
    "portal:document_manage_list",
    "paperwork:register",
    "national:overview",
    "national:reports",
    "national:nominations",
    "national:union_reports",
}
RECORD = {
    "core:home",
    "core:places",
    "advisory:case_detail",
    "advisory:case_create",
    "advisory:council",
    "advisory:review_edit",
    "advisory:stats",
    "experts:detail",
    "experts:batch",
    "experts:import",
    "contests:edition",
    "contests:entries",
    "contests:entry",
    "contests:entry_edit",
    "contests:sheet",
    "outreach:session_detail",
    "outreach:session_create",
    "outreach:action_detail",
    "portal:document_create",
    "national:submission",
}
PUBLIC = {
    "account_login",
    "portal:union_home",
    "portal:search",
    "portal:document_list",
    "portal:document_detail",
    "portal:article_list",
    "portal:article_detail",
    "portal:publication_list",
    "portal:certificate_check",
    "portal:verify",
    "contests:public_list",
    "contests:public_edition",
    "contests:public_results",
}


def page_kind(address: str) -> str | None:
    try:
        return resolve(urlsplit(address).path).view_name
    except Resolver404:
        return None


def sign_in(context, base_url: str, username: str | None) -> None:
    """The role's session, made on the server and handed to the browser as its cookie (the login form and its
    TOTP step are the smoke test's subject, not this one's)."""
    if username is None:
        return
    client = Client()
    client.force_login(User.objects.get(username=username), backend="lienhiep.core.auth.AuthenticationBackend")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def role_context(browser, base_url: str, username: str | None):
    """A browser context signed in as the role, every page of which carries axe."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE))
    sign_in(context, base_url, username)
    return context


def serious_violations(page) -> list[dict]:
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({"
        "  id: v.id, impact: v.impact, help: v.help,"
        "  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 160)"
        "    + ((n.any[0] || {}).message ? ' — ' + n.any[0].message : ''))"
        "}))"
    )
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def answered_case() -> tuple[str, str]:
    """A case whose recommendations the agency answered (their answers' badges): a staff member who may open it,
    and its address."""
    answer = (
        Recommendation.objects.filter(response=Recommendation.Response.PARTLY)
        .select_related("case__union")
        .order_by("case__union__slug", "case_id")
        .first()
    )
    assert answer is not None, "the demo has no recommendation answered «partly accepted»"
    staff = f"canbo.{answer.case.union.slug}" if answer.case.union.slug != "kontum" else "canbo"
    return staff, answer.case.get_absolute_url()


def check_role(
    page, base_url: str, starts: list[str], *, signed_in: bool, records_done: set[str], follow: bool = True
) -> tuple[list[str], list[str]]:
    """Open the role's pages (see the module's docstring): the addresses checked, and a line per violation.
    A start is always checked; with `follow=False` only the starts are opened."""
    followed = (MAIN | RECORD) if signed_in else (PUBLIC | {"core:home"})
    checked: list[str] = []
    problems: list[str] = []
    kinds_seen: set[str | None] = set()
    queue = collections.deque(starts)
    while queue:
        address = queue.popleft()
        kind = page_kind(address)
        if kind in kinds_seen or (kind not in followed and address not in starts):
            continue
        kinds_seen.add(kind)
        if kind in records_done and address not in starts:
            # checked already (for an earlier role): only its links are needed, from its HTML
            response = page.request.get(base_url + address)
            assert response.ok, f"{address}: {response.status}"
            hrefs = links_of(address, response.text())
        else:
            response = page.goto(base_url + address)
            assert response is not None and response.ok, f"{address}: {response.status if response else 'no answer'}"
            checked.append(address)
            for violation in serious_violations(page):
                nodes = "\n      ".join(violation["nodes"])
                problems.append(
                    f"{address}: [{violation['impact']}] {violation['id']}: {violation['help']}\n      {nodes}"
                )
            labels = page.eval_on_selector_all("[role=search], search", "els => els.map(e => e.ariaLabel || '')")
            if len(labels) > 1 and (not all(labels) or len(set(labels)) < len(labels)):
                problems.append(f"{address}: search landmarks need a label each, and distinct ones: {labels}")
            if kind in RECORD or kind in PUBLIC:
                records_done.add(kind)
            hrefs = links_of(address, page.content())
        for link in hrefs if follow else []:
            if page_kind(link) in followed and page_kind(link) not in kinds_seen:
                queue.append(link)
    return checked, problems


@pytest.mark.django_db(transaction=True)
def test_no_serious_accessibility_violation_on_any_role_main_pages(live_server, browser, demo):
    checked: dict[str, list[str]] = {}
    problems: list[str] = []
    records_done: set[str] = set()
    for username, starts in ROLES.items():
        context = role_context(browser, live_server.url, username)
        page = context.new_page()
        role = username or "anonymous"
        checked[role], found = check_role(
            page, live_server.url, starts, signed_in=username is not None, records_done=records_done
        )
        problems += [f"{role} {line}" for line in found]
        context.close()
    username, address = answered_case()
    context = role_context(browser, live_server.url, username)
    _checked, found = check_role(
        context.new_page(), live_server.url, [address], signed_in=True, records_done=records_done, follow=False
    )
    problems += [f"{username} {line}" for line in found]
    context.close()
    # every role reached its modules' pages (a role that reached only its start page would pass unchecked), and
    # the record pages were checked for one of them
    reached = {role: {page_kind(a) for a in addresses} for role, addresses in checked.items()}
    main_pages = {
        "anonymous": {"portal:search", "portal:document_detail", "contests:public_edition", "account_login"},
        "chuyengia": {"core:dashboard", "advisory:case_list", "contests:my_judging"},
        "daidien.dakto": {"core:dashboard", "advisory:case_list", "outreach:action_list"},
        "thisinh": {"core:dashboard", "contests:my_entries"},
        "canbo": {"advisory:case_list", "experts:list", "contests:editions", "outreach:session_list"},
        "lanhdao": {"core:dashboard", "advisory:case_list", "contests:editions", "outreach:session_list"},
        "admin.kontum": {"core:dashboard", "core:members"},
        "quantri": {"core:platform_unions"},
        "trunguong": {"national:overview", "national:reports"},
    }
    assert {role: kinds - reached[role] for role, kinds in main_pages.items() if kinds - reached[role]} == {}
    records = {"advisory:case_detail", "advisory:council", "advisory:review_edit", "contests:sheet", "contests:entry"}
    records |= {"experts:detail", "outreach:session_detail", "outreach:action_detail", "national:submission"}
    assert records - set().union(*reached.values()) == set()
    assert not problems, f"{len(problems)} serious or critical accessibility violations:\n" + "\n".join(problems)
