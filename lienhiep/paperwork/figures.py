"""Charts as pictures for the documents: a `lienhiep.core.charts.Chart` drawn on the server as a PNG.

matplotlib's object API on the Agg canvas (no pyplot, no state shared between calls: safe in threads), the text in the
vendored Liberation Serif (Times New Roman's metrics, as the documents; never a font of the system), readable in grey
print (each series its own grey level and hatch, each line its own dash and marker), the numbers in the Vietnamese
format (1.234,5). The same chart gives the same bytes (no timestamp, no software name): an issued document is stored
with its sha256. The chart's title is not drawn: the document's caption («Biểu đồ 1. …») carries it.
"""

import io
import math
import textwrap
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.ticker import MaxNLocator

from lienhiep.core.charts import Chart
from lienhiep.core.text import format_number

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = FONTS / "LiberationSerif-Regular.ttf"
BOLD = FONTS / "LiberationSerif-Bold.ttf"
for _path in (REGULAR, BOLD):
    fontManager.addfont(str(_path))  # known by name too; every text below names its file all the same

DPI = 200
TEXT_PT = 11
VALUE_PT = 10
# Fills from dark to light (the page's colours, static/js/charts.js), each with its hatch: in grey the series differ
# by lightness and by pattern. The hatch is white on a dark fill, black on a light one.
FILLS = ("#1f4e79", "#d9822b", "#8fb8de", "#5b8c3a", "#7d3c98", "#d0d0d0")
HATCHES = ("", "///", "...", "xx", "\\\\\\", "--")
LINES = ("#1f4e79", "#d9822b", "#404040", "#5b8c3a")
DASHES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D")
GRID = "#c8c8c8"
WRAP = 30  # characters on a line of a horizontal bar's label
MIN_COLUMNS = 4  # one or two years are drawn as narrow as four


def _font(size: float = TEXT_PT, bold: bool = False) -> FontProperties:
    return FontProperties(fname=str(BOLD if bold else REGULAR), size=size)


def _hatch_colour(fill: str) -> str:
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 128 else "black"


def _number(chart: Chart, value: float) -> str:
    """A figure as the table writes it (1.234,5; «%» for rates)."""
    return chart.cell(value)


def _tick(chart: Chart, value: float) -> str:
    """An axis tick: no decimals where the tick is whole (0, 20, 40 …; 2,5)."""
    text = format_number(value, 0 if float(value).is_integer() else 1)
    return f"{text}%" if chart.unit == "%" else text


def _ticks(chart: Chart, top: float) -> list[float]:
    if chart.unit == "%":
        return [0, 20, 40, 60, 80, 100]
    locator = MaxNLocator(nbins=5, integer=chart.decimals == 0, min_n_ticks=3)
    ticks = [float(t) for t in locator.tick_values(0, top or 1) if t >= 0]
    while len(ticks) > 1 and ticks[-2] >= top:  # no empty band above the highest figure
        ticks.pop()
    return ticks


def _lines(label: str, width: int) -> list[str]:
    return textwrap.wrap(label, width, break_long_words=False)


def _wrap(label: str, width: int) -> str:
    """The label in as few lines as `width` characters allow, the lines as even as can be (no word left alone)."""
    lines = _lines(label, width)
    if len(lines) > 1:
        fits = (w for w in range(len(label) // len(lines), width + 1) if len(_lines(label, w)) <= len(lines))
        lines = _lines(label, next(fits))
    return "\n".join(lines) or label


def height_mm(chart: Chart, width_mm: float = 160) -> float:
    """A height that suits the chart: horizontal bars get one bar's room per label (long names stay readable)."""
    if chart.kind == "hbar":
        lines = sum(len(_lines(label, WRAP)) or 1 for label in chart.labels)
        return max(40.0, min(220.0, 18 + 6.5 * len(chart.labels) + 2.5 * lines))
    return width_mm / 2


def chart_png(chart: Chart, *, width_mm: float = 160, height_mm: float = 80) -> bytes:
    """The chart as a PNG of the given size (200 dpi), its text in pt as printed at that size."""
    figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=DPI, layout="constrained", facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_axisbelow(True)
    if chart.is_empty:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Không có số liệu.", ha="center", va="center", fontproperties=_font(), parse_math=False)
    elif chart.kind == "line":
        handles = _line(axes, chart)
    else:
        handles = _bars(axes, chart)
    if not chart.is_empty and len(chart.series) > 1:
        legend = figure.legend(
            handles,
            [series.name for series in chart.series],
            loc="outside lower center",
            ncols=min(len(chart.series), 4),
            prop=_font(),
            frameon=False,
            handlelength=2.2,
            handleheight=1.1,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _category_axis(axes, chart: Chart, positions: list[float], *, horizontal: bool) -> None:
    if horizontal:
        labels = [_wrap(label, WRAP) for label in chart.labels]
        axes.set_yticks(positions, labels, fontproperties=_font(), parse_math=False)
        axes.set_ylim(len(positions) - 0.5, -0.5)  # the first label on top
        axes.tick_params(axis="y", length=0)
    else:
        room = max(6, int(90 / max(1, len(chart.labels))))  # characters a column's label has room for
        labels = [_wrap(label, room) for label in chart.labels]
        axes.set_xticks(positions, labels, fontproperties=_font(), parse_math=False)
        extra = max(0, MIN_COLUMNS - len(positions)) / 2  # few columns keep a column's width, centred
        axes.set_xlim(-0.6 - extra, len(positions) - 0.4 + extra)
        axes.tick_params(axis="x", length=0)


def _value_axis(axes, chart: Chart, top: float, *, horizontal: bool) -> None:
    ticks = _ticks(chart, top)
    labels = [_tick(chart, t) for t in ticks]
    limit = max(ticks[-1], top) * 1.12  # room for the figures written at the bars' ends
    if horizontal:
        axes.set_xticks(ticks, labels, fontproperties=_font(), parse_math=False)
        axes.set_xlim(0, limit)
        axes.grid(axis="x", color=GRID, linewidth=0.5)
        axes.spines["left"].set_visible(True)
    else:
        axes.set_yticks(ticks, labels, fontproperties=_font(), parse_math=False)
        axes.set_ylim(0, limit)
        axes.grid(axis="y", color=GRID, linewidth=0.5)


def _bars(axes, chart: Chart) -> list:
    horizontal, stacked = chart.kind == "hbar", chart.kind == "stacked"
    count = len(chart.labels)
    positions = [float(i) for i in range(count)]
    groups = 1 if stacked else len(chart.series)
    width = 0.7 if groups == 1 else 0.8 / groups
    bottoms = [0.0] * count
    handles = []
    for index, series in enumerate(chart.series):
        fill = FILLS[index % len(FILLS)]
        values = [value or 0 for value in series.values]
        offset = 0.0 if groups == 1 else (index - (groups - 1) / 2) * width
        places = [p + offset for p in positions]
        style = dict(
            color=fill,
            edgecolor="black",
            linewidth=0.5,
            hatch=HATCHES[index % len(HATCHES)] or None,
            hatchcolor=_hatch_colour(fill),
        )
        if horizontal:
            bars = axes.barh(places, values, width, left=bottoms if stacked else None, **style)
        else:
            bars = axes.bar(places, values, width, bottom=bottoms if stacked else None, **style)
        handles.append(bars)
        if not stacked:
            shown = [_number(chart, value) if value is not None else "" for value in series.values]
            axes.bar_label(bars, shown, padding=2, fontproperties=_font(VALUE_PT), parse_math=False)
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    top = max(bottoms) if stacked else max((v for s in chart.series for v in s.values if v is not None), default=0)
    if stacked:  # the column's total above it
        for place, total in zip(positions, bottoms, strict=True):
            if total:
                xy, align = ((total, place), dict(ha="left", va="center")) if horizontal else ((place, total), {})
                axes.annotate(
                    _number(chart, total),
                    xy,
                    xytext=(3, 0) if horizontal else (0, 2),
                    textcoords="offset points",
                    ha=align.get("ha", "center"),
                    va=align.get("va", "bottom"),
                    fontproperties=_font(VALUE_PT, bold=True),
                    parse_math=False,
                )
    _category_axis(axes, chart, positions, horizontal=horizontal)
    _value_axis(axes, chart, top, horizontal=horizontal)
    return handles


def _line(axes, chart: Chart) -> list:
    positions = [float(i) for i in range(len(chart.labels))]
    handles = []
    for index, series in enumerate(chart.series):
        values = [math.nan if value is None else value for value in series.values]
        (line,) = axes.plot(
            positions,
            values,
            color=LINES[index % len(LINES)],
            linestyle=DASHES[index % len(DASHES)],
            marker=MARKERS[index % len(MARKERS)],
            linewidth=1.6,
            markersize=5,
        )
        handles.append(line)
        for place, value in zip(positions, series.values, strict=True):
            if value is not None:
                axes.annotate(
                    _number(chart, value),
                    (place, value),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontproperties=_font(VALUE_PT),
                    parse_math=False,
                )
    top = max((v for s in chart.series for v in s.values if v is not None), default=0)
    _category_axis(axes, chart, positions, horizontal=False)
    _value_axis(axes, chart, top, horizontal=False)
    return handles
