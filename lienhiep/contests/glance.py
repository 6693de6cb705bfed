"""The contest figures of the dashboard's year at a glance (core.glance): entries submitted month by month, per
contest: one grouped query (read with the dashboard's other figures)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from lienhiep.contests.models import Edition, Entry
from lienhiep.core.charts import Chart, Series
from lienhiep.core.figures import month_label, months_of_year
from lienhiep.core.models import Union


def year_rows(union: Union, year: int, today: datetime.date | None = None) -> QuerySet:
    """Entries submitted per contest kind and month of one year (drafts are not entries)."""
    return (
        Entry.objects.filter(union=union, submitted_at__year=year)
        .exclude(status=Entry.Status.DRAFT)
        .annotate(month=ExtractMonth("submitted_at"))
        .values("edition__kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )


def monthly_entries(rows: Iterable[dict]) -> dict[str, dict[int, int]]:
    """{contest kind: {month: entries submitted}} from the year's rows."""
    counts: dict[str, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row["edition__kind"], {})[int(row["month"])] = row["n"]
    return counts


def year_charts(union: Union, year: int, today: datetime.date) -> list[Chart]:
    return charts(list(year_rows(union, year)), year, today)


def charts(rows: list[dict], year: int, today: datetime.date) -> list[Chart]:
    months = months_of_year(year, today)
    counts = monthly_entries(rows)
    kinds = [kind for kind in Edition.Kind if kind in counts] or list(Edition.Kind)[:1]
    return [
        Chart(
            key="glance-contests",
            title=_("Contest entries in %(year)d") % {"year": year},
            label_header=_("Month"),
            labels=tuple(month_label(m) for m in months),
            series=tuple(
                Series(str(kind.label), tuple(counts.get(kind, {}).get(m, 0) for m in months)) for kind in kinds
            ),
            kind="bar",
            note=_("Entries submitted in the month, by contest; drafts are not counted."),
            total=True,
        )
    ]
