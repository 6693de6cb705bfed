"""Render an official document (văn bản hành chính) as DOCX following Decree 30/2020/NĐ-CP, Appendix I:
A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman; a two-column heading (issuing body and
number on the left, national title, motto and date on the right); document type and subject line (trích yếu);
body; recipients (Nơi nhận) beside the signature block; page numbers centred at the top from page 2 on.

The API is general: a notice (THÔNG BÁO), a decision (QUYẾT ĐỊNH), a report or an official letter (công văn,
no type line and the subject as "V/v ..." under the number) are the same `OfficialDocument` with other values.
"""

import dataclasses
import datetime
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lienhiep.core.text import official_date
from lienhiep.paperwork.signers import Signer

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"
FONT = "Times New Roman"
BODY_PT = 14
HEADING_PT = 13
SMALL_PT = 12
RECIPIENT_PT = 11


@dataclass(frozen=True)
class Letterhead:
    """The issuing body's part of the heading, and where its documents are dated."""

    governing_body: str  # cơ quan chủ quản, e.g. UBND TỈNH KON TUM (may be empty)
    issuing_body: str  # e.g. LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT
    document_symbol: str  # e.g. LHH, used in numbers such as 12/QĐ-LHH
    place_name: str  # e.g. Kon Tum
    signatory_title: str = "CHỦ TỊCH"

    @classmethod
    def from_union(cls, union) -> "Letterhead":
        return cls(
            governing_body=union.governing_body,
            issuing_body=union.issuing_body or union.name,
            document_symbol=union.document_symbol,
            place_name=union.place_name,
            signatory_title=union.signatory_title,
        )


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    center: bool = False
    indent: bool = True  # first-line indent of body text


@dataclass(frozen=True)
class Heading:
    """A bold line inside the body (a section such as '1. Về ...' or 'Điều 1.')."""

    text: str


@dataclass
class OfficialDocument:
    letterhead: Letterhead
    doc_type: str  # e.g. "THÔNG BÁO", "QUYẾT ĐỊNH"; empty for an official letter (công văn)
    number: str  # e.g. "15/TB-LHH"; an empty number leaves room to write it in by hand: "Số:      /TB-LHH"
    date: datetime.date | None  # None leaves the day to be written in when signed
    subject: str  # trích yếu
    body: list[str | Paragraph | Heading] = field(default_factory=list)
    signatory_name: str = ""
    authority: str = ""  # e.g. "TM. BAN THƯỜNG VỤ" or "KT. CHỦ TỊCH" above the title
    signatory_title: str = ""  # defaults to the letterhead's
    recipients: list[str] = field(default_factory=list)
    type_code: str = ""  # TB, QĐ, BC ...: used when the number is left empty
    signer: Signer | None = None  # the signature block; a draft has none


def document_number(number: int | str | None, type_code: str, letterhead: Letterhead, year: int | None = None) -> str:
    """'15/TB-LHH' (or '15/2021/QĐ-LHH' with a year, as legal documents write it); '   /TB-LHH' without a number."""
    symbol = f"{type_code}-{letterhead.document_symbol}" if type_code else letterhead.document_symbol
    shown = f"{number}" if number not in (None, "") else "     "
    return f"{shown}/{year}/{symbol}" if year else f"{shown}/{symbol}"


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _line(
    cell_or_doc, text: str, size: float, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, first=False
):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _font(paragraph.add_run(text), size, bold, italic)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _page_number_header(section) -> None:
    """Page numbers centred in the header, from the second page (the first page has its own empty header)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, BODY_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)


def xml_safe(doc: OfficialDocument) -> OfficialDocument:
    """Drop the control characters Word cannot hold (pasted from other programs) from every text of a document."""

    def clean(text: str) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("", text)

    body = [
        clean(item) if isinstance(item, str) else dataclasses.replace(item, text=clean(item.text)) for item in doc.body
    ]
    return dataclasses.replace(
        doc,
        subject=clean(doc.subject),
        body=body,
        recipients=[clean(r) for r in doc.recipients],
        signatory_name=clean(doc.signatory_name),
    )


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    doc = xml_safe(doc)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _page_number_header(section)

    letterhead = doc.letterhead
    number = doc.number or document_number(None, doc.type_code, letterhead)
    heading = document.add_table(rows=1, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.CENTER
    heading.autofit = False
    _no_borders(heading)
    left, right = heading.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    first = True
    if letterhead.governing_body:
        _line(left, letterhead.governing_body.upper(), HEADING_PT, first=True)
        first = False
    _line(left, letterhead.issuing_body.upper(), HEADING_PT, bold=True, first=first)
    _line(left, "", HEADING_PT)
    _line(left, f"Số: {number}", HEADING_PT)
    if not doc.doc_type and doc.subject:  # official letter: the subject stands under the number
        _line(left, f"V/v {doc.subject}", SMALL_PT)
    _line(right, NATIONAL_TITLE, HEADING_PT - 0.5, bold=True, first=True)
    _line(right, MOTTO, BODY_PT, bold=True)
    _line(right, "", HEADING_PT)
    dated = (
        official_date(doc.date, letterhead.place_name)
        if doc.date
        else f"{letterhead.place_name}, ngày      tháng      năm {datetime.date.today().year}"
    )
    _line(right, dated, BODY_PT, italic=True)

    if doc.doc_type:
        title = _line(document, doc.doc_type.upper(), BODY_PT, bold=True)
        title.paragraph_format.space_before = Pt(18)
        if doc.subject:
            _line(document, doc.subject, BODY_PT, bold=True)
        _line(document, "", BODY_PT)
    for item in doc.body:
        if isinstance(item, str):
            item = Paragraph(item)
        if isinstance(item, Heading):
            paragraph = _line(document, item.text, BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            paragraph.paragraph_format.first_line_indent = Mm(10)
        else:
            align = WD_ALIGN_PARAGRAPH.CENTER if item.center else WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph = _line(document, item.text, BODY_PT, bold=item.bold, italic=item.italic, align=align)
            if item.indent and not item.center:
                paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)
        paragraph.paragraph_format.line_spacing = 1.15

    _line(document, "", BODY_PT)
    signature = document.add_table(rows=1, cols=2)
    signature.autofit = False
    _no_borders(signature)
    to_cell, sign_cell = signature.rows[0].cells
    to_cell.width, sign_cell.width = Mm(80), Mm(85)
    _line(to_cell, RECIPIENTS_LABEL, SMALL_PT, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for index, recipient in enumerate(doc.recipients):
        end = "." if index == len(doc.recipients) - 1 else ";"
        text = recipient if recipient.endswith((";", ".", ":")) else recipient + end
        _line(to_cell, f"- {text}", RECIPIENT_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    if doc.signer:
        lines, name = doc.signer.lines, doc.signer.name
    else:
        lines = [doc.authority, doc.signatory_title or letterhead.signatory_title]
        name = doc.signatory_name
    for index, line in enumerate(line for line in lines if line):
        _line(sign_cell, line.upper(), BODY_PT, bold=True, first=index == 0)
    for _blank in range(4):
        _line(sign_cell, "", BODY_PT)
    _line(sign_cell, name, BODY_PT, bold=True)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
