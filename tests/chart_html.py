"""Reading the charts of a page from its HTML, as a browser would get them: each chart's data (the json_script that
static/js/charts.js draws) and the table beside it (includes/chart.html, includes/chart_compact.html), so that a
test can tell they say the same."""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class ChartOnPage:
    script_id: str
    data: dict | None = None
    canvas: bool = False
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # label, then one cell per series

    @property
    def table_labels(self) -> list[str]:
        return [row[0] for row in self.rows]

    @property
    def table_values(self) -> list[list[float | None]]:
        """One list per series, read from the table's cells."""
        return [[number(row[i + 1]) for row in self.rows] for i in range(len(self.head) - 1)]


def number(cell: str) -> float | int | None:
    """A table cell in the Vietnamese format back to a number: «1.234» → 1234, «12,5%» → 12.5, «—» → None."""
    text = cell.strip().removesuffix("%")
    if text == "—":
        return None
    text = text.replace(".", "").replace(",", ".")
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


class _Charts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts: dict[str, ChartOnPage] = {}
        self._script: str | None = None
        self._table: str | None = None
        self._part = ""  # thead, tbody, tfoot
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._text: list[str] = []

    def chart(self, script_id: str) -> ChartOnPage:
        return self.charts.setdefault(script_id, ChartOnPage(script_id))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/json" and a.get("id", "").startswith("chart-"):
            self._script, self._text = a["id"], []
        elif tag == "canvas" and a.get("data-chart"):
            self.chart(a["data-chart"]).canvas = True
        elif tag == "table" and a.get("data-chart-table"):
            self._table = a["data-chart-table"]
            self.chart(self._table)
        elif self._table and tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif self._table and tag == "tr":
            self._row = []
        elif self._table and tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._script:
            self._text.append(data)
        elif self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.chart(self._script).data = json.loads("".join(self._text))
            self._script = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            chart = self.chart(self._table)
            if self._part == "thead":
                chart.head = self._row
            elif self._part == "tbody":
                chart.rows.append(self._row)
            self._row = None
        elif tag == "table" and self._table:
            self._table, self._part = None, ""


def charts_on(html: str) -> dict[str, ChartOnPage]:
    """Every chart of the page, by the id of its json_script («chart-<key>-data»)."""
    parser = _Charts()
    parser.feed(html)
    return parser.charts


def assert_chart_matches_table(chart: ChartOnPage) -> None:
    """The chart's data (labels, series names, values) is its table, cell for cell."""
    assert chart.data is not None and chart.canvas, f"{chart.script_id}: no data or no canvas"
    assert chart.table_labels == chart.data["labels"], chart.script_id
    assert chart.head[1:] == [s["name"] for s in chart.data["series"]], chart.script_id
    assert chart.table_values == [s["values"] for s in chart.data["series"]], chart.script_id
