"""The year's statistics against a hand-counted fixture, the Excel export and the annual report read back, and the
statistics page (a fixed number of queries whatever the number of cases)."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from lienhiep.advisory import services, stats
from lienhiep.advisory.models import Status
from lienhiep.core.models import Agency

from . import factories as f


@pytest.fixture
def year_2022(cast):
    """2022: (A) a critique for UBND huyện Đăk Tô, answered: accepted, partly, not accepted — sent on day 28 of
    60 asked; (B) a consulting request of UBND huyện Tu Mơ Rông (no locality), field YT, declined; (C) a critique of
    Đăk Tô just received. And (D) one in 2023, which 2022 does not count."""
    answered = f.journey(cast, until=Status.ANSWERED).case
    tmr = Agency.objects.create(union=cast.union, name="UBND huyện Tu Mơ Rông", kind="peoples_committee")
    declined = f.new_case(cast, actor=cast.staff, kind="consulting", requesting_agency=tmr, admin_unit=None)
    declined.fields.set([f.field(cast.union, "YT", "Y tế, dược")])
    services.decline_case(declined, actor=cast.staff, reason="Ngoài phạm vi.")
    received = f.new_case(cast, title='=HYPERLINK("http://x") Đề án\x0bthử')
    f.new_case(cast, received_on=datetime.date(2023, 2, 1))
    return answered, declined, received


@pytest.mark.django_db
def test_the_figures_of_the_year_are_the_hand_counted_ones(cast, year_2022):
    figures = stats.year_stats(cast.union, 2022)
    assert figures.total == 3
    assert [(r.label, r.cases) for r in figures.by_kind] == [("Phản biện", 2), ("Tư vấn", 1)]
    assert [(r.label, r.cases) for r in figures.by_agency] == [("UBND huyện Đăk Tô", 2), ("UBND huyện Tu Mơ Rông", 1)]
    assert [(r.label, r.cases) for r in figures.by_locality] == [("Huyện Đăk Tô", 2), ("—", 1)]
    assert [(r.label, r.cases) for r in figures.by_field] == [
        ("Nông nghiệp, lâm nghiệp, dược liệu", 2),
        ("Y tế, dược", 1),
    ]
    statuses = {r.label: r.cases for r in figures.by_status}
    assert statuses == {"Đã tiếp thu, giải trình": 1, "Từ chối": 1, "Đã tiếp nhận": 1}
    assert (figures.sent, figures.on_time, figures.on_time_rate) == (1, 1, 100.0)
    a = figures.acceptance
    assert (a.accepted, a.partly, a.not_accepted, a.unanswered, a.rate) == (1, 1, 1, 0, 50.0)
    assert figures.by_agency[0].acceptance.rate == 50.0 and figures.by_agency[1].acceptance.rate is None
    assert (figures.reviews, figures.reviews_on_time) == (2, 2)  # both submitted on day 15, due on day 20
    assert [c.code for c in figures.cases] == ["PB-01/2022", "TV-02/2022", "PB-03/2022"]
    assert stats.years_of(cast.union) == [2023, 2022]
    assert stats.year_stats(cast.union, 2023).total == 1
    assert [(r.label, r.cases, r.acceptance.rate) for r in stats.by_year(cast.union)] == [
        ("2023", 1, None),
        ("2022", 3, 50.0),
    ]


@pytest.mark.django_db
def test_the_excel_export_and_the_annual_report_read_back(cast, year_2022, client_for):
    client = client_for(cast.staff)
    response = client.get(reverse("advisory:stats_xlsx", args=[cast.union.slug]) + "?year=2022")
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert summary["Số hồ sơ tiếp nhận"] == 3 and summary["Tỷ lệ tiếp thu (%)"] == 50.0
    agencies = list(book["Theo cơ quan"].iter_rows(min_row=2, values_only=True))
    assert agencies[0][:6] == ("UBND huyện Đăk Tô", 2, 1, 1, 1, 50.0)
    listed = list(book["Danh sách hồ sơ"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in listed] == ["PB-01/2022", "TV-02/2022", "PB-03/2022"]
    title_cell = book["Danh sách hồ sơ"]["C4"]
    assert title_cell.data_type == "s" and title_cell.value.startswith("=HYPERLINK") and "\x0b" not in title_cell.value
    assert listed[0][5] == datetime.datetime(2022, 3, 1) and listed[0][8:] == (3, 1)
    response = client.get(reverse("advisory:stats_docx", args=[cast.union.slug]) + "?year=2022")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kết quả hoạt động tư vấn, phản biện và giám định xã hội năm 2022" in text
    assert "1. Tổng số hồ sơ tiếp nhận: 3 (phản biện: 2, tư vấn: 1), theo loại hoạt động:" in text
    assert "đã gửi 1 báo cáo, cơ quan đề nghị đã trả lời 3/3 kiến nghị, tỷ lệ tiếp thu 50,0%:" in text
    # the figures as tables: by kind, agency, locality, field, then progress and the list of cases
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables[1:-1]]
    assert tables[0][0] == ["TT", "Loại hoạt động", "Số hồ sơ", "Tiếp thu", "Tiếp thu một phần", "Không tiếp thu",
                            "Tỷ lệ tiếp thu"]  # fmt: skip
    assert tables[0][1:] == [["1", "Phản biện", "2", "1", "1", "1", "50,0%"], ["2", "Tư vấn", "1", "0", "0", "0", "—"]]
    assert tables[1][1] == ["1", "UBND huyện Đăk Tô", "2", "1", "1", "1", "50,0%"]
    assert tables[2][2] == ["2", "Không xác định", "1", "0", "0", "0", "—"]
    assert tables[3][1:] == [["1", "Nông nghiệp, lâm nghiệp, dược liệu", "2"], ["2", "Y tế, dược", "1"]]
    assert ["2", "Trong đó gửi đúng hạn", "1 (100,0%)"] in tables[4] and ["10", "Tỷ lệ tiếp thu", "50,0%"] in tables[4]
    assert [row[1] for row in tables[5][1:]] == ["PB-01/2022", "TV-02/2022", "PB-03/2022"]
    assert all(cell.paragraphs[0].runs[0].bold for cell in document.tables[1].rows[0].cells)
    recipients = document.tables[-1].rows[0].cells[0].text
    assert "- Ủy ban nhân dân tỉnh Kon Tum;" in recipients
    assert "- Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam;" in recipients


@pytest.mark.django_db
def test_the_statistics_page_costs_the_same_whatever_the_year_holds(cast, client_for):
    client = client_for(cast.staff)
    page = reverse("advisory:stats", args=[cast.union.slug]) + "?year=2022"
    f.new_case(cast)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page).status_code == 200
    for _n in range(6):
        f.new_case(cast)
    with CaptureQueriesContext(connection) as large:
        response = client.get(page)
    assert len(large) == len(small)
    assert "7" in response.content.decode()
