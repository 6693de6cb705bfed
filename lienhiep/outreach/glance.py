"""The outreach figures of the dashboard's year at a glance (core.glance): working sessions held, action items done
and action items that missed their due date (by the month they fell due), month by month: one query (read with the
dashboard's other figures)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from lienhiep.core.charts import Chart, Series
from lienhiep.core.figures import month_label, months_of_year
from lienhiep.core.models import Union
from lienhiep.outreach.models import ActionItem, WorkSession
from lienhiep.outreach.queries import missed_due_date

SESSIONS, DONE, MISSED = 0, 1, 2


def year_rows(union: Union, year: int, today: datetime.date) -> QuerySet:
    """Sessions held, items done and items that missed their due date (by the month due) per month of one year:
    rows (what, month, n), three grouped selects joined by UNION ALL."""

    def per_month(queryset, what: int, day: str):
        return (
            queryset.order_by()
            .annotate(what=Value(what), month=ExtractMonth(day))
            .values("what", "month")
            .annotate(n=Count("pk"))
        )

    items = ActionItem.objects.filter(union=union)
    sessions = per_month(WorkSession.objects.filter(union=union, held_on__year=year), SESSIONS, "held_on")
    done = per_month(items.filter(status=ActionItem.Status.DONE, completed_on__year=year), DONE, "completed_on")
    missed = per_month(missed_due_date(items.filter(due_on__year=year), today), MISSED, "due_on")
    return sessions.union(done, missed, all=True).order_by()


def monthly_counts(rows: Iterable[dict]) -> dict[int, dict[int, int]]:
    """{SESSIONS: {month: sessions held}, DONE: {month: items done}, MISSED: {month due: items that missed their due
    date}} from the year's rows."""
    counts: dict[int, dict[int, int]] = {SESSIONS: {}, DONE: {}, MISSED: {}}
    for row in rows:
        counts[int(row["what"])][int(row["month"])] = row["n"]
    return counts


def year_charts(union: Union, year: int, today: datetime.date) -> list[Chart]:
    return charts(list(year_rows(union, year, today)), year, today)


def charts(rows: list[dict], year: int, today: datetime.date) -> list[Chart]:
    months = months_of_year(year, today)
    counts = monthly_counts(rows)
    return [
        Chart(
            key="glance-outreach",
            title=_("Working sessions and action items in %(year)d") % {"year": year},
            label_header=_("Month"),
            labels=tuple(month_label(m) for m in months),
            series=(
                Series(_("Sessions held"), tuple(counts[SESSIONS].get(m, 0) for m in months)),
                Series(_("Action items done"), tuple(counts[DONE].get(m, 0) for m in months)),
                Series(_("Missed their due date"), tuple(counts[MISSED].get(m, 0) for m in months)),
            ),
            kind="bar",
            note=_(
                "Missed their due date: the action items due in the month that were not done by then (still open, "
                "or done later); dropped ones are not counted."
            ),
            total=True,
        )
    ]
