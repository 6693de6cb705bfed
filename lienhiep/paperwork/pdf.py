"""DOCX → PDF with LibreOffice headless. Only the background worker calls this: a conversion takes one to two
seconds and blocks whatever runs it, so no web request may."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE_TIMEOUT = 120


class ConversionError(Exception):
    """LibreOffice is missing, took too long, or made no PDF."""


def docx_to_pdf(data: bytes) -> bytes:
    """Convert with LibreOffice headless, one throw-away profile per conversion (parallel-safe)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ConversionError("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        source = folder_path / "report.docx"
        source.write_bytes(data)
        profile = folder_path / "profile"
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder_path),
                    str(source),
                ],
                capture_output=True,
                timeout=SOFFICE_TIMEOUT,
                check=False,
                env={**os.environ, "HOME": str(folder_path)},
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionError(f"LibreOffice took more than {SOFFICE_TIMEOUT} s") from error
        pdf = folder_path / "report.pdf"
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise ConversionError("LibreOffice made no PDF")
        return pdf.read_bytes()
