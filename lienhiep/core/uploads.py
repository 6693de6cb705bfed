"""Upload checks: size limit, type decided by content (never by the file name), zip-bomb guard, safe names."""

import hashlib
import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    mime_type: str
    label: str


PDF = FileKind(".pdf", "application/pdf", "PDF")
DOCX = FileKind(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)")
XLSX = FileKind(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)")
PNG = FileKind(".png", "image/png", "PNG")
JPEG = FileKind(".jpg", "image/jpeg", "JPEG")
ALLOWED = (PDF, DOCX, XLSX, PNG, JPEG)

ZIP_MAX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes an office file may expand to
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 5000


def _sniff_zip(head: bytes, data: io.BufferedIOBase) -> FileKind | None:
    try:
        archive = zipfile.ZipFile(data)
    except zipfile.BadZipFile:
        return None
    with archive:
        infos = archive.infolist()
        if len(infos) > ZIP_MAX_MEMBERS:
            raise ValidationError(_("The file holds too many parts to be a normal office document."))
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > ZIP_MAX_TOTAL or total / packed > ZIP_MAX_RATIO:
            raise ValidationError(_("The file expands to an unreasonable size when unpacked and was refused."))
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names:
            return None
        # The sizes above are what the zip's directory claims; unpacking every part (bounded by those sizes)
        # checks each part's checksum, so a file that lies about its sizes, or is cut short, is refused here.
        try:
            damaged = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as error:
            raise ValidationError(_("The file is damaged: its compressed parts do not check out.")) from error
        if damaged is not None:
            raise ValidationError(_("The file is damaged: its compressed parts do not check out."))
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def detect_kind(upload: UploadedFile) -> FileKind | None:
    """The file's real type from its first bytes (and, for office files, their inner structure)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind = _sniff_zip(head, upload.file if hasattr(upload, "file") else upload)
        upload.seek(0)
        return kind
    return None


def safe_display_name(name: str, kind: FileKind | None = None) -> str:
    """The name as the user knows it (Vietnamese kept, NFC), without folders or control characters.

    With the file's real kind, a wrong extension is corrected, so a download opens in the right program.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        name = "tep-tin"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    if kind is not None:
        stem, dot, ext = name.rpartition(".")
        same = {".jpg", ".jpeg"} if kind is JPEG else {kind.extension}
        if not dot or f".{ext.lower()}" not in same:
            name = f"{stem if dot else name}{kind.extension}"
    return name


def check_size(upload: UploadedFile) -> None:
    """Refuse an empty file or one above LIENHIEP_UPLOAD_MAX_BYTES, saying how large it is."""
    limit = settings.LIENHIEP_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )


def check_upload(upload: UploadedFile, allowed: tuple[FileKind, ...] = ALLOWED) -> FileKind:
    """Validate an upload; raise ValidationError with a message for the user, or return its kind."""
    check_size(upload)
    kind = detect_kind(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This file's content is not an accepted type. Accepted: %(types)s.")
            % {"types": ", ".join(k.label for k in allowed)}
        )
    return kind


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_csv_upload(upload: UploadedFile) -> None:
    """A CSV must be UTF-8 text within the size limit (CSV has no magic bytes to check)."""
    check_size(upload)
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    if b"\x00" in head:
        raise ValidationError(_("This is not a text (CSV) file."))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # a character cut at the end of the sample is fine
            raise ValidationError(_("The CSV file must be saved in UTF-8 encoding.")) from error
