"""The advisory statistics page's charts in Chromium, on the demo data, as each role that may open it (staff, the
Union's administrator, the leader signed in with TOTP): no console error and no Content Security Policy violation,
every canvas drawn by Chart.js (`data-chart-ready`, pixels painted), and what Chart.js draws (`Chart.getChart(canvas)
.data`) equal to the figures of the page's json_script and to the table beside the chart."""

import pytest
from playwright.sync_api import expect

from lienhiep.core.text import format_number
from lienhiep.devdata.demo import demo_logins

from .test_smoke import sign_in

pytestmark = pytest.mark.browser

# Records every CSP violation the page reports (Playwright injects this script: the page's own CSP does not apply).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""

DRAWN = """canvas => {
  const chart = Chart.getChart(canvas);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return {
    ready: canvas.dataset.chartReady,
    painted: painted,
    spec: JSON.parse(document.getElementById(canvas.dataset.chart).textContent),
    labels: chart.data.labels,
    datasets: chart.data.datasets.map(d => ({label: d.label, data: d.data})),
  };
}"""

TABLE = """table => ({
  header: Array.from(table.querySelectorAll('thead th')).map(th => th.textContent.trim()),
  rows: Array.from(table.querySelectorAll('tbody tr')).map(tr => [
    tr.querySelector('th').textContent.trim(),
    Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()),
  ]),
})"""


def cell(value, spec: dict) -> str:
    """A figure as the table beside the chart writes it (lienhiep.core.charts.Chart.cell)."""
    if value is None:
        return "—"
    text = format_number(value, spec["decimals"])
    return f"{text}%" if spec["unit"] == "%" else text


def check_charts(page) -> int:
    """Every chart of the page drawn and equal to its data and its table; returns how many."""
    canvases = page.locator("canvas[data-chart]")
    count = canvases.count()
    expect(page.locator("canvas[data-chart-ready]")).to_have_count(count)
    for index in range(count):
        canvas = canvases.nth(index)
        drawn = canvas.evaluate(DRAWN)
        spec = drawn["spec"]
        assert drawn["ready"] == "1" and drawn["painted"] > 0
        assert drawn["labels"] == spec["labels"]
        assert drawn["datasets"] == [{"label": s["name"], "data": s["values"]} for s in spec["series"]]
        script_id = canvas.get_attribute("data-chart")
        table = page.locator(f'table[data-chart-table="{script_id}"]').evaluate(TABLE)
        assert table["header"][1:] == [dataset["label"] for dataset in drawn["datasets"]]
        assert [label for label, _cells in table["rows"]] == drawn["labels"]
        for row, (_label, cells) in enumerate(table["rows"]):
            assert cells == [cell(dataset["data"][row], spec) for dataset in drawn["datasets"]]
    return count


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
        assert drawn >= 3  # the years' charts at least (the demo has cases in several years)
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
