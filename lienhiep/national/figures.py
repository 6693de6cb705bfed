"""Every Union's figures for one year, side by side: aggregates only (counts and rates), never a record.

`national_table(year)` reads each figure for all Unions at once (a fixed number of grouped queries, whatever the
number of Unions); the national pages, the charts and the Excel table all read from it, so they agree.

What counts in a year:
- advisory (TVPB&GĐXH) work: the cases received in the year (`Case.year`), by kind; the reports sent, and those sent on
  time by the advisory module's own rule; the agencies' acceptance of the recommendations of those cases (accepted
  1, partly ½, over the answered);
- contests: the editions whose results were announced in the year (or, without a date, whose dossier deadline fell
  in it), not the ones still being prepared; their entries (submitted, so not drafts); the awards given once the
  leader approved them; the entries nominated to the national contest;
- working sessions with localities held in the year;
- the annual report sent to the national body: its state, and whether it is late.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lienhiep.advisory.models import Case, Kind, Recommendation
from lienhiep.advisory.queries import Acceptance, acceptance_by
from lienhiep.advisory.stats import SENT_STATES, is_on_time
from lienhiep.contests.models import Award, Edition, Entry
from lienhiep.core.charts import Chart, Series, rate
from lienhiep.core.models import Union
from lienhiep.core.text import sort_key
from lienhiep.national.models import AnnualSubmission, ReportingYear, report_is_late
from lienhiep.outreach.models import WorkSession

AWARDED_STATES = (Edition.Status.APPROVED, Edition.Status.PUBLISHED)


@dataclass
class UnionFigures:
    union: Union
    cases_by_kind: Counter = field(default_factory=Counter)
    sent: int = 0
    on_time: int = 0
    acceptance: Acceptance = field(default_factory=Acceptance)
    editions: int = 0
    entries: int = 0
    awards: int = 0
    nominations: int = 0
    sessions: int = 0
    submission: AnnualSubmission | None = None
    late: bool = False  # no report in (none, or returned) and the due date has passed

    @property
    def cases(self) -> int:
        return sum(self.cases_by_kind.values())

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.sent)

    @property
    def report_state(self) -> str:
        if self.submission is None:
            return _("Not submitted yet")
        return str(self.submission.get_status_display())


@dataclass
class NationalTable:
    year: int
    due_on: datetime.date
    rows: list[UnionFigures]
    past_due: bool  # today is after the due date of the year's reports

    @property
    def late(self) -> list[UnionFigures]:
        return [row for row in self.rows if row.late]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def cases_by_kind(self) -> Counter:
        total: Counter = Counter()
        for row in self.rows:
            total.update(row.cases_by_kind)
        return total

    @property
    def acceptance(self) -> Acceptance:
        total = Acceptance()
        for row in self.rows:
            for name in ("accepted", "partly", "not_accepted", "unanswered"):
                setattr(total, name, getattr(total, name) + getattr(row.acceptance, name))
        return total

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.total("on_time"), self.total("sent"))


def editions_of_year(year: int):
    """The contest editions of a year: results announced in it, or (no date) the dossier deadline in it."""
    return Edition.objects.exclude(status=Edition.Status.DRAFT).filter(
        Q(results_on__year=year) | Q(results_on__isnull=True, submission_deadline__year=year)
    )


def national_table(year: int, today: datetime.date | None = None) -> NationalTable:
    today = today or timezone.localdate()
    unions = sorted(Union.objects.filter(is_active=True).select_related("province"), key=lambda u: sort_key(u.name))
    rows = {union.pk: UnionFigures(union) for union in unions}

    def row(union_id: int) -> UnionFigures | None:
        return rows.get(union_id)

    cases = Case.objects.filter(year=year)
    for union_id, kind, n in cases.values_list("union", "kind").annotate(n=Count("pk")).order_by():
        if r := row(union_id):
            r.cases_by_kind[kind] += n
    sent = cases.filter(status__in=SENT_STATES, sent_on__isnull=False)
    for union_id, sent_on, deadline, received in sent.values_list(
        "union", "sent_on", "requested_deadline", "received_on"
    ):
        if r := row(union_id):
            r.sent += 1
            r.on_time += is_on_time(sent_on, deadline, received)
    for union_id, accepted in acceptance_by(Recommendation.objects.filter(case__year=year), "case__union").items():
        if r := row(union_id):
            r.acceptance = accepted

    editions = editions_of_year(year)
    for union_id, n in editions.values_list("union").annotate(n=Count("pk")).order_by():
        if r := row(union_id):
            r.editions = n
    entries = Entry.objects.filter(edition__in=editions).exclude(status=Entry.Status.DRAFT)
    for union_id, n, nominated in (
        entries.values_list("edition__union")
        .annotate(n=Count("pk"), nominated=Count("pk", filter=Q(nominated_at__isnull=False)))
        .order_by()
    ):
        if r := row(union_id):
            r.entries, r.nominations = n, nominated
    awards = Award.objects.filter(
        entry__edition__in=editions, entry__edition__status__in=AWARDED_STATES, tier__isnull=False
    )
    for union_id, n in awards.values_list("entry__edition__union").annotate(n=Count("pk")).order_by():
        if r := row(union_id):
            r.awards = n
    sessions = WorkSession.objects.filter(held_on__year=year)
    for union_id, n in sessions.values_list("union").annotate(n=Count("pk")).order_by():
        if r := row(union_id):
            r.sessions = n

    due_on = ReportingYear.due_date(year)
    for submission in AnnualSubmission.objects.filter(year=year).select_related("document"):
        if r := row(submission.union_id):
            r.submission = submission
    for r in rows.values():
        r.late = report_is_late(r.submission, due_on, today)
    return NationalTable(year=year, due_on=due_on, rows=list(rows.values()), past_due=today > due_on)


def years_with_figures() -> list[int]:
    """The years any Union has work in (advisory cases), newest first."""
    return list(Case.objects.values_list("year", flat=True).distinct().order_by("-year"))


def charts(table: NationalTable) -> list[Chart]:
    names = tuple(row.union.short_name for row in table.rows)
    kinds = [(value, label) for value, label in Kind.choices]
    return [
        Chart(
            key="cases-by-kind",
            title=_("Consulting, critique and assessment cases received in %(year)s, by kind") % {"year": table.year},
            label_header=_("Union"),
            labels=names,
            series=tuple(
                Series(str(label), tuple(row.cases_by_kind.get(value, 0) for row in table.rows))
                for value, label in kinds
            ),
            kind="hstacked",
            total=True,
        ),
        Chart(
            key="acceptance",
            title=_("Recommendations accepted by the agencies (%)"),
            label_header=_("Union"),
            labels=names,
            series=(Series(_("Acceptance rate"), tuple(row.acceptance.rate for row in table.rows)),),
            kind="hbar",
            unit="%",
            decimals=1,
            note=_("Accepted in full counts 1, partly accepted ½, over the answered recommendations."),
        ),
        Chart(
            key="on-time",
            title=_("Reports sent on time (%)"),
            label_header=_("Union"),
            labels=names,
            series=(Series(_("Sent on time"), tuple(row.on_time_rate for row in table.rows)),),
            kind="hbar",
            unit="%",
            decimals=1,
        ),
        Chart(
            key="contests",
            title=_("Contests of %(year)s: entries, awards and nominations to the national contests")
            % {"year": table.year},
            label_header=_("Union"),
            labels=names,
            series=(
                Series(_("Entries"), tuple(row.entries for row in table.rows)),
                Series(_("Awards"), tuple(row.awards for row in table.rows)),
                Series(_("Nominated"), tuple(row.nominations for row in table.rows)),
            ),
            kind="hbar",
            total=True,
        ),
    ]


def national_xlsx(table: NationalTable) -> bytes:
    """The national table: one row per Union, every figure of the year, the totals, and the reports' state."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Năm {table.year}"
    bold = Font(bold=True)
    sheet.append([f"Tổng hợp hoạt động của các Liên hiệp hội tỉnh, thành phố năm {table.year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Hạn gửi báo cáo năm: {table.due_on:%d/%m/%Y}. Lập ngày {timezone.localdate():%d/%m/%Y}."])
    sheet.append([])
    kinds = list(Kind.choices)
    header = [
        "TT",
        "Liên hiệp hội",
        "Tỉnh, thành phố",
        *[f"Hồ sơ {label.lower()}" for _value, label in kinds],
        "Tổng số hồ sơ",
        "Báo cáo đã gửi",
        "Gửi đúng hạn",
        "Tỷ lệ đúng hạn (%)",
        "Kiến nghị đã trả lời",
        "Tiếp thu",
        "Tiếp thu một phần",
        "Không tiếp thu",
        "Tỷ lệ tiếp thu (%)",
        "Hội thi tổ chức",
        "Bài dự thi",
        "Giải thưởng",
        "Đề cử dự thi toàn quốc",
        "Buổi làm việc với địa phương",
        "Báo cáo năm",
        "Ngày gửi",
        "Quá hạn",
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(table.rows, start=1):
        a = row.acceptance
        sheet.append(
            [
                number,
                row.union.name,
                row.union.province.name if row.union.province_id else "",
                *[row.cases_by_kind.get(value, 0) for value, _label in kinds],
                row.cases,
                row.sent,
                row.on_time,
                row.on_time_rate,
                a.answered,
                a.accepted,
                a.partly,
                a.not_accepted,
                a.rate,
                row.editions,
                row.entries,
                row.awards,
                row.nominations,
                row.sessions,
                row.report_state,
                row.submission.submitted_at.astimezone(timezone.get_current_timezone()).date()
                if row.submission
                else None,
                "Quá hạn" if row.late else "",
            ]
        )
        sheet.cell(sheet.max_row, len(header) - 1).number_format = "DD/MM/YYYY"
    a = table.acceptance
    kinds_total = table.cases_by_kind
    sheet.append(
        [
            "",
            "Cả nước",
            "",
            *[kinds_total.get(value, 0) for value, _label in kinds],
            table.total("cases"),
            table.total("sent"),
            table.total("on_time"),
            table.on_time_rate,
            a.answered,
            a.accepted,
            a.partly,
            a.not_accepted,
            a.rate,
            table.total("editions"),
            table.total("entries"),
            table.total("awards"),
            table.total("nominations"),
            table.total("sessions"),
            f"{len(table.rows) - len(table.late)}/{len(table.rows)} không quá hạn",
            None,
            len(table.late),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].width = 22
    sheet.freeze_panes = "D5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def nominations_by_edition() -> list[tuple[Edition, list[Entry]]]:
    """The national inbox: every edition with entries nominated to the national contest, newest first, with them."""
    entries = (
        Entry.objects.filter(nominated_at__isnull=False)
        .select_related("edition__union", "field", "award__tier")
        .order_by("-edition__results_on", "edition__union__name", "edition_id", "number")
    )
    grouped: dict[int, list[Entry]] = defaultdict(list)
    editions: dict[int, Edition] = {}
    for entry in entries:
        grouped[entry.edition_id].append(entry)
        editions.setdefault(entry.edition_id, entry.edition)
    return [(editions[pk], grouped[pk]) for pk in editions]
