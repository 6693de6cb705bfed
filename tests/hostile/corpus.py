"""The manifest of the hostile upload corpus: which file goes to which endpoints and what the user must read.

Files live in tests/hostile/corpus/ (built by make_corpus.py, committed); the two large cases (`@rows100k`,
`@oversize`) are built at test time. Endpoint groups (see test_corpus.ENDPOINTS):

- STORED: endpoints that keep any office/PDF file as it is (attachments, case files, entry files)
- IMAGES: endpoints that take photos only (PNG/JPEG)
- DRAFT: the advisory draft, which is stored AND read paragraph by paragraph
- SHEETS: the Excel importers (experts, contest paper score sheets) and the places importer (CSV or XLSX)

`expect` is the Vietnamese fragment the page must show (or a tuple of fragments, one of which it must show);
`expect_by_endpoint` overrides it for one endpoint: the session photo form checks images with Pillow first and
says "not a valid image" for anything else.
Every case must leave the database exactly as before and no file in storage.
"""

from dataclasses import dataclass, field

STORED = ("attachment", "advisory_file", "entry_file", "action_evidence")
IMAGES = ("session_photo", "article_image")
DRAFT = ("advisory_draft",)
SHEETS = ("experts_import", "scores_import", "places_import")
EVERYWHERE = STORED + IMAGES + DRAFT + SHEETS

NOT_ACCEPTED = "không thuộc định dạng được chấp nhận"
BOMB = "lớn bất thường"
DAMAGED = "bị hỏng"
EMPTY = "rỗng"
TOO_BIG = "tối đa được chấp nhận"
MISSING_COLUMNS = "Thiếu cột"
FORMULA = "công thức"
TOO_MANY_ROWS = ("hãy chia thành nhiều tệp", "quá nhiều dòng")
UNREADABLE_DRAFT = "Không đọc được dự thảo"
NO_TEXT = "không có nội dung để góp ý"
NOT_IMAGE = "hình ảnh hợp lệ"
PHOTO = {"session_photo": NOT_IMAGE}


@dataclass(frozen=True)
class Case:
    file: str  # a file in corpus/, or @rows100k / @oversize (built at test time)
    name: str  # the file name the browser sends
    what: str
    endpoints: tuple[str, ...]
    expect: str | tuple[str, ...]
    expect_by_endpoint: dict[str, str] = field(default_factory=dict)


CASES: list[Case] = [
    Case("html-named-pdf.pdf", "kế hoạch.pdf", "HTML with a script, named .pdf", EVERYWHERE, NOT_ACCEPTED, PHOTO),
    Case("exe-named-docx.docx", "dự thảo.docx", "a Windows program named .docx", EVERYWHERE, NOT_ACCEPTED, PHOTO),
    Case("plain-zip-named-xlsx.xlsx", "danh sách.xlsx", "a plain zip named .xlsx", EVERYWHERE, NOT_ACCEPTED, PHOTO),
    Case("empty.pdf", "trống.pdf", "an empty file", EVERYWHERE, EMPTY),
    Case("bomb.docx", "bom.docx", "DOCX expanding 30 MB from 31 kB (ratio ~1000)", EVERYWHERE, BOMB, PHOTO),
    Case("bomb.xlsx", "bom.xlsx", "XLSX expanding 30 MB from 32 kB (ratio ~1000)", EVERYWHERE, BOMB, PHOTO),
    Case(
        "lying-sizes.docx",
        "kích thước giả.docx",
        "DOCX whose zip directory understates the unpacked size",
        EVERYWHERE,
        DAMAGED,
        PHOTO,
    ),
    Case("broken-xml.docx", "hỏng.docx", "DOCX whose document.xml is not XML", DRAFT, UNREADABLE_DRAFT),
    Case("no-text.docx", "trắng.docx", "DOCX without a paragraph", DRAFT, NO_TEXT),
    Case("billion-laughs.docx", "cười.docx", "DOCX with an entity-expansion bomb", DRAFT, UNREADABLE_DRAFT),
    Case("xxe.docx", "xxe.docx", "DOCX with an external entity to /etc/passwd (never resolved)", DRAFT, NO_TEXT),
    Case("billion-laughs.xlsx", "cười.xlsx", "XLSX with an entity-expansion bomb", SHEETS, "Excel"),
    Case("formula.xlsx", "công thức.xlsx", "XLSX with live formulas (HYPERLINK, CONCATENATE)", SHEETS, FORMULA),
    Case("merged-header.xlsx", "gộp ô.xlsx", "XLSX with a two-row merged header", SHEETS, MISSING_COLUMNS),
    Case("wrong-columns.xlsx", "sai cột.xlsx", "XLSX with unknown columns", SHEETS, MISSING_COLUMNS),
    Case("windows-1252.csv", "đơn vị.csv", "CSV saved in Windows-1252", ("places_import",), "UTF-8"),
    Case("nul-bytes.csv", "đơn vị.csv", "CSV holding NUL bytes (UTF-16)", ("places_import",), "CSV"),
    Case("@rows100k", "100000 dòng.xlsx", "XLSX with 100,000 rows", SHEETS, TOO_MANY_ROWS),
    Case("@oversize", "quá lớn.pdf", "a file one byte over the upload limit", EVERYWHERE, TOO_BIG, PHOTO),
]
