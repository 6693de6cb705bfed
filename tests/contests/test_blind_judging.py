"""Blind judging, from outside: dossier files named after their authors and carrying their names in the document
properties reach the judge under neutral names and without those properties; the items the edition keeps from
judges (the registration form) are files that do not exist to them; staff are warned at screening where a name
judges would read still stands, and return the entry with the list; a dossier closes when judging starts, and
staff reopen one entry's dossier only with a reason that the entry's page and the results show."""

import datetime
import html
import io
import re
import urllib.parse
import zipfile
import zlib

import docx
import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from lienhiep.contests import blind, editions, services
from lienhiep.contests.models import DossierItem, Edition, Entry
from lienhiep.contests.services import ContributorData
from lienhiep.core.models import ActivityLog, Agency
from lienhiep.core.text import fold

from . import factories as f

pytestmark = pytest.mark.django_db

AUTHOR = "Nguyễn Văn Tác Giả"
TEACHER = "Trần Thị Cô Giáo"
SCHOOL = "Trường THCS Chu Văn An, huyện Đăk Tô"
NAMES = (AUTHOR, TEACHER, SCHOOL, "THCS Chu Văn An")


def url(name, cast, *args):
    return reverse(f"contests:{name}", args=[cast.union.slug, *args])


# Files that give their authors away -----------------------------------------------------------------------------


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def naming_pdf(author: str = AUTHOR, text: str = "Thuyet minh may loc nuoc") -> bytes:
    """A one-page PDF whose /Info (Author, Creator, Producer, Title, Subject, Keywords) and XMP packet name the
    author, and whose page names no one."""
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
        '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/'
        f'elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><dc:creator><rdf:Seq><rdf:li>{author}</rdf:li>'
        f"</rdf:Seq></dc:creator><pdf:Author>{author}</pdf:Author></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    info = " ".join(f"/{key} {_utf16(author)}" for key in ("Author", "Creator", "Producer", "Title", "Subject"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R /Annots [8 0 R] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream",
        f"<< {info} /Keywords {_utf16(author)} >>".encode(),
        f"<< /Type /Annot /Subtype /Text /Rect [72 600 90 618] /T {_utf16(author)} /Contents (Xem lai) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def naming_docx(body: str = "Giải pháp: máy lọc nước giếng khoan từ vật liệu tái chế.") -> bytes:
    """A DOCX whose core properties (creator, last modified by, title, subject, keywords, comments), app properties
    (company, manager), a comment and a tracked insertion name the author, the teacher and the school."""
    document = docx.Document()
    paragraph = document.add_paragraph(body)
    document.add_comment(paragraph.runs, text="Sửa lại đoạn này", author=TEACHER, initials="TTCG")
    inserted = OxmlElement("w:ins")
    for key, value in (("w:id", "90"), ("w:author", AUTHOR), ("w:date", "2022-05-01T00:00:00Z")):
        inserted.set(qn(key), value)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = " Bổ sung số liệu."
    run.append(text)
    inserted.append(run)
    paragraph._p.append(inserted)
    props = document.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.title, props.subject, props.keywords, props.comments = f"Của {AUTHOR}", SCHOOL, TEACHER, SCHOOL
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()  # Company and Manager live in docProps/app.xml, which python-docx leaves as its template's
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "docProps/app.xml":
                extra = f"<Company>{SCHOOL}</Company><Manager>{TEACHER}</Manager><Application>".encode()
                part = part.replace(b"<Application>", extra)
            target.writestr(info, part)
    return out.getvalue()


def naming_jpeg() -> bytes:
    """A photo whose EXIF names its author (Artist, ImageDescription), turned on its side (Orientation 6)."""
    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van Tac Gia"  # Artist
    exif[0x010E] = "Anh cua Tran Thi Co Giao"  # ImageDescription
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def texts_in(data: bytes) -> str:
    """Every text a file holds, as any tool would find it (raw bytes, inflated streams, zip parts, PDF hex and
    UTF-16 strings, the metadata a PDF reader reports), folded to compare without diacritics."""
    layers, found = [data], []
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            layers += [archive.read(n) for n in names] + [archive.comment, *(n.encode() for n in names)]
    if data.startswith(b"%PDF"):
        for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                layers.append(zlib.decompressobj().decompress(match.group(1)))
            except zlib.error:
                pass
        document = pypdfium2.PdfDocument(data)
        found += [str(v) for v in document.get_metadata_dict().values()]
        document.close()
        for layer in list(layers):  # PDF strings: <FEFF…> hex, (\xfe\xff…) UTF-16
            for match in re.finditer(rb"<([0-9A-Fa-f\s]+)>", layer):
                hex_digits = re.sub(rb"\s", b"", match.group(1))
                raw = bytes.fromhex(hex_digits.decode() + "0" * (len(hex_digits) % 2))
                found.append(raw[2:].decode("utf-16-be", "ignore") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1"))
            found += [m.group(1).decode("utf-16-be", "ignore") for m in re.finditer(rb"\(\xfe\xff(.*?)\)", layer, re.S)]
    for layer in layers:
        found += [layer.decode("latin-1"), layer.decode("utf-8", "ignore")]
    return words(" ".join(found))


def words(text: str) -> str:
    return " " + " ".join(re.sub(r"[\W_]+", " ", fold(text)).split()) + " "


def leaked(text: str) -> list[str]:
    """The names of the entry's people found in a folded text."""
    return [name for name in NAMES if words(name) in text]


# The entry ------------------------------------------------------------------------------------------------


def youth_entry(cast, *, title="Máy lọc nước giếng khoan từ vật liệu tái chế", summary=None):
    """A youth entry by the cast's entrant: author Nguyễn Văn Tác Giả, guiding teacher Trần Thị Cô Giáo, school
    Trường THCS Chu Văn An (a draft, before the deadline)."""
    ed = Edition.objects.filter(union=cast.union, code="TN14").first() or f.open_edition(
        cast, kind=Edition.Kind.YOUTH, code="TN14"
    )
    school, _created = Agency.objects.get_or_create(union=cast.union, name=SCHOOL, kind=Agency.Kind.SCHOOL)
    people = [
        ContributorData(name=AUTHOR, share=100, birth_date=datetime.date(2008, 3, 1), agency=school),
        ContributorData(name=TEACHER, role="mentor", agency=school),
    ]
    summary = summary or "Lọc nước giếng khoan bằng than hoạt tính và cát thạch anh, giá dưới 300 nghìn đồng."
    return f.draft(cast, ed, title, people=people, school=school, summary=summary)


def upload(client, cast, entry, item, name: str, data: bytes, content_type: str):
    return client.post(
        url("entry_file_add", cast, entry.pk),
        {"item": item.pk, "file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def item(entry, name: str) -> DossierItem:
    return entry.edition.dossier_items.get(name=name)


def _dossier(cast, client_for, entry):
    """The dossier, uploaded by the entrant through the page: the registration form names everyone (and is kept
    from judges); the description comes as a DOCX, a PDF and a photo named after the author, with the names in
    their properties."""
    entrant = client_for(cast.entrant)
    form, description = item(entry, "Phiếu đăng ký"), item(entry, "Bản mô tả giải pháp")
    uploads = [
        (form, f"Phiếu đăng ký - {AUTHOR} - {SCHOOL}.pdf", naming_pdf(f"{AUTHOR}, {TEACHER}"), "application/pdf"),
        (description, f"{AUTHOR} - thuyết minh.docx", naming_docx(), "application/octet-stream"),
        (description, f"{AUTHOR} - thuyết minh.pdf", naming_pdf(), "application/pdf"),
        (description, f"Ảnh của {TEACHER}.jpg", naming_jpeg(), "image/jpeg"),
    ]
    for dossier_item, name, data, content_type in uploads:
        assert upload(entrant, cast, entry, dossier_item, name, data, content_type).status_code == 302
    assert entry.files.count() == 4
    return uploads


def test_the_judge_reads_neutral_names_and_no_author_in_the_files(cast, client_for, judges):
    entry = youth_entry(cast)
    uploads = _dossier(cast, client_for, entry)
    entry = services.submit_entry(actor=cast.entrant, entry=entry, now=f.aware(2022, 6, 1, 10, 0, 0))
    services.screen_entry(actor=cast.staff, entry=entry, decision="accept")
    editions.move_edition(actor=cast.staff, edition=entry.edition, move="start_judging")
    seat = f.seat(cast, f.fresh(entry), judges[0])
    judge = client_for(judges[0].person.user)

    sheet = judge.get(url("sheet", cast, seat.pk)).content.decode()
    assert not leaked(words(html.unescape(sheet))), "the score sheet names the entry's people"
    number = f.fresh(entry).number
    assert f"{number} – Bản mô tả giải pháp.docx" in sheet
    assert f"{number} – Bản mô tả giải pháp (2).pdf" in sheet and f"{number} – Bản mô tả giải pháp (3).jpg" in sheet
    assert "Phiếu đăng ký" not in sheet  # the item kept from judges is not even listed

    links = re.findall(r'href="([^"]*/judging/\d+/files/\d+/)"', sheet)
    assert len(links) == 3
    for link in links:
        response = judge.get(link)
        assert response.status_code == 200, link
        disposition = urllib.parse.unquote(response["Content-Disposition"])
        assert f"{number} – Bản mô tả giải pháp" in disposition and not leaked(words(disposition))
        content = response.getvalue()
        assert not leaked(texts_in(content)), f"{disposition} still names {leaked(texts_in(content))}"
        if disposition.endswith(".docx"):  # still a document Word opens, with its text
            assert "máy lọc nước" in docx.Document(io.BytesIO(content)).paragraphs[0].text
        if disposition.endswith(".jpg"):  # still the photo, still upright
            with Image.open(io.BytesIO(content)) as photo:
                assert photo.size == (8, 8) and photo.getexif().get(0x0112) == 6
        if disposition.endswith(".pdf"):
            assert "Thuyet minh" in pypdfium2.PdfDocument(content)[0].get_textpage().get_text_range()

    # every original, and the registration form in any form, is a file that does not exist to a judge
    for entry_file in entry.files.select_related("attachment"):
        original = reverse("core:attachment_download", args=[cast.union.slug, entry_file.attachment.pk])
        assert judge.get(original).status_code == 404
    form = entry.files.get(item__name="Phiếu đăng ký")
    assert judge.get(url("judge_file", cast, seat.pk, form.pk)).status_code == 404
    # another judge, not seated on the entry, gets nothing through the seated judge's sheet
    other = client_for(judges[1].person.user)
    assert other.get(links[0]).status_code == 404

    # the entrant's own download is the file as uploaded, names and all (the check above would have seen them)
    mine = entry.files.get(attachment__original_name=uploads[1][1])
    original = client_for(cast.entrant).get(
        reverse("core:attachment_download", args=[cast.union.slug, mine.attachment.pk])
    )
    assert original.status_code == 200 and AUTHOR in urllib.parse.unquote(original["Content-Disposition"])
    assert set(leaked(texts_in(original.getvalue()))) >= {AUTHOR, TEACHER, SCHOOL}
    assert AUTHOR in leaked(texts_in(naming_pdf())) and AUTHOR in leaked(texts_in(naming_jpeg()))


def test_a_file_that_cannot_be_cleaned_is_not_served(cast, client_for, judges):
    entry = youth_entry(cast)
    _dossier(cast, client_for, entry)
    broken = f"%PDF-1.7\n/Author ({AUTHOR})\n%%EOF\n".encode()  # a PDF no reader can rebuild
    assert upload(client_for(cast.entrant), cast, entry, item(entry, "Bản mô tả giải pháp"), "x.pdf", broken,
                  "application/pdf").status_code == 302  # fmt: skip
    entry = services.submit_entry(actor=cast.entrant, entry=entry, now=f.aware(2022, 6, 1, 10, 0, 0))
    services.screen_entry(actor=cast.staff, entry=entry, decision="accept")
    editions.move_edition(actor=cast.staff, edition=entry.edition, move="start_judging")
    seat = f.seat(cast, f.fresh(entry), judges[0])
    judge = client_for(judges[0].person.user)
    bad = entry.files.get(attachment__original_name="x.pdf")
    response = judge.get(url("judge_file", cast, seat.pk, bad.pk))
    assert response.status_code == 302 and response["Location"] == url("sheet", cast, seat.pk)
    page = judge.get(response["Location"]).content.decode()
    assert "không xóa được" in page  # said in Vietnamese, and the file's bytes never sent


def test_the_registration_form_is_kept_from_judges_by_the_typical_setup(cast, client_for):
    staff = client_for(cast.staff)
    empty = Edition.objects.create(
        union=cast.union, kind="youth", title="Cuộc thi lần thứ 15", number=15, period="2026", code="TN15",
        registration_opens_at=f.aware(2026, 1, 1, 0, 0, 0), registration_closes_at=f.aware(2026, 6, 15, 23, 59, 59),
        submission_deadline=f.aware(2026, 6, 15, 23, 59, 59), age_cutoff=datetime.date(2026, 6, 15),
        min_age=6, max_age=18,
    )  # fmt: skip
    staff.post(url("edition_typical", cast, empty.pk))
    shown = dict(empty.dossier_items.values_list("name", "shown_to_judges"))
    assert shown == {
        "Phiếu đăng ký dự thi có xác nhận của nhà trường": False,
        "Bản thuyết minh sản phẩm": True,
        "Ảnh hoặc video sản phẩm": True,
    }
    page = staff.get(url("edition_setup", cast, empty.pk, "dossier_items")).content.decode()
    assert "Cho giám khảo xem" in page
    data = {"dossier_items-TOTAL_FORMS": "3", "dossier_items-INITIAL_FORMS": "3", "dossier_items-MIN_NUM_FORMS": "0",
            "dossier_items-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for n, row in enumerate(empty.dossier_items.all()):
        data |= {f"dossier_items-{n}-id": row.pk, f"dossier_items-{n}-order": row.order,
                 f"dossier_items-{n}-name": row.name, f"dossier_items-{n}-kind": row.kind}  # fmt: skip
        if row.required:
            data[f"dossier_items-{n}-required"] = "on"
        if row.name != "Bản thuyết minh sản phẩm":  # staff decide the photos are not shown either
            continue
        data[f"dossier_items-{n}-shown_to_judges"] = "on"
    assert staff.post(url("edition_setup", cast, empty.pk, "dossier_items"), data).status_code == 302
    assert list(empty.dossier_items.filter(shown_to_judges=True).values_list("name", flat=True)) == [
        "Bản thuyết minh sản phẩm"
    ]


# The screening warning ------------------------------------------------------------------------------------


def test_staff_are_warned_at_screening_and_return_the_entry_for_anonymisation(cast, client_for):
    entry = youth_entry(cast, summary="Sản phẩm của học sinh trường thcs Chu Van An, do cô Tran Thi Co Giao hướng dẫn.")
    entrant = client_for(cast.entrant)
    upload(entrant, cast, entry, item(entry, "Phiếu đăng ký"), f"Phiếu - {AUTHOR}.pdf", naming_pdf(), "application/pdf")
    described = naming_docx(body="Nhóm tác giả: Nguyễn Văn  Tác Giả (lớp 8A).")
    upload(entrant, cast, entry, item(entry, "Bản mô tả giải pháp"), "Nguyen_Van_Tac_Gia-thuyet-minh.docx", described,
           "application/octet-stream")  # fmt: skip
    entry = services.submit_entry(actor=cast.entrant, entry=entry, now=f.aware(2022, 6, 1, 10, 0, 0))
    staff = client_for(cast.staff)
    page = html.unescape(staff.get(url("entry", cast, entry.pk)).content.decode())
    warning = page[page.index('id="blind-check"') :]
    warning = warning[: warning.index("</section>")]
    assert f"{AUTHOR}</strong> (tác giả) — tên tệp trong «Bản mô tả giải pháp»" in warning
    assert f"{AUTHOR}</strong> (tác giả) — nội dung tệp trong «Bản mô tả giải pháp»" in warning
    assert f"{TEACHER}</strong> (người hướng dẫn) — phần tóm tắt" in warning
    assert f"{SCHOOL}</strong> (trường) — phần tóm tắt" in warning
    assert "Phiếu" not in warning  # the registration form names them by design: judges never see it
    note = re.search(r'<textarea[^>]*id="anon_note"[^>]*>(.*?)</textarea>', page, re.S).group(1).strip()
    assert "Tên tệp trong «Bản mô tả giải pháp»: Nguyễn Văn Tác Giả (tác giả)" in note
    assert "Phần tóm tắt:" in note and TEACHER in note and SCHOOL in note
    assert 'id="blind-check"' not in entrant.get(url("entry", cast, entry.pk)).content.decode()

    response = staff.post(url("entry_screen", cast, entry.pk), {"decision": "return", "note": note})
    assert response.status_code == 302
    entry = f.fresh(entry)
    assert entry.status == Entry.Status.RETURNED and entry.screening_note == note.replace("\r\n", "\n")
    assert "Tên tệp trong «Bản mô tả giải pháp»" in entrant.get(url("entry", cast, entry.pk)).content.decode()

    clean = youth_entry(cast, title="Bếp đun tiết kiệm củi")
    f.add_files(cast, clean)
    clean = services.submit_entry(actor=cast.entrant, entry=clean, now=f.aware(2022, 6, 1, 11, 0, 0))
    page = staff.get(url("entry", cast, clean.pk)).content.decode()
    assert "Không thấy tên người nào của bài dự thi" in page and "anon_note" not in page


def test_the_check_compares_without_diacritics_and_whole_words(cast):
    entry = youth_entry(cast, title="Máy lọc nước của NGUYEN VAN TAC GIA")
    found = blind.findings(entry)
    assert [(x.name, x.where) for x in found] == [(AUTHOR, "tên giải pháp")]
    entry.title, entry.summary = "Máy lọc nước Nguyễn Văn Tác Giải", "Không ghi tên."  # another word, not the name
    assert blind.findings(entry) == []


# The dossier closes when judging starts --------------------------------------------------------------------


def messages_of(client, response) -> str:
    return html.unescape(client.get(response["Location"]).content.decode())


def test_the_dossier_closes_when_judging_starts_and_reopens_only_with_a_reason(cast, client_for, judges):
    ed = f.open_edition(cast)
    accepted = f.accepted(cast, ed)
    draft = f.draft(cast, ed, "Bẫy côn trùng năng lượng mặt trời")  # the entrant's draft, never submitted
    editions.move_edition(actor=cast.staff, edition=ed, move="start_judging")
    f.seat(cast, f.fresh(accepted), judges[0])
    staff, entrant = client_for(cast.staff), client_for(cast.entrant)
    description = ed.dossier_items.get(name="Bản mô tả giải pháp")
    closed = "Hồ sơ đã khóa khi bắt đầu chấm"
    files = accepted.files.count()

    # the entrant, on their own draft: a clear refusal, nothing added or removed
    response = upload(entrant, cast, draft, description, "mo-ta.pdf", f.PDF, "application/pdf")
    assert response.status_code == 302 and closed in messages_of(entrant, response)
    assert draft.files.count() == 0
    # staff, on the accepted entry the judges read: refused too, for files and links alike
    response = upload(staff, cast, accepted, description, "ban-moi.pdf", f.PDF, "application/pdf")
    assert response.status_code == 302 and closed in messages_of(staff, response)
    video = ed.dossier_items.get(kind=DossierItem.Kind.LINK)
    staff.post(url("entry_file_add", cast, accepted.pk), {"item": video.pk, "url": "https://youtu.be/x"})
    one = accepted.files.first()
    response = staff.post(url("entry_file_remove", cast, one.pk))
    assert response.status_code == 302 and closed in messages_of(staff, response)
    assert accepted.files.count() == files
    page = staff.get(url("entry", cast, accepted.pk)).content.decode()
    assert url("entry_file_add", cast, accepted.pk) not in page and url("entry_file_remove", cast, one.pk) not in page
    assert url("entry_dossier", cast, accepted.pk) in page
    assert url("entry_dossier", cast, accepted.pk) not in entrant.get(url("entry", cast, accepted.pk)).content.decode()

    # staff reopen this one dossier, with a reason; an entrant cannot, nor can staff without a reason
    assert entrant.post(url("entry_dossier", cast, accepted.pk), {"reason": "tự mở"}).status_code == 403
    staff.post(url("entry_dossier", cast, accepted.pk), {"reason": "  "})
    assert f.fresh(accepted).dossier_reopened_at is None
    reason = "Tệp mô tả bị hỏng khi tải lên; thay bằng bản đúng do tác giả gửi lại"
    assert staff.post(url("entry_dossier", cast, accepted.pk), {"reason": reason}).status_code == 302
    response = upload(staff, cast, accepted, description, "ban-dung.pdf", f.PDF, "application/pdf")
    assert response.status_code == 302 and accepted.files.count() == files + 1
    assert ActivityLog.objects.filter(verb="contests.entry.dossier_reopened", target_id=accepted.pk).count() == 1
    for page in (staff.get(url("entry", cast, accepted.pk)), staff.get(url("results", cast, ed.pk))):
        assert reason in html.unescape(page.content.decode())
    assert reason in html.unescape(entrant.get(url("entry", cast, accepted.pk)).content.decode())
    # the other entries' dossiers stay closed
    response = upload(staff, cast, draft, description, "mo-ta.pdf", f.PDF, "application/pdf")
    assert closed in messages_of(staff, response) and draft.files.count() == 0

    # closed again by staff: refused again
    assert staff.post(url("entry_dossier", cast, accepted.pk), {"close": "1"}).status_code == 302
    response = upload(staff, cast, accepted, description, "them.pdf", f.PDF, "application/pdf")
    assert closed in messages_of(staff, response) and accepted.files.count() == files + 1

    # once results are published the dossiers are records: nothing reopens them, nothing goes in
    staff.post(url("entry_dossier", cast, accepted.pk), {"reason": reason})
    Edition.objects.filter(pk=ed.pk).update(status=Edition.Status.PUBLISHED)  # reviewed, approved, published, in short
    response = upload(staff, cast, accepted, description, "sau-cong-bo.pdf", f.PDF, "application/pdf")
    assert "đã được phê duyệt" in messages_of(staff, response) and accepted.files.count() == files + 1
    Entry.objects.filter(pk=accepted.pk).update(dossier_reopened_at=None)
    response = staff.post(url("entry_dossier", cast, accepted.pk), {"reason": "Bổ sung sau công bố"})
    assert f.fresh(accepted).dossier_reopened_at is None
    assert "Chỉ mở lại được hồ sơ khi" in messages_of(staff, response)


def test_returning_an_entry_during_judging_reopens_its_dossier_until_it_is_submitted_again(cast, client_for):
    ed = f.open_edition(cast)
    entry = f.submitted(cast, ed)
    editions.move_edition(actor=cast.staff, edition=ed, move="start_judging")
    services.screen_entry(actor=cast.staff, entry=entry, decision="return", note="Xóa tên tác giả khỏi tệp mô tả",
                          until=f.aware(2022, 7, 1, 17, 0, 0))  # fmt: skip
    entrant = client_for(cast.entrant)
    description = ed.dossier_items.get(name="Bản mô tả giải pháp")
    old = entry.files.get(item=description)
    assert entrant.post(url("entry_file_remove", cast, old.pk)).status_code == 302
    upload(entrant, cast, entry, description, "mo-ta-an-danh.pdf", f.PDF, "application/pdf")
    assert list(entry.files.filter(item=description).values_list("attachment__original_name", flat=True)) == [
        "mo-ta-an-danh.pdf"
    ]
    assert ActivityLog.objects.filter(verb="contests.entry.dossier_reopened", target_id=entry.pk).exists()
    services.submit_entry(actor=cast.entrant, entry=f.fresh(entry), now=f.aware(2022, 6, 30, 9, 0, 0))
    with pytest.raises(ValidationError):  # submitted: closed again, for everyone
        services.add_entry_file(actor=cast.staff, entry=entry, item=description, url="https://x.test")
