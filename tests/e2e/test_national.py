"""The national body (VUSTA), in Chromium: signs in with its second factor, lands on every Union's figures, reads
each chart against the table beside it, the annual reports with the late list, and the nominations' inbox; the
strict CSP holds (no console error). Screenshots on a desktop and a phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from lienhiep.devdata.demo import demo_logins
from tests.e2e.charts import WATCH_CSP, check_charts
from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_national_body_reads_every_unions_figures(live_server, page, screenshot, demo):
    login = next(login for login in demo_logins() if login.username == "trunguong")
    page.add_init_script(WATCH_CSP)
    errors = []
    page.on("console", lambda msg: errors.append(f"{msg.text} {msg.location['url']}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server.url, login)
    expect(page).to_have_url(re.compile(r".*/national/$"))
    year = datetime.date.today().year - 1
    page.goto(f"{live_server.url}/national/?year={year}")
    expect(page.locator("h1")).to_contain_text(f"Hoạt động của các Liên hiệp hội năm {year}")
    main = page.locator("main")
    for name in ("Kon Tum", "Quảng Ngãi", "Gia Lai"):
        expect(main).to_contain_text(name)
    assert len(check_charts(page)) >= 3
    screenshot(page, "national-overview")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert len(check_charts(page)) >= 3
    screenshot(page, "national-overview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Báo cáo năm", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Báo cáo năm")
    screenshot(page, "national-reports")
    page.get_by_role("link", name="Đề cử toàn quốc", exact=True).click()
    expect(page.locator("h1")).to_have_text("Đề cử dự thi toàn quốc")
    expect(page.locator("main a[href$='.zip']").first).to_be_visible()
    screenshot(page, "national-nominations")
    assert page.evaluate("window.__cspViolations") == []
    assert not errors, errors
