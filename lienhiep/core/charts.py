"""Charts: one description of a chart for the page and for the documents.

A `Chart` holds its title, its categories (`labels`), one or more `Series` of numbers and how to draw them. The page
shows it with `{% include "includes/chart.html" with chart=… %}`: a canvas drawn by the vendored Chart.js
(`static/js/charts.js` reads the data from a `json_script` element: no inline script, the strict CSP holds) and,
under it, the same figures as a table (read by screen readers, printed, copied into Excel). The annual report draws
the same object as an image on the server (`paperwork.figures`). A chart and its table come from one object, so they
cannot disagree.

Kinds: "bar" (columns, series side by side), "stacked" (columns, series stacked), "hbar" (horizontal bars, for long
names such as agencies or localities), "hstacked" (horizontal bars, series stacked), "line" (a value over time).
Values may be None (no figure: a gap, «—» in the table). `unit` "%" marks rates (the axis then runs to 100).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lienhiep.core.text import format_number

KINDS = ("bar", "stacked", "hbar", "hstacked", "line")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | int | None, ...]


@dataclass(frozen=True)
class Chart:
    key: str  # unique on its page, ASCII: "cases-by-year"
    title: str
    label_header: str  # the table's first column: «Năm», «Lĩnh vực», «Cơ quan»
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    kind: str = "bar"
    unit: str = ""  # "%" for rates
    decimals: int = 0  # digits after the decimal comma in the table and the tooltips
    note: str = ""  # one sentence under the chart (how a figure is computed)
    total: bool = False  # a «Tổng» row under the table (counts, never rates)
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        for series in self.series:
            if len(series.values) != len(self.labels):
                n, labels = len(series.values), len(self.labels)
                raise ValueError(f"series {series.name!r} has {n} values for {labels} labels")

    @property
    def is_empty(self) -> bool:
        return not self.labels or all(v in (None, 0) for s in self.series for v in s.values)

    @property
    def script_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def data(self) -> dict:
        """What `static/js/charts.js` draws (passed through `json_script`)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "decimals": self.decimals,
            "labels": list(self.labels),
            "series": [{"name": s.name, "values": list(s.values)} for s in self.series],
        }

    def cell(self, value: float | int | None) -> str:
        if value is None:
            return "—"
        text = format_number(value, self.decimals)
        return f"{text}%" if self.unit == "%" else text

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table: one row per label, one cell per series, in Vietnamese number format."""
        return [(label, [self.cell(s.values[i]) for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def totals(self) -> list[str]:
        return [self.cell(sum(v for v in s.values if v is not None)) for s in self.series]


def rate(part: float, whole: float, decimals: int = 1) -> float | None:
    """part/whole as a percentage, None when there is nothing to divide."""
    return round(100 * part / whole, decimals) if whole else None
