"""Programs some tests need beside Python (Chromium, LibreOffice, poppler, gettext). Where one is missing, those
tests are skipped with the reason and the package to install; where the tools are required (CI sets
LIENHIEP_REQUIRE_TOOLS=1), a missing program stops the run instead, so that no check is silently lost."""

import os
import shutil

import pytest

REQUIRED = os.environ.get("LIENHIEP_REQUIRE_TOOLS") == "1"


def missing(command: str, package: str) -> bool:
    """Whether `command` is missing here (an error where the tools are required)."""
    if shutil.which(command):
        return False
    if REQUIRED:
        raise pytest.UsageError(f"{command} is required here but missing (apt-get install {package})")
    return True


def needs(command: str, package: str) -> pytest.MarkDecorator:
    """Mark for tests that run `command`: skipped with the reason where it is missing (an error where required)."""
    return pytest.mark.skipif(
        missing(command, package), reason=f"{command} is not installed (apt-get install {package})"
    )


def docx_as_plain_pdf(data: bytes) -> bytes:
    """A quick stand-in for the worker's LibreOffice conversion: a real PDF holding the document's text (paragraphs
    and table cells, in order), made by WeasyPrint in about a tenth of the time. Tests marked `libreoffice` convert
    for real (the layout, the report's PDF, a missing LibreOffice)."""
    import html
    import io

    from docx import Document
    from weasyprint import HTML

    def lines(container) -> list[str]:
        found = []
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        found.extend(lines(cell))
            elif block.text.strip():
                found.append(block.text)
        return found

    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines(Document(io.BytesIO(data))))
    page = "<style>@page { size: A4; margin: 20mm } body { font-family: 'Liberation Serif'; }</style>"
    return HTML(string=page + body).write_pdf()
