"""The charts of the outreach overview (work by locality), from the figures its queries computed
(queries.locality_overview, queries.missed_by_month): no query here."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from lienhiep.core.charts import Chart, Series
from lienhiep.core.figures import month_year_label, top_with_other

TOP = 12  # localities shown by name; the rest are summed as «Khác»
MONTHS = 12  # the months the overdue chart runs over, this one included


def _name(row: dict) -> str:
    return row["unit"].name  # «Huyện Đăk Tô», not «Đăk Tô»: a commune may bear its old district's name


def _ranked_note(rows: list) -> str:
    if len(rows) > TOP + 1:
        return _("The %(n)d localities with the most are named; the others are summed under «Other».") % {"n": TOP}
    return ""


def sessions_chart(rows: list[dict]) -> Chart:
    """Working sessions held in each locality (all time)."""
    shown = top_with_other([(_name(r), [r["sessions"]]) for r in rows if r["sessions"]], TOP)
    return Chart(
        key="sessions-by-locality",
        title=_("Working sessions by locality"),
        label_header=_("Locality"),
        labels=tuple(label for label, _v in shown),
        series=(Series(_("Working sessions"), tuple(v[0] for _label, v in shown)),),
        kind="hbar",
        note=_ranked_note([r for r in rows if r["sessions"]]),
        total=True,
    )


def actions_chart(rows: list[dict]) -> Chart:
    """Action items of each locality: done, open and not yet due, open and overdue (dropped ones are not counted)."""
    figures = [(_name(r), [r["done"], r["open"] - r["overdue"], r["overdue"]]) for r in rows if r["done"] or r["open"]]
    shown = top_with_other(figures, TOP)
    notes = [_("Dropped action items, and those with no locality, are not counted.")]
    if ranked := _ranked_note(figures):
        notes.append(ranked)
    return Chart(
        key="actions-by-locality",
        title=_("Action items by locality"),
        label_header=_("Locality"),
        labels=tuple(label for label, _v in shown),
        series=(
            Series(_("Done"), tuple(v[0] for _label, v in shown)),
            Series(_("Not yet due"), tuple(v[1] for _label, v in shown)),
            Series(_("Overdue"), tuple(v[2] for _label, v in shown)),
        ),
        kind="hstacked",
        note=" ".join(notes),
        total=True,
    )


def overdue_chart(overdue: dict[datetime.date, int]) -> Chart:
    """How many action items were overdue at the end of each month (queries.overdue_at_month_ends)."""
    months = list(overdue)
    return Chart(
        key="overdue-by-month",
        title=_("Overdue action items at the end of each month"),
        label_header=_("Month"),
        labels=tuple(month_year_label(m) for m in months),
        series=(Series(_("Overdue"), tuple(overdue[m] for m in months)),),
        kind="line",
        note=_(
            "At the end of each month (today, for this month): the action items due before that day and neither done "
            "nor dropped by then. The day an item was dropped is read from its history."
        ),
    )
