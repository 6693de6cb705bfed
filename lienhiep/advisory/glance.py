"""The advisory figures of the dashboard's year at a glance (core.glance): cases received and reports sent, month
by month: one grouped query (read with the dashboard's other figures)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from lienhiep.advisory.models import Case
from lienhiep.advisory.stats import SENT_STATES
from lienhiep.core.charts import Chart, Series
from lienhiep.core.figures import month_label, months_of_year
from lienhiep.core.models import Union

RECEIVED, SENT = 0, 1


def year_rows(union: Union, year: int, today: datetime.date | None = None) -> QuerySet:
    """Cases received and reports sent per month of one year: rows (what, month, n), two grouped selects joined by
    UNION ALL."""
    cases = Case.objects.filter(union=union).order_by()
    received = (
        cases.filter(received_on__year=year)
        .annotate(what=Value(RECEIVED), month=ExtractMonth("received_on"))
        .values("what", "month")
        .annotate(n=Count("pk"))
    )
    sent = (
        cases.filter(status__in=SENT_STATES, sent_on__year=year)
        .annotate(what=Value(SENT), month=ExtractMonth("sent_on"))
        .values("what", "month")
        .annotate(n=Count("pk"))
    )
    return received.union(sent, all=True).order_by()


def monthly_counts(rows: Iterable[dict]) -> dict[int, dict[int, int]]:
    """{RECEIVED: {month: cases received}, SENT: {month: reports sent}} from the year's rows."""
    counts: dict[int, dict[int, int]] = {RECEIVED: {}, SENT: {}}
    for row in rows:
        counts[int(row["what"])][int(row["month"])] = row["n"]
    return counts


def year_charts(union: Union, year: int, today: datetime.date) -> list[Chart]:
    return charts(list(year_rows(union, year)), year, today)


def charts(rows: list[dict], year: int, today: datetime.date) -> list[Chart]:
    months = months_of_year(year, today)
    counts = monthly_counts(rows)
    return [
        Chart(
            key="glance-advisory",
            title=_("Consulting, critique and assessment in %(year)d") % {"year": year},
            label_header=_("Month"),
            labels=tuple(month_label(m) for m in months),
            series=(
                Series(_("Cases received"), tuple(counts[RECEIVED].get(m, 0) for m in months)),
                Series(_("Reports sent out"), tuple(counts[SENT].get(m, 0) for m in months)),
            ),
            kind="bar",
            note=_("Reports sent in the month, whatever the month the request was received."),
            total=True,
        )
    ]
