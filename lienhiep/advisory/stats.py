"""The year's figures of the advisory work (cases received in the year): counts by kind, agency, locality and
field; the reports sent on time; the agencies' acceptance of the recommendations; exported to Excel and as the
annual report to the provincial authorities (Decree 30/2020 DOCX)."""

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lienhiep.advisory.models import STAGE_DAYS, AnnualReport, Case, Kind, Recommendation, Review, Status
from lienhiep.advisory.queries import Acceptance, acceptance, acceptance_by
from lienhiep.core.charts import Chart
from lienhiep.core.models import Person, Union, User
from lienhiep.core.services import check
from lienhiep.core.text import format_number, sort_key
from lienhiep.experts.excel import FORMULA_STARTS, _cell_value
from lienhiep.paperwork import Figure, Heading, Issue, Letterhead, OfficialDocument, Table, render_docx
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import issue_document, signer_of
from lienhiep.paperwork.signers import draft_signer

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


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{format_number(value, 1)}%"


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


ACCEPTANCE_HEADER = ("Số hồ sơ", "Tiếp thu", "Tiếp thu một phần", "Không tiếp thu", "Tỷ lệ tiếp thu")


def _figures(intro: str, label: str, rows: list[Row], *, acceptance: bool = True) -> list:
    """The sentence that introduces a table and the table: one row per kind, agency, locality or field, its cases
    and, where it has them, the answers to its recommendations."""
    if not rows:
        return [f"{intro}: không có số liệu."]
    lines = []
    for number, row in enumerate(rows, start=1):
        name = "Không xác định" if row.label == "—" else row.label
        line = (str(number), name, str(row.cases))
        if acceptance:
            a = row.acceptance
            line += (str(a.accepted), str(a.partly), str(a.not_accepted), _percent(a.rate))
        lines.append(line)
    if acceptance:
        header = ("TT", label, *ACCEPTANCE_HEADER)
        return [f"{intro}:", Table(header, tuple(lines), widths=(10, 45, 18, 18, 24, 24, 26), align="clccccc")]
    return [f"{intro}:", Table(("TT", label, "Số hồ sơ"), tuple(lines), widths=(10, 110, 45), align="clc")]


REPORT_YEARS = 5  # the annual report's charts cover the year and the four before it


def _figure(chart: Chart) -> list:
    """The chart as the report's picture, captioned with its title (none when it has no figures)."""
    if chart.is_empty:
        return []
    from lienhiep.paperwork import figures  # matplotlib, loaded by the report that draws, not by every process

    return [Figure(figures.chart_png(chart, height_mm=figures.height_mm(chart)), chart.title)]


def _years_table(chart: Chart) -> Table:
    """A year-by-year chart's figures as the report writes them: a row per year, a column per series, their total."""
    rows = tuple(
        (label, *cells, chart.cell(sum(series.values[index] or 0 for series in chart.series)))
        for index, (label, cells) in enumerate(chart.rows)
    )
    columns = len(chart.series)
    return Table(
        (chart.label_header, *(series.name for series in chart.series), "Tổng"),
        rows,
        widths=(20, *(30,) * columns, 24),
        align="c" * (columns + 2),
    )


def _over_the_years(intro: str, chart: Chart) -> list:
    """After the year's table: the years' table and the chart (only the chart when the years are this one)."""
    if chart.is_empty:
        return []
    if len(chart.labels) < 2:
        return _figure(chart)
    return [intro.format(years=f"{chart.labels[0]}–{chart.labels[-1]}"), _years_table(chart), *_figure(chart)]


def _province_committee(union: Union) -> str:
    """«Ủy ban nhân dân tỉnh Kon Tum»: the provincial authority the report goes to."""
    return f"Ủy ban nhân dân {union.province.title()}" if union.province_id else "Ủy ban nhân dân tỉnh"


def annual_report(union: Union, stats: YearStats, issue: Issue | None = None) -> OfficialDocument:
    """The year's report to the provincial authority and VUSTA: the figures as tables (by kind, agency, locality,
    field; reports sent and on time; the answers to the recommendations) with the charts of the cases by kind and
    year, the reports on time by year and the acceptance per agency, the list of cases."""
    from lienhiep.advisory import charts  # built on this module's figures

    with translation.override("vi"):  # a document in Vietnamese whatever the reader's language
        years = history(union, since=stats.year - REPORT_YEARS + 1, until=stats.year)
        kinds_chart = charts.cases_by_kind_and_year(years)
        on_time_chart = charts.reports_on_time_by_year(years)
        agency_chart = charts.acceptance_by_agency(stats)
    a = stats.acceptance
    kinds = Counter({row.label: row.cases for row in stats.by_kind})
    committee = _province_committee(union)
    recommendations = a.answered + a.unanswered
    if a.rate is None:
        answers = "chưa có kiến nghị được trả lời"
    else:
        answers = (
            f"cơ quan đề nghị đã trả lời {a.answered}/{recommendations} kiến nghị, tỷ lệ tiếp thu {_percent(a.rate)}"
        )
    progress = (
        ("1", "Báo cáo kết quả đã gửi cơ quan đề nghị", str(stats.sent)),
        ("2", "Trong đó gửi đúng hạn", f"{stats.on_time} ({_percent(stats.on_time_rate)})" if stats.sent else "0"),
        ("3", "Ý kiến chuyên gia đã nộp", str(stats.reviews)),
        ("4", "Trong đó nộp đúng hạn", str(stats.reviews_on_time)),
        ("5", "Kiến nghị đã gửi", str(recommendations)),
        ("6", "Được tiếp thu", str(a.accepted)),
        ("7", "Được tiếp thu một phần", str(a.partly)),
        ("8", "Không được tiếp thu", str(a.not_accepted)),
        ("9", "Chưa được trả lời", str(a.unanswered)),
        ("10", "Tỷ lệ tiếp thu", _percent(a.rate) if a.rate is not None else "chưa có trả lời"),
    )
    cases = tuple(
        (
            str(number),
            case.code,
            case.title,
            case.requesting_agency.name if case.requesting_agency_id else "",
            str(case.get_status_display()),
        )
        for number, case in enumerate(stats.cases, start=1)
    )
    body: list = [
        "Thực hiện Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ và Quyết định số "
        f"48/2017/QĐ-UBND ngày 27/9/2017 của {committee}, {union.name} báo cáo kết quả hoạt động tư vấn, phản biện "
        f"và giám định xã hội năm {stats.year} như sau:",
        Heading("I. KẾT QUẢ THỰC HIỆN"),
        *_figures(
            f"1. Tổng số hồ sơ tiếp nhận: {stats.total}"
            + (" (" + ", ".join(f"{label.lower()}: {n}" for label, n in sorted(kinds.items())) + ")" if kinds else "")
            + ", theo loại hoạt động",
            "Loại hoạt động",
            stats.by_kind,
        ),
        *_over_the_years("Số hồ sơ tiếp nhận theo loại hoạt động qua các năm {years}:", kinds_chart),
        *_figures("2. Theo cơ quan đề nghị", "Cơ quan đề nghị", stats.by_agency),
        *_figure(agency_chart),
        *_figures("3. Theo địa bàn", "Địa bàn", stats.by_locality),
        *_figures("4. Theo lĩnh vực", "Lĩnh vực", stats.by_field, acceptance=False),
        f"5. Tiến độ và kết quả tiếp thu: đã gửi {stats.sent} báo cáo, {answers}:",
        Table(("TT", "Chỉ tiêu", "Số lượng"), progress, widths=(10, 110, 45), align="clc"),
        *_over_the_years(
            "Báo cáo gửi đúng hạn và trễ hạn qua các năm {years} (theo năm tiếp nhận hồ sơ):", on_time_chart
        ),
        Heading("II. DANH SÁCH HỒ SƠ"),
    ]
    if cases:
        body.append(
            Table(
                ("TT", "Số hồ sơ", "Tên hồ sơ", "Cơ quan đề nghị", "Tình trạng"),
                cases,
                widths=(10, 26, 60, 38, 31),
                align="cclll",
            )
        )
    else:
        body.append("Không có hồ sơ trong năm.")
    body += [
        Heading("III. KIẾN NGHỊ, ĐỀ XUẤT"),
        "Đề nghị các cơ quan, đơn vị tiếp tục gửi đề nghị tư vấn, phản biện các chương trình, đề án, dự án phát "
        "triển kinh tế - xã hội của địa phương để Liên hiệp hội tổ chức thực hiện theo quy định.",
    ]
    return OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type="BÁO CÁO",
        number=issue.number if issue else "",
        type_code="BC",
        date=issue.date if issue else None,
        subject=f"Kết quả hoạt động tư vấn, phản biện và giám định xã hội năm {stats.year}",
        body=body,
        signer=issue.signer if issue else draft_signer(union),
        recipients=[
            committee,
            "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
            "Thường trực Liên hiệp hội",
            "Lưu: VT, Ban TVPB",
        ],
    )


def annual_report_docx(union: Union, stats: YearStats) -> bytes:
    """The draft of the year's report (unnumbered, unsigned)."""
    return render_docx(annual_report(union, stats))


def issued_annual_report(report: AnnualReport, issue: Issue | None) -> OfficialDocument:
    """The year's report as the register issues it: the figures as they stand when the leader signs."""
    return annual_report(report.union, year_stats(report.union, report.year), issue)


@transaction.atomic
def sign_annual_report(union: Union, year: int, *, actor: User, today: datetime.date | None = None) -> IssuedDocument:
    """The leader signs the year's report: it takes its number and is stored as it stands. Signing again later (the
    figures changed) issues a new report that replaces the earlier one."""
    check(actor, "advisory.sign_annual_report", union)
    report, _created = AnnualReport.objects.get_or_create(union=union, year=year)
    signer = Person.objects.filter(union=union, user=actor).first()
    return issue_document(
        report,
        kind=IssuedDocument.Kind.ANNUAL_REPORT,
        union=union,
        actor=actor,
        day=today or timezone.localdate(),
        signer=signer_of(signer, name=actor.get_full_name()),
        signer_person=signer,
    )
