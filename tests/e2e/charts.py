"""What every browser test of a page with charts checks: each canvas drawn by Chart.js (`data-chart-ready`, pixels
painted), what it draws (`Chart.getChart(canvas).data`) equal to the page's json_script and, cell for cell in the
Vietnamese number format, to the table beside it; and the CSP violations the page reports."""

from playwright.sync_api import expect

from lienhiep.core.text import format_number

# Every CSP violation the page reports (Playwright injects this script: the page's own CSP does not apply to it).
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


def check_charts(page) -> list[str]:
    """Every chart of the page drawn and equal to its data and to its table; returns their keys."""
    canvases = page.locator("canvas[data-chart]")
    count = canvases.count()
    expect(page.locator("canvas[data-chart-ready='1']")).to_have_count(count)
    keys = []
    for index in range(count):
        canvas = canvases.nth(index)
        drawn = canvas.evaluate(DRAWN)
        spec = drawn["spec"]
        assert drawn["ready"] == "1" and drawn["painted"] > 0
        assert drawn["labels"] == spec["labels"]
        assert drawn["datasets"] == [{"label": s["name"], "data": s["values"]} for s in spec["series"]]
        script_id = canvas.get_attribute("data-chart")
        table = page.locator(f'table[data-chart-table="{script_id}"]').evaluate(TABLE)
        assert table["header"][1:] == [dataset["label"] for dataset in drawn["datasets"]], script_id
        assert [label for label, _cells in table["rows"]] == drawn["labels"], script_id
        for row, (_label, cells) in enumerate(table["rows"]):
            assert cells == [cell(dataset["data"][row], spec) for dataset in drawn["datasets"]], script_id
        keys.append(script_id.removeprefix("chart-").removesuffix("-data"))
    return keys
