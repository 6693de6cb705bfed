"""The advisory work's charts, drawn from the figures `stats` computes (no query of their own): the cases received
by kind and year, the reports sent on time and late by year, the acceptance of the recommendations by year and by
requesting agency, and the year's cases by status. The statistics page shows them (with their tables) and the annual
report carries the same ones as pictures (`paperwork.figures`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lienhiep.advisory.models import Kind, Status
from lienhiep.advisory.stats import USUAL_DAYS, YearLine, YearStats
from lienhiep.core.charts import Chart, Series
from lienhiep.core.text import sort_key


def _years(history: list[YearLine]) -> tuple[str, ...]:
    return tuple(str(line.year) for line in history)


def cases_by_kind_and_year(history: list[YearLine]) -> Chart:
    """Columns stacked by kind, one per year (the kinds that occur in these years)."""
    kinds = [kind for kind in Kind if any(line.by_kind.get(kind) for line in history)]
    return Chart(
        key="cases-by-kind-year",
        title=_("Cases received by kind and year"),
        label_header=_("Year"),
        labels=_years(history),
        series=tuple(Series(str(kind.label), tuple(line.by_kind.get(kind, 0) for line in history)) for kind in kinds),
        kind="stacked",
        total=True,
    )


def reports_on_time_by_year(history: list[YearLine]) -> Chart:
    """The reports sent, on time and late, by the year their case was received."""
    return Chart(
        key="reports-on-time",
        title=_("Reports sent on time and late, by year of receipt"),
        label_header=_("Year"),
        labels=_years(history),
        series=(
            Series(_("On time"), tuple(line.on_time for line in history)),
            Series(_("Late"), tuple(line.late for line in history)),
        ),
        kind="stacked",
        total=True,
        note=_(
            "A report is on time when it is sent by the deadline the agency asked for or, without one, within "
            "%(days)s days of receipt."
        )
        % {"days": USUAL_DAYS},
    )


ACCEPTANCE_NOTE = gettext_noop("The share of the answered recommendations accepted; one accepted in part counts half.")


def acceptance_by_year(history: list[YearLine]) -> Chart:
    """The acceptance rate of each year's recommendations: a line over three years or more, else columns."""
    return Chart(
        key="acceptance-by-year",
        title=_("Recommendations accepted, by year"),
        label_header=_("Year"),
        labels=_years(history),
        series=(Series(_("Acceptance rate"), tuple(line.acceptance.rate for line in history)),),
        kind="line" if len(history) >= 3 else "bar",
        unit="%",
        decimals=1,
        note=_(ACCEPTANCE_NOTE),
    )


def acceptance_by_agency(stats: YearStats) -> Chart:
    """Horizontal bars: the acceptance rate of each requesting agency that answered recommendations of the year's
    cases, the highest first."""
    rows = sorted(
        (row for row in stats.by_agency if row.acceptance.rate is not None),
        key=lambda row: (-row.acceptance.rate, sort_key(row.label)),
    )
    return Chart(
        key="acceptance-by-agency",
        title=_("Recommendations accepted by each requesting agency, %(year)s") % {"year": stats.year},
        label_header=_("Requesting agency"),
        labels=tuple(row.label for row in rows),
        series=(Series(_("Acceptance rate"), tuple(row.acceptance.rate for row in rows)),),
        kind="hbar",
        unit="%",
        decimals=1,
        note=_(ACCEPTANCE_NOTE) + " " + _("Agencies that have answered none are not shown."),
    )


def cases_by_status(stats: YearStats) -> Chart:
    """The year's cases by where they stand, in the order of the work."""
    order = {str(label): index for index, label in enumerate(Status.labels)}
    rows = sorted(stats.by_status, key=lambda row: order.get(row.label, len(order)))
    return Chart(
        key="cases-by-status",
        title=_("Cases received in %(year)s, by status") % {"year": stats.year},
        label_header=_("Status"),
        labels=tuple(row.label for row in rows),
        series=(Series(_("Cases"), tuple(row.cases for row in rows)),),
        kind="hbar",
        total=True,
    )


def page_charts(stats: YearStats, history: list[YearLine]) -> dict[str, Chart]:
    """The statistics page's charts: the chosen year's, then the years'."""
    return {
        "status": cases_by_status(stats),
        "agencies": acceptance_by_agency(stats),
        "kinds": cases_by_kind_and_year(history),
        "on_time": reports_on_time_by_year(history),
        "acceptance": acceptance_by_year(history),
    }
