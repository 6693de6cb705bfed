"""Uploads are judged by their content, stored privately under random names, and served only through a checked view."""

import hashlib
import io
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lienhiep.core import services, uploads
from lienhiep.core.models import ActivityLog, Attachment
from lienhiep.portal.models import LegalDocument

from ..conftest import Cast

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000056 00000 n \n0000000111 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n178\n%%EOF\n"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Báo cáo tư vấn, phản biện</w:t></w:r></w:p></w:body></w:document>"
)


def docx_bytes(extra: dict[str, bytes] | None = None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Đơn vị"])
    sheet.append(["Nguyễn Văn An", "UBND huyện Đăk Tô"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT_XML)
        archive.writestr("word/media/image1.bin", bytes(50 * 1024 * 1024))
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def storage_root() -> Path:
    return Path(django_settings.STORAGES["default"]["OPTIONS"]["location"])


def stored_files() -> list[Path]:
    root = storage_root()
    return [Path(dirpath) / f for dirpath, _dirs, files in os.walk(root) for f in files] if root.exists() else []


def attach(cast: Cast, file: SimpleUploadedFile, owner=None, actor=None) -> Attachment:
    return services.attach_file(
        actor=actor or cast.staff, union=cast.union, owner=owner or cast.public_document, upload=file
    )


# --- accepted files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, extension, mime",
    [
        ("Quyết định 48.pdf", PDF_BYTES, ".pdf", "application/pdf"),
        (
            "Báo cáo.docx",
            docx_bytes(),
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("Danh sách.xlsx", xlsx_bytes(), ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Ảnh hội thảo.png", png_bytes(), ".png", "image/png"),
    ],
)
def test_real_files_are_accepted_and_stored_under_a_random_name(cast: Cast, name, data, extension, mime):
    attachment = attach(cast, upload(name, data))
    attachment.refresh_from_db()
    assert attachment.extension == extension
    assert attachment.mime_type == mime
    assert attachment.original_name == name
    assert attachment.size == len(data)
    assert attachment.union == cast.union
    assert attachment.owner == cast.public_document
    assert attachment.uploaded_by == cast.staff
    assert re.fullmatch(rf"{cast.union.pk}/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}{re.escape(extension)}", attachment.file.name)
    stem = name.rsplit(".", 1)[0]
    assert stem not in attachment.file.name
    assert fold_ascii(stem) not in attachment.file.name
    path = Path(attachment.file.path)
    assert path.is_file() and path.read_bytes() == data
    assert storage_root() in path.parents
    assert ActivityLog.objects.filter(verb="core.attachment.added", target_id=cast.public_document.pk).exists()


def fold_ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def test_two_uploads_of_the_same_name_get_different_stored_names(cast: Cast):
    first = attach(cast, upload("Quyết định 48.pdf", PDF_BYTES))
    second = attach(cast, upload("Quyết định 48.pdf", PDF_BYTES))
    assert first.file.name != second.file.name
    assert first.sha256 == second.sha256
    assert len(stored_files()) == 2


def test_original_name_given_in_nfd_is_kept_in_nfc(cast: Cast):
    nfc = "Quyết định 48.pdf"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    attachment = attach(cast, upload(nfd, PDF_BYTES))
    attachment.refresh_from_db()
    assert attachment.original_name == nfc
    assert unicodedata.is_normalized("NFC", attachment.original_name)


def test_type_comes_from_content_not_name_a_pdf_named_docx_is_a_pdf(cast: Cast):
    attachment = attach(
        cast,
        upload("báo cáo.docx", PDF_BYTES, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )
    assert attachment.extension == ".pdf"
    assert attachment.mime_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf")


def test_sha256_is_of_the_content(cast: Cast):
    attachment = attach(cast, upload("a.pdf", PDF_BYTES))
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


# --- refused files ------------------------------------------------------------------------------------------------


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "không phải tài liệu Word")
    return buffer.getvalue()


REFUSED = {  # what a user could send: (name, content)
    "exe-named-pdf": ("x.pdf", lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)),
    "html-named-pdf": ("x.pdf", lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "text-named-pdf": ("x.pdf", lambda: "Đây là văn bản thường, không phải PDF.".encode()),
    "pdf-signature-late": ("x.pdf", lambda: b" \n%PDF-1.4 hidden behind a space"),
    "svg-named-png": ("x.png", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "empty": ("rỗng.pdf", lambda: b""),
    "zip-not-office": ("x.docx", plain_zip),
    "zip-bomb-docx": ("bom.docx", zip_bomb_docx),
}


@pytest.mark.parametrize("key", list(REFUSED))
def test_files_that_lie_or_are_empty_or_bombs_are_refused_and_leave_nothing(cast: Cast, key):
    name, make = REFUSED[key]
    data = make()
    with pytest.raises(ValidationError) as error:
        attach(cast, upload(name, data, "application/pdf"))
    assert error.value.messages
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert not ActivityLog.objects.filter(verb="core.attachment.added").exists()


def test_the_zip_bomb_really_is_one():
    data = zip_bomb_docx()
    assert len(data) < 1024 * 1024  # small on the wire ...
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(i.file_size for i in archive.infolist()) >= 50 * 1024 * 1024  # ... 50 MB unpacked


def test_an_office_file_with_too_many_parts_is_refused(cast: Cast):
    data = docx_bytes({f"word/part{i}.xml": b"<x/>" for i in range(uploads.ZIP_MAX_MEMBERS)})
    with pytest.raises(ValidationError):
        attach(cast, upload("nhieu.docx", data))
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_an_oversize_file_is_refused(cast: Cast, settings):
    settings.LIENHIEP_UPLOAD_MAX_BYTES = 100
    assert len(PDF_BYTES) > 100
    with pytest.raises(ValidationError):
        attach(cast, upload("lớn.pdf", PDF_BYTES))
    assert not Attachment.objects.exists()
    assert stored_files() == []
    # exactly at the limit is fine
    settings.LIENHIEP_UPLOAD_MAX_BYTES = len(PDF_BYTES)
    assert attach(cast, upload("vừa.pdf", PDF_BYTES)).size == len(PDF_BYTES)


def test_a_kind_not_in_the_allowed_list_is_refused(cast: Cast):
    with pytest.raises(ValidationError):
        services.attach_file(
            actor=cast.staff,
            union=cast.union,
            owner=cast.public_document,
            upload=upload("ảnh.png", png_bytes()),
            allowed=(uploads.PDF,),
        )
    assert not Attachment.objects.exists()


def test_a_file_cannot_be_attached_to_another_unions_record_or_by_a_non_staff(cast: Cast):
    other_doc = LegalDocument.objects.create(
        union=cast.outsider_union,
        number_symbol="1/QĐ",
        doc_type="decision",
        issuer="UBND",
        issued_on="2020-01-01",
        summary="Khác",
    )
    with pytest.raises(PermissionDenied):
        attach(cast, upload("a.pdf", PDF_BYTES), owner=other_doc)
    for actor in (cast.expert, cast.entrant, cast.agency_rep, cast.outsider_staff):
        with pytest.raises(PermissionDenied):
            attach(cast, upload("a.pdf", PDF_BYTES), actor=actor)
    assert not Attachment.objects.exists()
    assert stored_files() == []


# --- safe display names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\evil.pdf", "evil.pdf"),
        ("/var/www/Quyết định.pdf", "Quyết định.pdf"),
        ("bao\x00cao\r\n\t.pdf", "baocao.pdf"),
        ("hoa\u202efdp.exe", "hoafdp.exe"),  # right-to-left override (a Cf character) removed
        ("...", "tep-tin"),
        ("", "tep-tin"),
        (".htaccess", "htaccess"),
    ],
)
def test_safe_display_name(given, expected):
    assert uploads.safe_display_name(given) == expected


def test_safe_display_name_shortens_long_names_and_keeps_the_extension():
    for stem_char in ("a", "ệ"):
        name = uploads.safe_display_name(stem_char * 296 + ".pdf")
        assert len(name) <= 200
        assert name.endswith(".pdf")
        assert name.startswith(stem_char * 10)


def test_safe_display_name_output_has_no_separator_or_control_character():
    nasty = "../a/..\\b\x1b[31m\x7f/\u200bc:d?.pdf"
    name = uploads.safe_display_name(nasty)
    assert "/" not in name and "\\" not in name
    assert all(unicodedata.category(ch)[0] != "C" for ch in name)


def test_a_traversal_name_is_stored_safely(cast: Cast):
    attachment = attach(cast, upload("../../etc/passwd.pdf", PDF_BYTES))
    assert attachment.original_name == "passwd.pdf"
    assert storage_root() in Path(attachment.file.path).parents
    assert ".." not in attachment.file.name


# --- downloads ----------------------------------------------------------------------------------------------------


def download_url(union_slug: str, attachment: Attachment) -> str:
    return f"/{union_slug}/files/{attachment.pk}/"


def body(response) -> bytes:
    data = b"".join(response.streaming_content)
    response.close()
    return data


def assert_private_headers(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_public_documents_file_downloads_anonymously_with_its_original_name(cast: Cast, client_for):
    attachment = attach(cast, upload("Quyết định 48.pdf", PDF_BYTES))
    response = client_for(None).get(download_url("kontum", attachment))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert quote("Quyết định 48.pdf") in disposition
    assert response["Content-Type"] == "application/pdf"
    assert_private_headers(response)
    assert body(response) == PDF_BYTES


@pytest.mark.parametrize("role", ["outsider_staff", "entrant", "expert", "agency_rep"])
def test_a_private_documents_file_is_hidden_from_outsiders_and_non_staff(cast: Cast, client_for, role):
    attachment = attach(cast, upload("Kế hoạch.pdf", PDF_BYTES), owner=cast.private_document)
    response = client_for(cast.users_by_role()[role]).get(download_url("kontum", attachment))
    assert response.status_code == 404
    assert "Content-Disposition" not in response


def test_a_private_documents_file_is_a_404_for_the_anonymous_visitor_with_a_sign_in_link(cast: Cast, client_for):
    """Not the sign-in page, which only an existing file would lead to (tests/core/test_private_files.py)."""
    attachment = attach(cast, upload("Kế hoạch.pdf", PDF_BYTES), owner=cast.private_document)
    response = client_for(None).get(download_url("kontum", attachment))
    assert response.status_code == 404
    assert "Content-Disposition" not in response
    assert f'href="/accounts/login/?next=/kontum/files/{attachment.pk}/"' in response.content.decode()


@pytest.mark.parametrize("role", ["staff", "leader", "union_admin"])
def test_a_private_documents_file_downloads_for_the_unions_staff(cast: Cast, client_for, role):
    attachment = attach(cast, upload("Kế hoạch.pdf", PDF_BYTES), owner=cast.private_document)
    response = client_for(cast.users_by_role()[role]).get(download_url("kontum", attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("Kế hoạch.pdf") in response["Content-Disposition"]
    assert_private_headers(response)
    assert body(response) == PDF_BYTES


@pytest.mark.parametrize("role", [None, "staff", "outsider_staff"])
def test_another_unions_slug_in_the_download_url_is_404(cast: Cast, client_for, role):
    public_file = attach(cast, upload("Quyết định 48.pdf", PDF_BYTES))
    private_file = attach(cast, upload("Kế hoạch.pdf", PDF_BYTES), owner=cast.private_document)
    user = cast.users_by_role()[role] if role else None
    for attachment in (public_file, private_file):
        assert client_for(user).get(download_url("quangngai", attachment)).status_code == 404
        assert client_for(user).get(download_url("khong-co", attachment)).status_code == 404


def test_an_unknown_file_id_is_404(cast: Cast, client_for):
    assert client_for(cast.staff).get("/kontum/files/999999/").status_code == 404


# --- uploading through the page -----------------------------------------------------------------------------------


def upload_url(document, union_slug: str = "kontum") -> str:
    return f"/{union_slug}/app/files/upload/portal.legaldocument/{document.pk}/"


def test_staff_upload_through_the_page(cast: Cast, client_for):
    response = client_for(cast.staff).post(
        upload_url(cast.private_document),
        {"file": upload("Quyết định 48.pdf", PDF_BYTES, "application/pdf"), "description": "Bản scan có dấu"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/kontum/app/documents/{cast.private_document.pk}/"
    attachment = Attachment.objects.get()
    assert attachment.owner == cast.private_document
    assert attachment.original_name == "Quyết định 48.pdf"
    assert attachment.description == "Bản scan có dấu"
    assert len(stored_files()) == 1


def test_a_large_office_file_spooled_to_disk_is_checked_by_content(cast: Cast, client_for):
    """Over FILE_UPLOAD_MAX_MEMORY_SIZE the upload is a temporary file on disk; the zip check must still read it."""
    data = docx_bytes({"word/media/image1.bin": os.urandom(3 * 1024 * 1024)}, compression=zipfile.ZIP_STORED)
    assert len(data) > django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    response = client_for(cast.staff).post(upload_url(cast.private_document), {"file": upload("Lớn.docx", data)})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.extension == ".docx"
    assert attachment.size == len(data)


def test_a_refused_file_through_the_page_stores_nothing(cast: Cast, client_for):
    response = client_for(cast.staff).post(
        upload_url(cast.private_document),
        {"file": upload("x.pdf", b"<html><body>not a pdf</body></html>", "application/pdf"), "description": ""},
    )
    assert response.status_code == 302  # back to the document, with an error message
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert "error" in [m.level_tag for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", ["expert", "entrant", "agency_rep", "leader"])
def test_non_editors_cannot_upload(cast: Cast, client_for, role):
    response = client_for(cast.users_by_role()[role]).post(
        upload_url(cast.public_document), {"file": upload("a.pdf", PDF_BYTES, "application/pdf")}
    )
    assert response.status_code == 403
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_the_outsider_cannot_upload_to_a_kon_tum_document(cast: Cast, client_for):
    outsider = client_for(cast.outsider_staff)
    for url in (upload_url(cast.public_document), upload_url(cast.public_document, "quangngai")):
        response = outsider.post(url, {"file": upload("a.pdf", PDF_BYTES, "application/pdf")})
        assert response.status_code in (403, 404)
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_the_anonymous_visitor_cannot_upload(cast: Cast, client_for):
    response = client_for(None).post(
        upload_url(cast.public_document), {"file": upload("a.pdf", PDF_BYTES, "application/pdf")}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("model", ["core.user", "core.union", "core.attachment", "nope", "portal.nothing"])
def test_only_attachable_models_take_uploads(cast: Cast, client_for, model):
    response = client_for(cast.staff).post(
        f"/kontum/app/files/upload/{model}/{cast.staff.pk}/", {"file": upload("a.pdf", PDF_BYTES, "application/pdf")}
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()
