"""The draft as numbered paragraphs (from its DOCX) or, for a PDF-only draft, as pages (pdftotext), so that
members can anchor their comments to the exact place."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

PDFTOTEXT_TIMEOUT = 60


def docx_paragraphs(data: bytes) -> list[tuple[str, bool]]:
    """(text, is heading) of every non-empty paragraph, tables read row by row, in the document's order."""
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a damaged file
        raise ValidationError(_("The draft could not be read as a Word document.")) from error
    rows: list[tuple[str, bool]] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if text:
                style = (paragraph.style.name if paragraph.style is not None else "") or ""
                heading = style.lower().startswith(("heading", "title")) or (
                    bool(paragraph.runs) and all(r.bold for r in paragraph.runs if r.text.strip())
                )
                rows.append((text, heading))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    rows.append((" | ".join(cells), False))
    if not rows:
        raise ValidationError(_("The draft has no text to comment on."))
    return rows


def pdf_pages(data: bytes) -> list[tuple[int, str]]:
    """(page number, text) of every page; a page without a text layer keeps an empty text (comments still anchor
    to it by its number)."""
    if not shutil.which("pdftotext"):
        raise ValidationError(_("PDF drafts need pdftotext (poppler-utils) on the server."))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.pdf"
        path.write_bytes(data)
        try:
            done = subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                capture_output=True,
                timeout=PDFTOTEXT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ValidationError(_("The PDF draft took too long to read.")) from error
    if done.returncode != 0:
        raise ValidationError(_("The draft could not be read as a PDF document."))
    pages = done.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    if not pages:
        raise ValidationError(_("The PDF draft has no page."))
    return [(n, "\n".join(line.rstrip() for line in text.splitlines()).strip()) for n, text in enumerate(pages, 1)]
