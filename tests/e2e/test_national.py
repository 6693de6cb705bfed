"""The national body (VUSTA), in Chromium: signs in with its second factor, lands on every Union's figures, reads
each chart against the table beside it, the annual reports with the late list, and the nominations' inbox; the
strict CSP holds (no console error). Screenshots on a desktop and a phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from lienhiep.core.text import format_number
from lienhiep.devdata.demo import demo_logins
from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.browser

READ_CHART = """canvas => {
  const chart = Chart.getChart(canvas)
  return {labels: chart.data.labels, series: chart.data.datasets.map(d => ({name: d.label, values: d.data}))}
}"""
READ_TABLE = """table => ({
  header: [...table.tHead.rows[0].cells].slice(1).map(c => c.textContent.trim()),
  rows: [...table.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim())),
})"""


def cell(value, spec: dict) -> str:
    """A chart's value as its table writes it (lienhiep.core.charts.Chart.cell)."""
    if value is None:
        return "—"
    text = format_number(value, spec["decimals"])
    return f"{text}%" if spec["unit"] == "%" else text


def check_charts(page) -> int:
    """Every chart on the page is drawn, and its data is the table beside it, row for row. Returns how many."""
    canvases = page.locator("canvas[data-chart]")
    count = canvases.count()
    for i in range(count):
        canvas = canvases.nth(i)
        expect(canvas).to_have_attribute("data-chart-ready", "1")
        source = canvas.get_attribute("data-chart")
        spec = page.evaluate("id => JSON.parse(document.getElementById(id).textContent)", source)
        drawn = canvas.evaluate(READ_CHART)
        table = page.locator(f'table[data-chart-table="{source}"]').evaluate(READ_TABLE)
        assert drawn["labels"] == [row[0] for row in table["rows"]], source
        assert [s["name"] for s in drawn["series"]] == table["header"], source
        for s, series in enumerate(drawn["series"]):
            assert [cell(v, spec) for v in series["values"]] == [row[1 + s] for row in table["rows"]], source
    return count


@pytest.mark.django_db(transaction=True)
def test_the_national_body_reads_every_unions_figures(live_server, page, screenshot, demo):
    login = next(login for login in demo_logins() if login.username == "trunguong")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server.url, login)
    expect(page).to_have_url(re.compile(r".*/national/$"))
    year = datetime.date.today().year - 1
    page.goto(f"{live_server.url}/national/?year={year}")
    expect(page.locator("h1")).to_contain_text(f"Hoạt động của các Liên hiệp hội năm {year}")
    main = page.locator("main")
    for name in ("Kon Tum", "Quảng Ngãi", "Gia Lai"):
        expect(main).to_contain_text(name)
    assert check_charts(page) >= 3
    screenshot(page, "national-overview")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert check_charts(page) >= 3
    screenshot(page, "national-overview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Báo cáo năm", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Báo cáo năm")
    screenshot(page, "national-reports")
    page.get_by_role("link", name="Đề cử toàn quốc", exact=True).click()
    expect(page.locator("h1")).to_have_text("Đề cử dự thi toàn quốc")
    expect(page.locator("main a[href$='.zip']").first).to_be_visible()
    screenshot(page, "national-nominations")
    assert not errors, errors
