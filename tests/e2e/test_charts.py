"""The charts of the contest statistics, the outreach overview (work by locality) and the dashboard's year at a
glance, in Chromium on the demo data, as each role that may see them (staff, the Union's administrator and the
leader signed in with TOTP; the platform administrator on the dashboard): no console error and no Content Security
Policy violation, every canvas drawn (`data-chart-ready`, pixels painted), and what Chart.js draws
(`Chart.getChart(canvas).data`) equal to the page's json_script and to the table beside the chart. Screenshots on a
desktop and a 390-px phone (tests/e2e/conftest.py checks that nothing is wider than the screen)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from lienhiep.contests import services as contest_services
from lienhiep.contests.models import Edition, Entry
from lienhiep.contests.services import ContributorData
from lienhiep.core.models import User
from lienhiep.devdata.demo import demo_logins
from lienhiep.outreach import services as outreach_services
from lienhiep.outreach.models import WorkSession

from .charts import WATCH_CSP, check_charts
from .test_contests import PDF, open_edition_now
from .test_smoke import sign_in

pytestmark = pytest.mark.browser


def work_this_year() -> None:
    """The demo's Union at work today, so that the year at a glance has each of its charts: an entry to the next
    technical contest (open now) and a working session."""
    staff = User.objects.get(username="canbo")
    edition = open_edition_now()
    entry = contest_services.save_entry(
        actor=staff,
        entry=Entry(
            edition=edition,
            union=edition.union,
            field=edition.fields.order_by("code").first(),
            title="Máy sấy mắc ca bằng năng lượng mặt trời",
            summary="Máy sấy mắc ca quy mô hộ gia đình, dùng năng lượng mặt trời.",
            locality=Entry.objects.filter(edition__union=edition.union).exclude(locality=None).first().locality,
            owner=staff,
        ),
        people=[ContributorData(name="Ksor Hạnh", share=Decimal(100))],
    )
    for item in edition.dossier_items.filter(required=True):
        contest_services.add_entry_file(
            actor=staff,
            entry=entry,
            item=item,
            upload=SimpleUploadedFile(f"{item.name}.pdf", PDF, content_type="application/pdf"),
        )
    contest_services.submit_entry(actor=staff, entry=entry)
    session = WorkSession.objects.filter(union=edition.union).exclude(admin_unit=None).first()
    outreach_services.save_session(
        actor=staff,
        union=edition.union,
        session=WorkSession(
            union=edition.union,
            title="Làm việc với UBND huyện về kế hoạch năm sau",
            held_on=timezone.localdate(),
            admin_unit=session.admin_unit,
            place="Trụ sở UBND huyện",
        ),
        agenda=["Kế hoạch phối hợp năm sau"],
        agencies=list(session.agencies.all()),
        delegation=[],
        documents=[],
    )


def pages_of(live_url: str) -> dict[str, str]:
    editions = {e.code: e.pk for e in Edition.objects.filter(union__slug="kontum", code__in=["ST9", "TN14"])}
    return {
        "dashboard": f"{live_url}/kontum/app/",
        "contest-st9": f"{live_url}/kontum/app/contests/{editions['ST9']}/statistics/",
        "contest-tn14": f"{live_url}/kontum/app/contests/{editions['TN14']}/statistics/",
        "outreach": f"{live_url}/kontum/app/outreach/localities/",
    }


GLANCE = ["glance-advisory", "glance-contests", "glance-outreach"]
EXPECTED = {  # the charts each page must draw (a chart with no figures shows «Chưa có số liệu» instead)
    "dashboard": GLANCE,
    "contest-st9": ["entries-by-field", "entries-by-locality", "entries-by-status", "judging-progress"],
    "contest-tn14": [
        "entries-by-field",
        "entries-by-locality",
        "entries-by-school",
        "entries-by-status",
        "judging-progress",
    ],
    "outreach": ["sessions-by-locality", "actions-by-locality", "overdue-by-month"],
}
ROLES = {  # demo login → the pages it may see
    "canbo": list(EXPECTED),
    "admin.kontum": list(EXPECTED),
    "lanhdao": list(EXPECTED),
    "quantri": ["dashboard"],  # the platform administrator: the Union's figures, not its contests or outreach
}


def visit(browser, live_server, login, pages: dict[str, str], names: list[str], screenshot, *, width=1280) -> None:
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    sign_in(page, live_server.url, login)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for name in names:
        page.goto(pages[name])
        expect(page.locator("main")).to_be_visible()
        drawn = check_charts(page)
        assert drawn == EXPECTED[name], (login.username, name, drawn)
        if name == "dashboard":
            expect(page.locator("#glance-heading")).to_have_text("Năm nay")
        assert page.evaluate("window.__cspViolations") == [], (login.username, name)
        if login.username in ("canbo", "lanhdao") or width < 600:
            suffix = "-phone" if width < 600 else f"-{login.username}"
            screenshot(page, f"charts-{name}{suffix}")
    assert errors == [], (login.username, errors)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_each_role_sees_the_charts_drawn_and_equal_to_their_tables(live_server, browser, screenshot, demo):
    work_this_year()
    pages = pages_of(live_server.url)
    logins = {login.username: login for login in demo_logins()}
    for username, names in ROLES.items():
        visit(browser, live_server, logins[username], pages, names, screenshot)


@pytest.mark.django_db(transaction=True)
def test_the_charts_fit_a_phone(live_server, browser, screenshot, demo):
    work_this_year()
    login = next(login for login in demo_logins() if login.username == "canbo")
    visit(browser, live_server, login, pages_of(live_server.url), list(EXPECTED), screenshot, width=390)


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_without_the_years_figures_loads_no_chart(live_server, page, demo):
    """An expert's dashboard has no year at a glance: no chart, and the chart scripts are not loaded."""
    login = next(login for login in demo_logins() if login.username == "chuyengia")
    sign_in(page, live_server.url, login)
    page.goto(f"{live_server.url}/kontum/app/")
    expect(page.locator("main")).to_be_visible()
    assert page.locator("canvas").count() == 0 and page.locator("#glance-heading").count() == 0
    assert page.locator("script[src*='charts.js']").count() == 0
    assert page.evaluate("typeof window.Chart") == "undefined"
