"""The year at a glance («Năm nay») on the dashboard of the Union's staff, leader and administrator (permission
`core.view_overview`): a few small charts, each app's own. Each app registers from its AppConfig.ready() the grouped
figures of one year (a `values()` queryset: the dashboard reads every app's with its other figures, in one query)
and the function that draws its charts from those rows, with its place (`order`, smallest first); the core knows no
app by name."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from lienhiep.core.charts import Chart
from lienhiep.core.models import Union
from lienhiep.core.onequery import OneQuery, Pending


@dataclass(frozen=True)
class Glance:
    name: str
    order: int
    rows: Callable[[Union, int, datetime.date], QuerySet]  # (union, year, today) → the year's grouped figures
    charts: Callable[[list[dict], int, datetime.date], list[Chart]]  # (those rows, year, today) → its charts


GLANCES: list[Glance] = []


def register_glance(
    name: str,
    rows: Callable[[Union, int, datetime.date], QuerySet],
    charts: Callable[[list[dict], int, datetime.date], list[Chart]],
    *,
    order: int,
) -> None:
    if not any(glance.name == name for glance in GLANCES):
        GLANCES.append(Glance(name, order, rows, charts))
        GLANCES.sort(key=lambda glance: glance.order)


def read_year(union: Union, today: datetime.date, reads: OneQuery) -> Pending[list[Chart]]:
    """Every app's charts of today's year, for the Union, read with the page's other figures."""
    year = today.year
    pending = [(glance, reads.rows(glance.rows(union, year, today))) for glance in GLANCES]
    return Pending(lambda: [chart for glance, rows in pending for chart in glance.charts(rows.value, year, today)])


def year_at_a_glance(union: Union, today: datetime.date) -> list[Chart]:
    """The same charts on their own: one query for every app."""
    reads = OneQuery()
    charts = read_year(union, today, reads)
    reads.run()
    return charts.value
