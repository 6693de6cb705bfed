"""The year at a glance («Năm nay») on the dashboard of the Union's staff, leader and administrator (permission
`core.view_overview`): a few small charts, each app's own. Each app registers from its AppConfig.ready() a function
giving its charts of one year (one grouped query or so each: the dashboard has a query budget), with its place
(`order`, smallest first); the core knows no app by name."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from lienhiep.core.charts import Chart
from lienhiep.core.models import Union


@dataclass(frozen=True)
class Glance:
    name: str
    order: int
    build: Callable[[Union, int, datetime.date], list[Chart]]  # (union, year, today) → its charts of that year


GLANCES: list[Glance] = []


def register_glance(name: str, build: Callable[[Union, int, datetime.date], list[Chart]], *, order: int) -> None:
    if not any(glance.name == name for glance in GLANCES):
        GLANCES.append(Glance(name, order, build))
        GLANCES.sort(key=lambda glance: glance.order)


def year_at_a_glance(union: Union, today: datetime.date) -> list[Chart]:
    """Every app's charts of today's year, for the Union."""
    return [chart for glance in GLANCES for chart in glance.build(union, today.year, today)]
