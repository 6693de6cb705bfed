"""The Decree 30/2020 renderer, read back with python-docx: layout, heading, body, signature, page numbers."""

import datetime
import io

from docx import Document
from docx.shared import Pt

from lienhiep.paperwork import Heading, Letterhead, OfficialDocument, Paragraph, document_number, render_docx

LETTERHEAD = Letterhead(
    governing_body="UBND TỈNH KON TUM",
    issuing_body="LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT",
    document_symbol="LHH",
    place_name="Kon Tum",
)


def render(**overrides) -> Document:
    values = dict(
        letterhead=LETTERHEAD,
        doc_type="THÔNG BÁO",
        number="15/TB-LHH",
        date=datetime.date(2021, 11, 11),
        subject="Kết luận tại buổi làm việc với huyện Đăk Tô",
        body=[
            Heading("1. Về hoạt động tư vấn, phản biện"),
            "Huyện gửi danh mục dự án.",
            Paragraph("Ghi chú", italic=True),
        ],
        signatory_name="Nguyễn Văn Sơn",
        authority="TM. BAN THƯỜNG VỤ",
        recipients=["UBND huyện Đăk Tô", "Lưu: VT"],
    )
    values.update(overrides)
    return Document(io.BytesIO(render_docx(OfficialDocument(**values))))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_page_layout_is_a4_with_the_decree_margins_and_times_new_roman():
    document = render()
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    sizes = {run.font.size for p in document.paragraphs for run in p.runs}
    assert sizes <= {Pt(13), Pt(14)} and sizes
    assert all(run.font.name == "Times New Roman" for p in document.paragraphs for run in p.runs)


def test_heading_table_carries_the_letterhead_national_title_number_and_date():
    document = render()
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND TỈNH KON TUM",
        "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT",
        "Số: 15/TB-LHH",
    ]
    assert left.paragraphs[1].runs[0].bold
    right_lines = [p.text for p in right.paragraphs if p.text]
    assert right_lines == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Kon Tum, ngày 11 tháng 11 năm 2021",
    ]
    assert right.paragraphs[-1].runs[0].italic


def test_type_subject_body_signature_and_recipients_read_back_in_order():
    document = render()
    lines = [t for t in texts(document) if t]
    assert lines[:5] == [
        "THÔNG BÁO",
        "Kết luận tại buổi làm việc với huyện Đăk Tô",
        "1. Về hoạt động tư vấn, phản biện",
        "Huyện gửi danh mục dự án.",
        "Ghi chú",
    ]
    recipients, signature = document.tables[1].rows[0].cells
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- UBND huyện Đăk Tô;", "- Lưu: VT."]
    assert [p.text for p in signature.paragraphs if p.text] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn Sơn"]


def test_page_numbers_start_on_page_two():
    document = render()
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and "fldChar" in header_xml


def test_official_letter_puts_the_subject_under_the_number_and_an_empty_number_leaves_room():
    document = render(doc_type="", number="", type_code="LHH", subject="triển khai Hội thi Sáng tạo kỹ thuật")
    left = document.tables[0].rows[0].cells[0]
    lines = [p.text for p in left.paragraphs if p.text]
    assert lines[-2].startswith("Số: ") and lines[-2].endswith("/LHH-LHH")
    assert lines[-1] == "V/v triển khai Hội thi Sáng tạo kỹ thuật"
    assert "THÔNG BÁO" not in texts(document)


def test_document_number_helper():
    assert document_number(12, "QĐ", LETTERHEAD) == "12/QĐ-LHH"
    assert document_number(3, "QĐ", LETTERHEAD, year=2021) == "3/2021/QĐ-LHH"
    assert document_number(None, "TB", LETTERHEAD).endswith("/TB-LHH")


def test_undated_document_leaves_the_day_blank():
    document = render(date=None)
    right = document.tables[0].rows[0].cells[1]
    assert right.paragraphs[-1].text.startswith("Kon Tum, ngày ")
