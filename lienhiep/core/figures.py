"""Shaping figures for a chart (lienhiep.core.charts.Chart): a long list cut to its largest rows and «Khác» (the
rest, summed), and the months a chart runs over. Pure functions: the figures come from the apps' grouped queries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _

Row = tuple[str, Sequence[int]]


def top_with_other(rows: Sequence[Row], limit: int, other: str | None = None) -> list[tuple[str, list[int]]]:
    """The rows with the largest totals (all series summed), largest first, and one row «Khác» summing the rest
    when more than `limit` rows remain; ties keep the order given. A list of `limit + 1` rows or fewer is kept
    whole (an «other» of one row would hide its name for nothing)."""
    ordered = sorted(rows, key=lambda row: -sum(row[1]))
    if len(ordered) <= limit + 1:
        return [(label, list(values)) for label, values in ordered]
    kept, rest = ordered[:limit], ordered[limit:]
    width = len(rows[0][1])
    summed = [sum(values[i] for _label, values in rest) for i in range(width)]
    return [(label, list(values)) for label, values in kept] + [(other or _("Other"), summed)]


def month_starts(last: datetime.date, count: int) -> list[datetime.date]:
    """The first days of `count` months ending with the month of `last`, oldest first."""
    year, month = last.year, last.month
    starts = []
    for _i in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def months_of_year(year: int, today: datetime.date) -> list[int]:
    """The months of `year` a chart of that year shows: all twelve for a past year, up to today's for this one."""
    if year < today.year:
        return list(range(1, 13))
    if year > today.year:
        return []
    return list(range(1, today.month + 1))


def month_label(month: int) -> str:
    """A month of the year, short, for a chart's axis: «T3»."""
    return _("M%(month)d") % {"month": month}


def month_year_label(day: datetime.date) -> str:
    """A month of a run that crosses years: «3/2026»."""
    return f"{day.month}/{day.year}"
