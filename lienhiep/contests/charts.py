"""The charts of a contest edition's statistics page, from the figures its queries computed (queries.entry_statistics,
queries.judging_progress, judging.overdue_sheets): no query here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lienhiep.core.charts import Chart, Series
from lienhiep.core.figures import top_with_other

TOP = 10  # localities and schools shown by name; the rest are summed as «Khác»


def _counts(
    key: str, title: str, header: str, rows: list[tuple[str, int]], *, kind: str = "hbar", rank=True, note: str = ""
) -> Chart:
    """One series of entry counts; ranked ones keep the TOP largest, largest first, and sum the rest."""
    if rank:
        rows = [(label, values[0]) for label, values in top_with_other([(label, [n]) for label, n in rows], TOP)]
    return Chart(
        key=key,
        title=title,
        label_header=header,
        labels=tuple(label for label, _n in rows),
        series=(Series(_("Entries"), tuple(n for _label, n in rows)),),
        kind=kind,
        note=note,
        total=True,
    )


def entry_charts(stats: dict) -> list[Chart]:
    """Entries (submitted or further) by field, locality, school and status."""
    by_field = [(f"{r['field__code']} — {r['field__name']}", r["n"]) for r in stats["by_field"]]
    by_locality = [(r["locality__name"] or _("No locality given"), r["n"]) for r in stats["by_locality"]]
    by_school = [(r["school__name"], r["n"]) for r in stats["by_school"]]
    more = _("The %(n)d largest are named; the others are summed under «Other».") % {"n": TOP}
    return [
        _counts("entries-by-field", _("Entries by field"), _("Field"), by_field, rank=False),
        _counts(
            "entries-by-locality",
            _("Entries by locality"),
            _("Locality"),
            by_locality,
            note=more if len(by_locality) > TOP + 1 else "",
        ),
        _counts(
            "entries-by-school",
            _("Entries by school"),
            _("School"),
            by_school,
            note=more if len(by_school) > TOP + 1 else _("Entries that name a school (the youth contest)."),
        ),
        _counts(
            "entries-by-status",
            _("Entries by status"),
            _("Status"),
            list(stats["by_status"]),
            kind="bar",
            rank=False,
            note=_("Drafts not yet submitted are not entries and are not counted."),
        ),
    ]


def progress_chart(progress: list[dict]) -> Chart:
    """Score sheets per round (and per field, when the edition has more than one): submitted, in progress, not
    started, stacked."""
    several_fields = len({row["field_code"] for row in progress}) > 1
    labels = tuple(f"{row['round']} · {row['field_code']}" if several_fields else row["round"] for row in progress)
    return Chart(
        key="judging-progress",
        title=_("Judging progress: score sheets"),
        label_header=_("Round · field") if several_fields else _("Round"),
        labels=labels,
        series=(
            Series(_("Submitted"), tuple(row["submitted"] for row in progress)),
            Series(_("Being scored"), tuple(row["in_progress"] for row in progress)),
            Series(_("Not scored yet"), tuple(row["not_started"] for row in progress)),
        ),
        kind="stacked",
        note=_(
            "One sheet per confirmed judge and entry. Being scored: scores saved but not submitted; "
            "not scored yet: nothing saved."
        ),
        total=True,
    )


def long_lists(stats: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    """The lists a chart cut to its TOP rows, whole (shown folded under the charts): [(title, [(name, n)])]."""
    lists = [
        (_("All localities"), [(r["locality__name"] or _("No locality given"), r["n"]) for r in stats["by_locality"]]),
        (_("All schools"), [(r["school__name"], r["n"]) for r in stats["by_school"]]),
    ]
    return [(title, rows) for title, rows in lists if len(rows) > TOP + 1]
