"""The year's report on consulting, critique and assessment to the provincial authority and the national body
(Decree 30/2020 DOCX): the figures of `stats` as tables, beside the charts of `charts` drawn as images; a draft
until a leader signs it into the Union's register."""

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone, translation

from lienhiep.advisory import charts
from lienhiep.advisory.models import AnnualReport
from lienhiep.advisory.stats import Row, YearStats, history, year_stats
from lienhiep.core.charts import Chart
from lienhiep.core.models import Person, Union, User
from lienhiep.core.services import check
from lienhiep.core.text import format_number
from lienhiep.paperwork import Figure, Heading, Issue, Letterhead, OfficialDocument, Table, render_docx
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import issue_document, signer_of
from lienhiep.paperwork.signers import draft_signer


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{format_number(value, 1)}%"


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
