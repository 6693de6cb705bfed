"""The Decree 30/2020 renderer, read back with python-docx: layout, heading (its grid, the rules), body (articles,
grounds, tables), signature (one row that never splits), annex (a section numbered on its own), page numbers; the
helpers that break heading lines, pad numbers and name the issuing authority. The layout as LibreOffice lays it out
is checked in test_layout.py."""

import datetime
import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from lienhiep.paperwork import (
    Annex,
    Article,
    Heading,
    Letterhead,
    OfficialDocument,
    Paragraph,
    Signer,
    Table,
    document_number,
    issuing_authority,
    number_symbol,
    render_docx,
    signer_for,
)
from lienhiep.paperwork.decree30 import break_lines, padded_number, text_width

LETTERHEAD = Letterhead(
    governing_body="UBND TỈNH KON TUM",
    issuing_body="LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT",
    document_symbol="LHH",
    place_name="Kon Tum",
)
UNION_NAME = "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum"


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


def decision(**overrides) -> Document:
    signer = signer_for("Nguyễn Văn Sơn", "Chủ tịch")
    competence, issuer = issuing_authority(signer, UNION_NAME)
    values = dict(
        doc_type="QUYẾT ĐỊNH",
        number="1/QĐ-LHH",
        subject="Về việc thành lập Hội đồng phản biện",
        competence=competence,
        grounds=[
            "Căn cứ Điều lệ Liên hiệp hội;",
            "Căn cứ Quyết định số 48/2017/QĐ-UBND,",
            "Theo đề nghị của Văn phòng",
        ],
        body=[
            Article("Điều 1.", "Thành lập Hội đồng phản biện, gồm các ông (bà) có tên sau:"),
            "1. Ông Hoàng Minh Đức – Chủ tịch Hội đồng.",
            Article("Điều 2.", "Quyết định này có hiệu lực kể từ ngày ký."),
        ],
        signer=signer,
        recipients=["Như Điều 2", "Lưu: VT"],
        annex=Annex(
            "DANH SÁCH THÀNH VIÊN",
            [Table(("TT", "Họ và tên"), (("1", "Hoàng Minh Đức"),), widths=(1, 4), align="cl")],
            issuer=issuer,
        ),
    )
    values.update(overrides)
    return render(**values)


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def mm(twips: str) -> float:
    return round(int(twips) / 1440 * 25.4, 1)


def test_page_layout_is_a4_with_the_decree_margins_and_times_new_roman():
    document = render()
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].paragraph_format.widow_control
    sizes = {run.font.size for p in document.paragraphs for run in p.runs}
    assert sizes <= {Pt(13), Pt(14)} and sizes
    assert all(run.font.name == "Times New Roman" for p in document.paragraphs for run in p.runs)


def test_heading_table_carries_the_letterhead_national_title_number_and_date_on_a_fixed_grid():
    document = render()
    table = document.tables[0]
    (left, right), (number, date) = (row.cells for row in table.rows)
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND TỈNH KON TUM",
        "LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT",  # broken before «VÀ», in 12 pt to fit the column
    ]
    issuing = left.paragraphs[1]
    assert all(run.bold and run.font.size == Pt(12) for run in issuing.runs if run.text)
    assert not left.paragraphs[0].runs[0].bold
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert right.paragraphs[0].runs[0].bold and right.paragraphs[0].runs[0].font.size == Pt(12)
    assert right.paragraphs[1].runs[0].bold and right.paragraphs[1].runs[0].font.size == Pt(13)
    assert number.text == "Số: 15/TB-LHH" and number.paragraphs[0].runs[0].font.size == Pt(13)
    assert date.text == "Kon Tum, ngày 11 tháng 11 năm 2021" and date.paragraphs[0].runs[0].italic
    # the grid LibreOffice follows: 70 + 95 mm, fixed, the table as wide as the text
    tbl = table._tbl
    assert [mm(col.get(qn("w:w"))) for col in tbl.tblGrid.findall(qn("w:gridCol"))] == [70.0, 95.0]
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert mm(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == 165.0


def test_the_rules_under_the_issuing_body_the_motto_and_the_subject():
    document = render()
    left, right = document.tables[0].rows[0].cells

    def rule(paragraph) -> float:
        """The width in mm of a paragraph's top border, or 0."""
        borders = paragraph._p.pPr.find(qn("w:pBdr"))
        if borders is None or borders.find(qn("w:top")) is None:
            return 0
        fmt = paragraph.paragraph_format
        column = paragraph._parent.width.mm if hasattr(paragraph._parent, "width") else 165
        return column - fmt.left_indent.mm - fmt.right_indent.mm

    issuing_width = text_width("LIÊN HIỆP CÁC HỘI KHOA HỌC", 12, bold=True)
    assert issuing_width / 3 <= rule(left.paragraphs[-1]) <= issuing_width / 2
    motto = text_width("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    assert abs(rule(right.paragraphs[-1]) - motto) < 0.5
    subject = texts(document).index("Kết luận tại buổi làm việc với huyện Đăk Tô")
    width = text_width("Kết luận tại buổi làm việc với huyện Đăk Tô", 14, bold=True)
    assert width / 3 <= rule(document.paragraphs[subject + 1]) <= width / 2


def test_type_subject_body_signature_and_recipients_read_back_in_order():
    document = render()
    lines = [t for t in texts(document) if t]
    assert lines[:5] == [
        "THÔNG BÁO",
        "Kết luận tại buổi làm việc với huyện Đăk Tô",
        "1. Về hoạt động tư vấn, phản biện",
        "Huyện gửi danh mục dự án.",
        "Ghi chú./.",  # the end of the text
    ]
    recipients, signature = document.tables[1].rows[0].cells
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- UBND huyện Đăk Tô;", "- Lưu: VT."]
    label = recipients.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    assert recipients.paragraphs[1].runs[0].font.size == Pt(11)
    assert [p.text for p in signature.paragraphs if p.text] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn Sơn"]


def test_the_signature_row_never_splits_and_the_last_paragraph_goes_with_it():
    document = render()
    heading = next(p for p in document.paragraphs if p.text == "1. Về hoạt động tư vấn, phản biện")
    last = next(p for p in document.paragraphs if p.text == "Ghi chú./.")
    assert heading.paragraph_format.keep_with_next and last.paragraph_format.keep_with_next
    row = document.tables[1].rows[0]
    assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    for cell in row.cells:
        assert all(p.paragraph_format.keep_together for p in cell.paragraphs)
        assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs[:-1])


def test_the_signer_prints_its_authority_lines_in_bold_upper_case():
    document = render(signer=signer_for("Trần Văn Hùng", "Phó Chủ tịch"))
    signature = document.tables[1].rows[0].cells[1]
    lines = [p for p in signature.paragraphs if p.text]
    assert [p.text for p in lines] == ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Hùng"]
    assert all(p.runs[0].bold and p.runs[0].font.size == Pt(14) for p in lines)


def test_minutes_carry_two_signatures_side_by_side():
    document = render(
        doc_type="BIÊN BẢN",
        signer=Signer("Hoàng Minh Đức", "CHỦ TỌA"),
        cosigner=Signer("Y Blong", "THƯ KÝ"),
        recipients=[],
    )
    secretary, chair = document.tables[1].rows[0].cells
    assert [p.text for p in secretary.paragraphs if p.text] == ["THƯ KÝ", "Y Blong"]
    assert [p.text for p in chair.paragraphs if p.text] == ["CHỦ TỌA", "Hoàng Minh Đức"]
    assert "Nơi nhận:" not in "\n".join(texts(document))


def test_a_decision_prints_its_authority_its_grounds_in_italics_and_bold_article_labels():
    document = decision()
    paragraphs = [p for p in document.paragraphs if p.text]
    lines = [p.text for p in paragraphs]
    start = lines.index("BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT TỈNH KON TUM")
    assert lines[start + 1 : start + 5] == [
        "Căn cứ Điều lệ Liên hiệp hội;",
        "Căn cứ Quyết định số 48/2017/QĐ-UBND;",
        "Theo đề nghị của Văn phòng.",
        "QUYẾT ĐỊNH:",
    ]
    assert paragraphs[start].runs[0].bold
    assert all(run.italic for p in paragraphs[start + 1 : start + 4] for run in p.runs)
    assert paragraphs[start + 4].runs[0].bold
    article = paragraphs[start + 5]
    assert [(run.text, bool(run.bold)) for run in article.runs] == [
        ("Điều 1.", True),
        (" Thành lập Hội đồng phản biện, gồm các ông (bà) có tên sau:", False),
    ]
    assert article.paragraph_format.keep_with_next  # it introduces a list
    assert lines[-4:-2] == ["Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.", "Phụ lục"]


def test_the_annex_is_a_section_of_its_own_after_the_signature():
    document = decision()
    assert len(document.sections) == 2
    annex = document.sections[1]
    assert annex.start_type == 2  # WD_SECTION.NEW_PAGE
    assert annex._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert annex.different_first_page_header_footer and annex.header.is_linked_to_previous
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[-3:] == [
        "Phụ lục",
        "DANH SÁCH THÀNH VIÊN",
        "(Kèm theo Quyết định số 01/QĐ-LHH ngày 11 tháng 11 năm 2021\n"
        "của Ban Thường vụ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum)",
    ]
    note = next(p for p in document.paragraphs if p.text.startswith("(Kèm theo"))
    assert all(run.italic for run in note.runs)
    body = document.element.body
    assert body.index(document.tables[1]._tbl) < body.index(note._p) < body.index(document.tables[2]._tbl)


def test_a_table_has_a_bold_repeated_header_borders_and_rows_that_do_not_split():
    document = decision()
    table = document.tables[2]
    assert table.style.name == "Table Grid"
    header, row = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    assert [c.text for c in header.cells] == ["TT", "Họ và tên"] and all(
        c.paragraphs[0].runs[0].bold for c in header.cells
    )
    assert not row.cells[1].paragraphs[0].runs[0].bold and row.cells[1].paragraphs[0].runs[0].font.size == Pt(13)
    assert [mm(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))] == [33.0, 132.0]


def test_page_numbers_start_on_page_two():
    document = render()
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and "fldChar" in header_xml


def test_official_letter_puts_the_subject_under_the_number_and_an_empty_number_leaves_room():
    document = render(doc_type="", number="", type_code="LHH", subject="triển khai Hội thi Sáng tạo kỹ thuật")
    number = document.tables[0].rows[1].cells[0]
    lines = [p.text for p in number.paragraphs if p.text]
    assert lines[0].startswith("Số: ") and lines[0].endswith("/LHH-LHH")
    assert lines[1] == "V/v triển khai Hội thi Sáng tạo kỹ thuật"
    assert "THÔNG BÁO" not in texts(document)


def test_numbers_below_ten_take_a_leading_zero():
    assert document_number(12, "QĐ", LETTERHEAD) == "12/QĐ-LHH"
    assert document_number(3, "QĐ", LETTERHEAD, year=2021) == "03/2021/QĐ-LHH"
    assert document_number(None, "TB", LETTERHEAD) == "     /TB-LHH"
    assert number_symbol(1, "QĐ", "LHH") == "01/QĐ-LHH"
    assert padded_number("2/BC-LHH") == "02/BC-LHH" and padded_number("15/TB-LHH") == "15/TB-LHH"
    document = render(number="2/TB-LHH")
    assert document.tables[0].rows[1].cells[0].text == "Số: 02/TB-LHH"


def test_undated_document_leaves_the_day_blank():
    document = render(date=None, number="", type_code="TB")
    number, date = document.tables[0].rows[1].cells
    assert number.text == "Số:      /TB-LHH"
    assert date.text.startswith("Kon Tum, ngày      tháng      năm ")


def test_control_characters_are_dropped_from_every_text():
    document = decision(
        subject="Về việc\x01 thành lập",
        body=[Article("Điều 1.", "Thành\x0b lập."), Table(("TT\x02",), (("1\x03",),))],
    )
    assert "Về việc thành lập" in texts(document)
    assert "Điều 1. Thành lập./." in texts(document)
    assert document.tables[1].rows[1].cells[0].text == "1"  # in the body, before the signature


def test_heading_lines_break_at_a_sensible_place():
    assert break_lines("LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH KON TUM", 70, 12, bold=True) == [
        "LIÊN HIỆP CÁC HỘI KHOA HỌC",
        "VÀ KỸ THUẬT TỈNH KON TUM",
    ]
    assert break_lines("LIÊN HIỆP CÁC HỘI\nKH&KT TỈNH KON TUM", 70, 13, bold=True) == [
        "LIÊN HIỆP CÁC HỘI",
        "KH&KT TỈNH KON TUM",
    ]
    assert break_lines("UBND TỈNH KON TUM", 70, 13) == ["UBND TỈNH KON TUM"]
    assert break_lines("ỦY BAN NHÂN DÂN TỈNH KON TUM", 70, 13) == ["ỦY BAN NHÂN DÂN", "TỈNH KON TUM"]


def test_a_union_without_a_governing_body_and_a_name_on_two_lines_of_its_own():
    letterhead = Letterhead("", "LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT TỈNH KON TUM", "LHH", "Kon Tum")
    left = render(letterhead=letterhead).tables[0].rows[0].cells[0]
    assert left.paragraphs[0].text == "LIÊN HIỆP CÁC HỘI KHOA HỌC\nVÀ KỸ THUẬT TỈNH KON TUM"
    assert left.paragraphs[0].runs[0].bold


def test_the_issuing_authority_follows_from_the_signer():
    organisation = UNION_NAME
    chair = signer_for("Nguyễn Văn Sơn", "Chủ tịch")
    assert issuing_authority(chair, organisation) == (
        "BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH KON TUM",
        "Ban Thường vụ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Kon Tum",
    )
    deputy = signer_for("Trần Văn Hùng", "Phó Chủ tịch")
    assert issuing_authority(deputy, organisation)[0].startswith("BAN THƯỜNG VỤ ")
    assert issuing_authority(None, organisation)[0].startswith("BAN THƯỜNG VỤ ")  # a draft
    own_name = signer_for("Nguyễn Văn Sơn", "Chủ tịch", collective=None)
    assert issuing_authority(own_name, organisation)[1].startswith("Chủ tịch Liên hiệp")
    by_order = signer_for("Lê Thị Hà", "Chánh Văn phòng")
    assert by_order.lines == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    assert issuing_authority(by_order, organisation)[0].startswith("CHỦ TỊCH LIÊN HIỆP")


def test_widths_of_times_new_roman():
    assert abs(text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True) - 88.3) < 0.5
    assert abs(text_width("Độc lập - Tự do - Hạnh phúc", 13, bold=True) - 56.1) < 0.5
