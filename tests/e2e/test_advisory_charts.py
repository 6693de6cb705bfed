"""The advisory statistics page's charts in Chromium, on the demo data, as each role that may open it (staff, the
Union's administrator, the leader signed in with TOTP): no console error and no Content Security Policy violation,
every canvas drawn by Chart.js (`data-chart-ready`, pixels painted), and what Chart.js draws (`Chart.getChart(canvas)
.data`) equal to the figures of the page's json_script and to the table beside the chart."""

import pytest
from playwright.sync_api import expect

from lienhiep.devdata.demo import demo_logins

from .charts import WATCH_CSP, check_charts
from .test_smoke import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_statistics_charts_are_drawn_and_equal_their_tables(live_server, browser, screenshot, demo):
    logins = {login.username: login for login in demo_logins()}
    stats_url = f"{live_server.url}/kontum/app/advisory/stats/"
    for username in ("canbo", "admin.kontum", "lanhdao"):
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        sign_in(page, live_server.url, logins[username])
        errors: list[str] = []
        page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.goto(stats_url)
        expect(page.locator("h1")).to_contain_text("Tư vấn, phản biện và giám định xã hội năm")
        drawn = check_charts(page)
        assert len(drawn) >= 3  # the years' charts at least (the demo has cases in several years)
        screenshot(page, f"advisory-stats-charts-{username}")
        if username == "canbo":  # every year the page offers
            years = page.locator("select#year option").evaluate_all("options => options.map(o => o.value)")
            for year in years:
                page.goto(f"{stats_url}?year={year}")
                check_charts(page)
                if page.locator("#chart-acceptance-by-agency canvas").count():
                    screenshot(page, f"advisory-stats-charts-{year}")
            page.set_viewport_size({"width": 390, "height": 844})  # a phone: the charts fit its width
            page.goto(stats_url)
            check_charts(page)
            screenshot(page, "advisory-stats-charts-phone")
        assert page.evaluate("window.__cspViolations") == []
        assert errors == [], errors
        context.close()
