"""The year's figures of the advisory work (cases received in the year): counts by kind, agency, locality and
field; the reports sent on time; the agencies' acceptance of the recommendations; exported to Excel. The annual
report that carries them to the provincial authorities and VUSTA is `annual_report`."""

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lienhiep.advisory.models import STAGE_DAYS, Case, Kind, Recommendation, Review, Status
from lienhiep.advisory.queries import Acceptance, acceptance, acceptance_by
from lienhiep.core.models import Union
from lienhiep.core.text import sort_key
from lienhiep.experts.excel import FORMULA_STARTS, _cell_value

# Without a deadline asked by the agency, a report is on time within the stages' usual days from receipt.
USUAL_DAYS = sum(
    STAGE_DAYS[s]
    for s in (
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.COUNCIL_PENDING,
        Status.COUNCIL_FORMED,
        Status.REVIEWING,
        Status.CONSOLIDATING,
        Status.REPORT_PENDING,
        Status.REPORT_SIGNED,
    )
)
SENT_STATES = (Status.SENT, Status.ANSWERED, Status.ASSESSED, Status.CLOSED)


def is_on_time(sent_on: datetime.date, deadline: datetime.date | None, received_on: datetime.date) -> bool:
    """Whether a report was sent on time: by the deadline the agency asked for or, without one, within the stages'
    usual days (USUAL_DAYS) from receipt. The one rule behind every «on time» figure."""
    return sent_on <= (deadline or received_on + datetime.timedelta(days=USUAL_DAYS))


@dataclass
class Row:
    label: str
    cases: int
    acceptance: Acceptance = field(default_factory=Acceptance)


@dataclass
class YearStats:
    year: int
    total: int
    by_kind: list[Row]
    by_status: list[Row]
    by_agency: list[Row]
    by_locality: list[Row]
    by_field: list[Row]
    sent: int
    on_time: int
    acceptance: Acceptance
    reviews: int
    reviews_on_time: int
    cases: list[Case]

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.sent, 1) if self.sent else None

    @property
    def reviews_on_time_rate(self) -> float | None:
        return round(100 * self.reviews_on_time / self.reviews, 1) if self.reviews else None


def _rows(counts: dict, acceptances: dict | None = None, labels: dict | None = None) -> list[Row]:
    rows = [
        Row(str((labels or {}).get(key, key) or "—"), n, (acceptances or {}).get(key, Acceptance()))
        for key, n in counts.items()
    ]
    rows.sort(key=lambda r: (-r.cases, sort_key(r.label)))
    return rows


def year_stats(union: Union, year: int) -> YearStats:
    """Every figure in a fixed number of queries, whatever the number of cases."""
    cases = Case.objects.filter(union=union, year=year)
    recs = Recommendation.objects.filter(case__in=cases)
    kinds = dict(cases.values_list("kind").annotate(n=Count("pk")).order_by())
    statuses = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    agencies = dict(cases.values_list("requesting_agency__name").annotate(n=Count("pk")).order_by())
    localities = dict(cases.values_list("admin_unit__name").annotate(n=Count("pk")).order_by())
    fields = dict(cases.values_list("fields__name").annotate(n=Count("pk")).order_by())
    sent_cases = list(
        cases.filter(status__in=SENT_STATES, sent_on__isnull=False).values_list(
            "sent_on", "requested_deadline", "received_on"
        )
    )
    on_time = sum(1 for sent_on, deadline, received in sent_cases if is_on_time(sent_on, deadline, received))
    reviews = Review.objects.filter(case__in=cases, state=Review.State.SUBMITTED, due_on__isnull=False)
    reviews_on_time = sum(
        1 for submitted, due in reviews.values_list("submitted_at", "due_on") if submitted.date() <= due
    )
    return YearStats(
        year=year,
        total=sum(kinds.values()),
        by_kind=_rows(kinds, acceptance_by(recs, "case__kind"), dict(Kind.choices)),
        by_status=_rows(statuses, None, dict(Status.choices)),
        by_agency=_rows(
            agencies, acceptance_by(recs, "case__requesting_agency__name"), {None: _("The Union's own initiative")}
        ),
        by_locality=_rows(localities, acceptance_by(recs, "case__admin_unit__name")),
        by_field=_rows({k: v for k, v in fields.items() if k is not None}),
        sent=len(sent_cases),
        on_time=on_time,
        acceptance=acceptance(recs),
        reviews=reviews.count(),
        reviews_on_time=reviews_on_time,
        cases=list(
            cases.select_related("requesting_agency", "admin_unit")
            .annotate(
                n_recs=Count("recommendations", distinct=True),
                n_accepted=Count("recommendations", filter=Q(recommendations__response="accepted"), distinct=True),
            )
            .order_by("seq")
        ),
    )


@dataclass
class YearLine:
    """One year of the history: the cases received in it by kind, how many of their reports were sent and on time,
    and the answers to their recommendations (the same figures as that year's `YearStats`)."""

    year: int
    by_kind: dict[str, int] = field(default_factory=dict)  # Kind value → cases
    sent: int = 0
    on_time: int = 0
    acceptance: Acceptance = field(default_factory=Acceptance)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def late(self) -> int:
        return self.sent - self.on_time


def history(union: Union, *, since: int | None = None, until: int | None = None) -> list[YearLine]:
    """Year by year, oldest first, every year from the first with cases to the last (a year without cases between
    them included, empty), within `since`…`until` when given. Three queries, whatever the number of cases."""
    cases = Case.objects.filter(union=union)
    if since is not None:
        cases = cases.filter(year__gte=since)
    if until is not None:
        cases = cases.filter(year__lte=until)
    counts = cases.values_list("year", "kind").annotate(n=Count("pk")).order_by()
    lines: dict[int, YearLine] = {}
    for year, kind, n in counts:
        lines.setdefault(year, YearLine(year)).by_kind[kind] = n
    if not lines:
        return []
    sent = cases.filter(status__in=SENT_STATES, sent_on__isnull=False)
    for year, sent_on, deadline, received in sent.values_list("year", "sent_on", "requested_deadline", "received_on"):
        line = lines[year]
        line.sent += 1
        line.on_time += is_on_time(sent_on, deadline, received)
    for year, answers in acceptance_by(Recommendation.objects.filter(case__in=cases), "case__year").items():
        lines[year].acceptance = answers
    return [lines.get(year) or YearLine(year) for year in range(min(lines), max(lines) + 1)]


def by_year(union: Union) -> list[Row]:
    """Cases received and the acceptance of their recommendations, year by year, the latest first."""
    return [Row(str(line.year), line.total, line.acceptance) for line in reversed(history(union)) if line.total]


def years_of(union: Union) -> list[int]:
    return list(Case.objects.filter(union=union).values_list("year", flat=True).distinct().order_by("-year"))


def _append(sheet, row: list) -> None:
    """A row of text as Excel accepts it (control characters dropped), never a live formula (a title "=…")."""
    sheet.append([_cell_value(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"


def stats_xlsx(union: Union, stats: YearStats) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    bold = Font(bold=True)
    _append(sheet, [f"Hoạt động tư vấn, phản biện và giám định xã hội năm {stats.year}"])
    sheet["A1"].font = bold
    _append(sheet, [union.name])
    _append(sheet, [])
    for label, value in [
        ("Số hồ sơ tiếp nhận", stats.total),
        ("Số báo cáo đã gửi", stats.sent),
        ("Gửi đúng hạn", stats.on_time),
        ("Tỷ lệ đúng hạn (%)", stats.on_time_rate),
        ("Số kiến nghị", stats.acceptance.answered + stats.acceptance.unanswered),
        ("Tiếp thu", stats.acceptance.accepted),
        ("Tiếp thu một phần", stats.acceptance.partly),
        ("Không tiếp thu", stats.acceptance.not_accepted),
        ("Chưa trả lời", stats.acceptance.unanswered),
        ("Tỷ lệ tiếp thu (%)", stats.acceptance.rate),
        ("Ý kiến chuyên gia đã nộp", stats.reviews),
        ("Nộp đúng hạn", stats.reviews_on_time),
    ]:
        _append(sheet, [label, value])
    for title, rows in [
        ("Theo loại", stats.by_kind),
        ("Theo cơ quan", stats.by_agency),
        ("Theo địa bàn", stats.by_locality),
        ("Theo lĩnh vực", stats.by_field),
    ]:
        ws = book.create_sheet(title)
        _append(
            ws,
            [
                title.replace("Theo ", "").capitalize(),
                "Số hồ sơ",
                "Tiếp thu",
                "Một phần",
                "Không tiếp thu",
                "Tỷ lệ tiếp thu (%)",
            ],
        )
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            a = row.acceptance
            _append(ws, [row.label, row.cases, a.accepted, a.partly, a.not_accepted, a.rate])
    ws = book.create_sheet("Danh sách hồ sơ")
    _append(
        ws,
        [
            "Số hồ sơ",
            "Loại",
            "Tên hồ sơ",
            "Cơ quan đề nghị",
            "Địa bàn",
            "Ngày nhận",
            "Ngày gửi báo cáo",
            "Trạng thái",
            "Số kiến nghị",
            "Tiếp thu",
        ],
    )
    for cell in ws[1]:
        cell.font = bold
    for case in stats.cases:
        _append(
            ws,
            [
                case.code,
                str(case.get_kind_display()),
                case.title,
                case.requesting_agency.name if case.requesting_agency_id else "",
                case.admin_unit.name if case.admin_unit_id else "",
                case.received_on,
                case.sent_on,
                str(case.get_status_display()),
                case.n_recs,
                case.n_accepted,
            ],
        )
        for cell in ws[ws.max_row][5:7]:
            cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
