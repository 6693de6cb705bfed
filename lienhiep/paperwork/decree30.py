"""Render an official document (văn bản hành chính) as DOCX following Decree 30/2020/NĐ-CP, Appendix I:
A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman; a two-column heading (issuing body over a
short rule and the number on the left; national title, motto over a rule as long as it, and the date on the right,
the number and the date on one level); document type and subject line (trích yếu) over a short rule; for a
decision the authority that issues it, its grounds (căn cứ) and «QUYẾT ĐỊNH:»; the body (paragraphs, headings,
articles, tables); recipients (Nơi nhận) beside a signature block that never splits across pages (or, for minutes,
two signatures side by side); an annex on new pages numbered on their own; page numbers centred at the top from
page 2 on.

The API is general: a notice (THÔNG BÁO), a decision (QUYẾT ĐỊNH), a report or an official letter (công văn,
no type line and the subject as "V/v ..." under the number) are the same `OfficialDocument` with other values.
"""

import dataclasses
import datetime
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
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
ANNEX_LABEL = "Phụ lục"
FONT = "Times New Roman"
BODY_PT = 14
HEADING_PT = 13  # issuing body (12 when its lines would not fit otherwise), number
TITLE_PT = 12  # national title: 12 pt bold fits one line in the right column
MOTTO_PT = 13
SMALL_PT = 12
RECIPIENT_PT = 11
TABLE_PT = 13
TEXT_MM = 165  # A4 less the left and right margins
LEFT_MM, RIGHT_MM = 70, 95  # the heading's columns
INDENT_MM = 10  # first-line indent of body text
KEPT_ROWS = 5  # a table this short (a few years' figures) before a figure goes whole to the figure's page
RULE_SHARE = 0.4  # the rules under the issuing body and the subject: 1/3 to 1/2 of their text
# A line too wide for its column breaks before these words where it can (never inside «KHOA HỌC VÀ KỸ THUẬT»);
# compared in upper case, so that a subject line («… cây dược liệu / huyện Đăk Tô …») breaks there too.
BREAK_BEFORE = (
    "VÀ", "TỈNH", "THÀNH PHỐ", "HUYỆN", "HỘI THI", "CUỘC THI", "LẦN THỨ", "GIAI ĐOẠN", "VIỆC", "CỦA", "TẠI", "VỀ",
    "CHO", "ĐỐI VỚI", "THEO", "NĂM",
)  # fmt: skip
ENACTING = {"NGHỊ QUYẾT": "QUYẾT NGHỊ:"}  # the word before the articles, when it is not the type itself

# Advance widths (1/1000 em) of Times New Roman for the characters 32-126, regular and bold: enough to break the
# heading's lines where they fit and to size the rules (a Vietnamese mark adds no width to its letter).
_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722,
    611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444,
    500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722,
    500, 500, 444, 480, 200, 480, 541,
)  # fmt: skip
_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500,
    500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778,
    667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500,
    556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722,
    500, 500, 444, 394, 220, 394, 520,
)  # fmt: skip

# Schema order of the children of w:tblPr, w:pPr and w:trPr (Word refuses a file whose children are out of order).
_TBL_PR = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd "
    "tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
).split()
_P_PR = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_TR_PR = "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc".split()
_SECT_PR = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType pgNumType "
    "cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings sectPrChange"
).split()


@dataclass(frozen=True)
class Letterhead:
    """The issuing body's part of the heading, and where its documents are dated."""

    governing_body: str  # cơ quan chủ quản, e.g. UBND TỈNH KON TUM (may be empty)
    issuing_body: str  # e.g. LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT; a line break in it is kept
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
    """A bold line inside the body (a section such as '1. Về ...'), kept with what follows it."""

    text: str


@dataclass(frozen=True)
class Article:
    """An article of a decision: «Điều 1.» in bold, its text in regular weight on the same line."""

    label: str  # "Điều 1."
    text: str


@dataclass(frozen=True)
class Table:
    """A table with borders: the header row in bold (repeated on every page), rows that do not split."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative widths of the columns (scaled to the text width); equal if empty
    align: str = ""  # one letter per column: "l" left, "c" centre, "r" right; left where missing
    size: float = TABLE_PT


@dataclass(frozen=True)
class Figure:
    """A picture (PNG bytes, e.g. a chart from `paperwork.figures.chart_png`) centred on a line of its own, its
    caption under it in italics, numbered in the document's order: «Biểu đồ 1. …». Kept with the picture, and with
    the table just before or after it."""

    png: bytes
    caption: str
    width: float = 160  # mm, at most the text's width
    label: str = "Biểu đồ"


BodyItem = str | Paragraph | Heading | Article | Table | Figure


@dataclass
class Annex:
    """An annex (phụ lục): after the signature, on a new page, its pages numbered on their own."""

    title: str  # e.g. DANH SÁCH CÁC GIẢI PHÁP ĐẠT GIẢI ... (upper case)
    body: list[BodyItem] = field(default_factory=list)
    issuer: str = ""  # who issued the document: «(Kèm theo Quyết định số … ngày … của <issuer>)»
    label: str = ANNEX_LABEL  # «Phụ lục», «Phụ lục I» ...


@dataclass
class OfficialDocument:
    letterhead: Letterhead
    doc_type: str  # e.g. "THÔNG BÁO", "QUYẾT ĐỊNH"; empty for an official letter (công văn)
    number: str  # e.g. "15/TB-LHH"; an empty number leaves room to write it in by hand: "Số:      /TB-LHH"
    date: datetime.date | None  # None leaves the day to be written in when signed
    subject: str  # trích yếu
    body: list[BodyItem] = field(default_factory=list)
    signatory_name: str = ""
    authority: str = ""  # e.g. "TM. BAN THƯỜNG VỤ" or "KT. CHỦ TỊCH" above the title
    signatory_title: str = ""  # defaults to the letterhead's
    recipients: list[str] = field(default_factory=list)
    type_code: str = ""  # TB, QĐ, BC ...: used when the number is left empty
    signer: Signer | None = None  # the signature block (right); a draft has none
    competence: str = ""  # a decision's issuing authority, e.g. BAN THƯỜNG VỤ LIÊN HIỆP ... TỈNH KON TUM
    grounds: list[str] = field(default_factory=list)  # «Căn cứ …», «Theo đề nghị của …» (punctuation added)
    cosigner: Signer | None = None  # a second signature on the left, in place of the recipients (minutes)
    annex: Annex | None = None
    verification: str = ""  # an issued document's code and where to check it, in small type under the signature


def document_number(number: int | str | None, type_code: str, letterhead: Letterhead, year: int | None = None) -> str:
    """'15/TB-LHH', '03/QĐ-LHH' (or '03/2021/QĐ-LHH' with a year, as legal documents write it); '   /TB-LHH'
    without a number. Numbers below 10 take a leading zero."""
    symbol = f"{type_code}-{letterhead.document_symbol}" if type_code else letterhead.document_symbol
    if number in (None, ""):
        shown = "     "
    elif str(number).isascii() and str(number).isdigit():
        shown = f"{int(number):02d}"
    else:
        shown = str(number)
    return f"{shown}/{year}/{symbol}" if year else f"{shown}/{symbol}"


def padded_number(number: str) -> str:
    """'2/BC-LHH' → '02/BC-LHH': a number written by hand or stored before the rule keeps it too."""
    return re.sub(r"^(\d)(?=/)", r"0\1", number.strip())


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in mm of a line of Times New Roman."""
    widths = _BOLD if bold else _REGULAR
    units = 0
    for char in unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d")):
        if unicodedata.combining(char):
            continue
        code = ord(char)
        units += widths[code - 32] if 32 <= code < 127 else 500
    return units / 1000 * size * 25.4 / 72


def break_lines(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """The lines of a heading text in a column `width` mm wide: its own line breaks kept, a line too wide broken
    between words: before «VÀ», «TỈNH» ... where the parts fit (where the two are most even), else as late as the
    first part fits."""
    lines: list[str] = []
    for line in text.splitlines():
        if words := line.split():
            lines.extend(_break(words, width, size, bold))
    return lines


def _breaks_before(text: str) -> bool:
    """Whether a line may well begin with the text (compared in upper case)."""
    upper = f"{text.upper()} "
    return any(upper.startswith(f"{phrase} ") for phrase in BREAK_BEFORE)


def _break(words: list[str], width: float, size: float, bold: bool) -> list[str]:
    line = " ".join(words)
    if len(words) < 2 or text_width(line, size, bold) <= width:
        return [line]
    choices = []
    for at in range(1, len(words)):
        first, rest = " ".join(words[:at]), " ".join(words[at:])
        first_width, rest_width = text_width(first, size, bold), text_width(rest, size, bold)
        if first_width <= width:
            well = _breaks_before(rest)
            choices.append((rest_width > width, not well, max(first_width, rest_width) if well else -first_width, at))
    if not choices:
        return [line]
    at = min(choices)[-1]
    return [" ".join(words[:at]), *_break(words[at:], width, size, bold)]


def _put(parent, element, order: list[str]) -> None:
    """Put `element` into `parent` in the schema's order, replacing one of the same tag."""
    tag = element.tag
    for old in parent.findall(tag):
        parent.remove(old)
    later = {qn(f"w:{name}") for name in order[order.index(tag.split("}")[1]) + 1 :]}
    for index, child in enumerate(parent):
        if child.tag in later:
            parent.insert(index, element)
            return
    parent.append(element)


def _element(tag: str, children: tuple = (), **attributes) -> OxmlElement:
    element = OxmlElement(f"w:{tag}")
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    for child in children:
        element.append(child)
    return element


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _line(
    container,
    text: str,
    size: float,
    *,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    first=False,
):
    """A paragraph with no spacing; a newline in the text is a line break inside it."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    if not text:
        return paragraph
    for index, part in enumerate(text.split("\n")):
        run = paragraph.add_run(part)
        if index:
            run._element.insert(0, OxmlElement("w:br"))
        _font(run, size, bold, italic)
    return paragraph


def _rule(container, width: float, column: float, *, space_after: float = 0):
    """A short horizontal rule, centred: the top border of an empty paragraph narrowed by its indents."""
    paragraph = container.add_paragraph()
    indent = max(0.0, (column - width) / 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent, fmt.first_line_indent = Mm(indent), Mm(indent), Mm(0)
    fmt.space_before, fmt.space_after = Pt(2), Pt(space_after)
    fmt.line_spacing = Pt(2)  # exactly: the rule sits just under the text above it
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    border = _element("top", val="single", sz=6, space=0, color="000000")
    _put(paragraph._p.get_or_add_pPr(), _element("pBdr", (border,)), _P_PR)
    mark = _element("rPr", (_element("sz", val=4), _element("szCs", val=4)))
    _put(paragraph._p.get_or_add_pPr(), mark, _P_PR)
    return paragraph


def _keep(paragraph, *, with_next: bool = True, together: bool = False) -> None:
    paragraph.paragraph_format.keep_with_next = with_next
    if together:
        paragraph.paragraph_format.keep_together = True


def _table(container, widths: list[float], *, borders: bool, cell_margin: float | None = None, rows: int = 1):
    """A table of fixed column widths (mm): its grid, its width and every cell's width agree, so that Word and
    LibreOffice lay it out alike."""
    table = container.add_table(rows=rows, cols=len(widths))
    if borders:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed
    tbl_pr = table._tbl.tblPr
    _put(tbl_pr, _element("tblW", w=_twips(sum(widths)), type="dxa"), _TBL_PR)
    if not borders:
        edges = tuple(_element(edge, val="nil") for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
        _put(tbl_pr, _element("tblBorders", edges), _TBL_PR)
    if cell_margin is not None:
        margins = tuple(_element(side, w=_twips(cell_margin), type="dxa") for side in ("left", "right"))
        _put(tbl_pr, _element("tblCellMar", margins), _TBL_PR)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # w:gridCol
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    return table


def _row_properties(row, *, header: bool = False) -> None:
    """The row never splits across pages; a header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    _put(tr_pr, _element("cantSplit"), _TR_PR)
    if header:
        _put(tr_pr, _element("tblHeader"), _TR_PR)


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


def _clean(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    return value


def xml_safe(doc: OfficialDocument) -> OfficialDocument:
    """Drop the control characters Word cannot hold (pasted from other programs) from every text of a document."""
    return _clean(doc)


def _dated(doc: OfficialDocument) -> str:
    if doc.date:
        return official_date(doc.date, doc.letterhead.place_name)
    return f"{doc.letterhead.place_name}, ngày      tháng      năm {datetime.date.today().year}"


def _well_broken(text: str, lines: list[str]) -> bool:
    """Whether every line a heading text was set in begins a line of the text's own or a word to break before."""
    own = [" ".join(line.split()) for line in text.splitlines()]
    return all(_breaks_before(line) or any(o.startswith(line) for o in own) for line in lines)


def _letterhead_lines(letterhead: Letterhead) -> tuple[float, list[str], list[str]]:
    """The size and the lines of the governing and the issuing body: 13 pt where every line fits the column and
    breaks at a sensible place («LIÊN HIỆP CÁC HỘI KHOA HỌC / VÀ KỸ THUẬT»), else 12 pt."""
    governing_text, issuing_text = letterhead.governing_body.upper(), letterhead.issuing_body.upper()
    candidates = []
    for size in (HEADING_PT, SMALL_PT):
        governing = break_lines(governing_text, LEFT_MM, size)
        issuing = break_lines(issuing_text, LEFT_MM, size, bold=True)
        widths = [text_width(line, size) for line in governing]
        widths += [text_width(line, size, bold=True) for line in issuing]
        fits = max(widths, default=0) <= LEFT_MM
        well = _well_broken(governing_text, governing) and _well_broken(issuing_text, issuing)
        candidates.append((not (fits and well), not fits, size == SMALL_PT, size, governing, issuing))
    *_rank, size, governing, issuing = min(candidates)
    return size, governing, issuing


def _heading(document, doc: OfficialDocument, number: str) -> None:
    """The two columns: issuing body and number on the left, national title, motto and date on the right; the
    number and the date in a second row, on one level."""
    table = _table(document, [LEFT_MM, RIGHT_MM], borders=False, cell_margin=0, rows=2)
    (left, right), (number_cell, date_cell) = (row.cells for row in table.rows)
    size, governing, issuing = _letterhead_lines(doc.letterhead)
    first = True
    if governing:
        _line(left, "\n".join(governing), size, first=True)
        first = False
    _line(left, "\n".join(issuing), size, bold=True, first=first)
    name_width = max((text_width(line, size, bold=True) for line in issuing), default=0)
    _rule(left, RULE_SHARE * name_width, LEFT_MM)
    _line(right, NATIONAL_TITLE, TITLE_PT, bold=True, first=True)
    _line(right, MOTTO, MOTTO_PT, bold=True)
    _rule(right, text_width(MOTTO, MOTTO_PT, bold=True), RIGHT_MM)
    numbered = _line(number_cell, f"Số: {number}", HEADING_PT, first=True)
    numbered.paragraph_format.space_before = Pt(6)
    if not doc.doc_type and doc.subject:  # official letter: the subject stands under the number
        _line(number_cell, f"V/v {doc.subject}", SMALL_PT)
    dated = _line(date_cell, _dated(doc), BODY_PT, italic=True, first=True)
    dated.paragraph_format.space_before = Pt(6)


def _body_paragraph(container, text: str, *, bold=False, italic=False, center=False, indent=True):
    align = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph = _line(container, text, BODY_PT, bold=bold, italic=italic, align=align)
    _spaced(paragraph)
    if indent and not center:
        paragraph.paragraph_format.first_line_indent = Mm(INDENT_MM)
    return paragraph


def _spaced(paragraph) -> None:
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.line_spacing = 1.15


def _one_line(text: str) -> bool:
    return text_width(text, BODY_PT) < TEXT_MM - INDENT_MM - 5


def _end_mark(text: str) -> str:
    """The last sentence of the text ends «./.»."""
    text = text.rstrip()
    if text.endswith("./."):
        return text
    return text[:-1] + "./." if text.endswith((".", ";", ",")) else text + "./."


def _body_table(container, item: Table, *, with_next: bool = False) -> None:
    columns = len(item.header)
    shares = list(item.widths) if len(item.widths) == columns else [1.0] * columns
    widths = [TEXT_MM * share / sum(shares) for share in shares]
    table = _table(container, widths, borders=True, cell_margin=1, rows=1 + len(item.rows))
    aligns = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    for index, (row, values) in enumerate(zip(table.rows, [item.header, *item.rows], strict=True)):
        _row_properties(row, header=index == 0)
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            align = WD_ALIGN_PARAGRAPH.CENTER if index == 0 else aligns.get(item.align[column : column + 1], None)
            align = align or WD_ALIGN_PARAGRAPH.LEFT
            paragraph = _line(cell, str(value), item.size, bold=index == 0, align=align, first=True)
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
            # the header row goes with the first row; before a figure, a short table goes whole with it (a long
            # one its last row)
            kept = with_next and (len(item.rows) <= KEPT_ROWS or index == len(item.rows))
            _keep(paragraph, with_next=index == 0 or kept, together=True)
    # the paragraph after a table stands apart from it
    spacer = container.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(6)
    _keep(spacer, with_next=with_next)


def _body_figure(container, item: Figure, number: int, *, with_next: bool = False):
    """The picture centred, no indent, kept with its caption; the caption centred in italics. Returns the caption."""
    picture = container.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = picture.paragraph_format
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Mm(0), Pt(6), Pt(2)
    shape = picture.add_run().add_picture(io.BytesIO(item.png), width=Mm(min(item.width, TEXT_MM)))
    _keep(picture, together=True)
    title = f"{item.label} {number}. {item.caption}"
    shape._inline.docPr.set("descr", title)  # the picture's alternative text: what a screen reader says
    caption = _line(container, title, TABLE_PT, italic=True)
    caption.paragraph_format.space_after = Pt(10)
    _keep(caption, with_next=with_next, together=True)
    return caption


def _body(container, items: list[BodyItem], *, end: bool, figures: Iterator[int] | None = None):
    """Write the items; the last text gets the end mark «./.» when `end`. Returns the last paragraph when the
    items end with one (not with a table or a figure). `figures` numbers the figures (across body and annex)."""
    last_text = max((i for i, item in enumerate(items) if not isinstance(item, Table | Heading | Figure)), default=-1)
    figures = figures if figures is not None else itertools.count(1)
    paragraph = None
    for index, item in enumerate(items):
        if isinstance(item, str):
            item = Paragraph(item)
        following = items[index + 1] if index + 1 < len(items) else None
        if isinstance(item, Table):
            _body_table(container, item, with_next=isinstance(following, Figure))
            paragraph = None
            continue
        if isinstance(item, Figure):
            _body_figure(container, item, next(figures), with_next=isinstance(following, Table))
            paragraph = None
            continue
        if isinstance(item, Heading):
            paragraph = _body_paragraph(container, item.text, bold=True)
            _keep(paragraph)
        elif isinstance(item, Article):
            text = _end_mark(item.text) if end and index == last_text else item.text
            paragraph = _body_paragraph(container, "")
            _font(paragraph.add_run(item.label), BODY_PT, bold=True)
            _font(paragraph.add_run(f" {text}"), BODY_PT)
            # a one-line article goes with what follows it: never the last line of a page (a longer one keeps
            # two lines together)
            _keep(paragraph, with_next=_one_line(f"{item.label} {text}") or text.rstrip().endswith(":"))
        else:
            text = _end_mark(item.text) if end and index == last_text else item.text
            paragraph = _body_paragraph(
                container, text, bold=item.bold, italic=item.italic, center=item.center, indent=item.indent
            )
            _keep(paragraph, with_next=text.rstrip().endswith(":"))
    return paragraph


def _decision_head(document, doc: OfficialDocument) -> None:
    """The authority that issues the decision, its grounds in italics (each «;», the last «.»), «QUYẾT ĐỊNH:»."""
    if doc.competence:
        lines = break_lines(doc.competence.upper(), TEXT_MM, BODY_PT, bold=True)
        paragraph = _line(document, "\n".join(lines), BODY_PT, bold=True)
        paragraph.paragraph_format.space_after = Pt(12)
        _keep(paragraph)
    grounds = [ground.strip().rstrip(";,.") for ground in doc.grounds if ground.strip()]
    for index, ground in enumerate(grounds):
        end = "." if index == len(grounds) - 1 else ";"
        paragraph = _body_paragraph(document, ground + end, italic=True)
        _keep(paragraph, with_next=end == ".")
    enacting = ENACTING.get(doc.doc_type.upper(), f"{doc.doc_type.upper()}:")
    paragraph = _line(document, enacting, BODY_PT, bold=True)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(12)
    _keep(paragraph)


def _signer_block(cell, lines: list[str], name: str, *, first: bool) -> None:
    for index, line in enumerate(line for line in lines if line):
        _line(cell, line.upper(), BODY_PT, bold=True, first=first and index == 0)
    for _blank in range(4):
        _line(cell, "", BODY_PT)
    _line(cell, name, BODY_PT, bold=True)


def _recipients(cell, recipients: list[str], *, first: bool) -> None:
    _line(cell, RECIPIENTS_LABEL, SMALL_PT, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=first)
    for index, recipient in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        text = recipient if recipient.endswith((";", ".", ":")) else recipient + end
        _line(cell, f"- {text}", RECIPIENT_PT, align=WD_ALIGN_PARAGRAPH.LEFT)


def _signature(document, doc: OfficialDocument) -> None:
    """Recipients and signature (or, with a cosigner, the two signatures) in one row that never splits; every
    paragraph in it kept together."""
    if doc.signer:
        lines, name = doc.signer.lines, doc.signer.name
    else:
        lines = [doc.authority, doc.signatory_title or doc.letterhead.signatory_title]
        name = doc.signatory_name
    if doc.cosigner:
        table = _table(document, [TEXT_MM / 2, TEXT_MM / 2], borders=False)
        left, right = table.rows[0].cells
        _signer_block(left, doc.cosigner.lines, doc.cosigner.name, first=True)
    else:
        table = _table(document, [80, TEXT_MM - 80], borders=False)
        left, right = table.rows[0].cells
        _recipients(left, doc.recipients, first=True)
    _signer_block(right, lines, name, first=True)
    _row_properties(table.rows[0])
    for cell in (left, right):
        cell.paragraphs[0].paragraph_format.space_before = Pt(12)
        for paragraph in cell.paragraphs:
            _keep(paragraph, with_next=paragraph is not cell.paragraphs[-1], together=True)
    if doc.cosigner and doc.recipients:
        _recipients(document, doc.recipients, first=False)


def _annex(document, doc: OfficialDocument, figures: Iterator[int] | None = None) -> None:
    """The annex on a new page, in a section of its own so that its pages are numbered from 1 again."""
    annex = doc.annex
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _put(section._sectPr, _element("pgNumType", start=1), _SECT_PR)
    # the paragraph now holding the first section's end: as small as can be, so that it never makes a page
    end = document.paragraphs[-1]
    end.paragraph_format.space_before = end.paragraph_format.space_after = Pt(0)
    end.paragraph_format.line_spacing = Pt(1)
    _put(end._p.get_or_add_pPr(), _element("rPr", (_element("sz", val=2),)), _P_PR)
    _line(document, annex.label, BODY_PT, bold=True, first=False)
    _line(document, "\n".join(break_lines(annex.title.upper(), TEXT_MM, BODY_PT, bold=True)), BODY_PT, bold=True)
    kind = doc.doc_type.capitalize() if doc.doc_type else "Văn bản"
    number = padded_number(doc.number) if doc.number else document_number(None, doc.type_code, doc.letterhead)
    year = (doc.date or datetime.date.today()).year
    day = official_date(doc.date) if doc.date else f"ngày      tháng      năm {year}"
    issuer = f" của {annex.issuer}" if annex.issuer else ""
    note = f"(Kèm theo {kind} số {number} {day}{issuer})"
    lines = break_lines(note, TEXT_MM, BODY_PT)
    _line(document, "\n".join(lines), BODY_PT, italic=True)
    width = max(text_width(line, BODY_PT) for line in lines)
    _rule(document, RULE_SHARE * width, TEXT_MM, space_after=12)
    _body(document, annex.body, end=False, figures=figures)


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
    normal.paragraph_format.widow_control = True
    _page_number_header(section)

    number = padded_number(doc.number) if doc.number else document_number(None, doc.type_code, doc.letterhead)
    _heading(document, doc, number)

    if doc.doc_type:
        title = _line(document, doc.doc_type.upper(), BODY_PT, bold=True)
        title.paragraph_format.space_before = Pt(12)
        _keep(title)
        lines = break_lines(doc.subject or doc.doc_type, TEXT_MM, BODY_PT, bold=True)
        if doc.subject:
            _keep(_line(document, "\n".join(lines), BODY_PT, bold=True))
        width = max(text_width(line, BODY_PT, bold=True) for line in lines)
        _keep(_rule(document, RULE_SHARE * min(width, TEXT_MM), TEXT_MM, space_after=12))
    if doc.competence or doc.grounds:
        _decision_head(document, doc)
    figures = itertools.count(1)  # «Biểu đồ 1.», «Biểu đồ 2.» … through the body and the annex
    if last := _body(document, doc.body, end=True, figures=figures):
        _keep(last)  # the last paragraph goes with the signature
    _signature(document, doc)
    if doc.verification:
        note = _line(document, doc.verification, RECIPIENT_PT - 1, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        note.paragraph_format.space_before = Pt(12)
    if doc.annex:
        _annex(document, doc, figures)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
