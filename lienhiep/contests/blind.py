"""Blind judging: what a judge reads of a dossier, under which names, with which metadata removed; and the check
that warns staff, at screening, where a name judges would read (the authors', the guiding teachers', the school's,
a workplace's) still stands in the entry.

The judge's copy is made at download time, not stored: dossiers are closed while judges read them, a judge opens a
handful of files, the rules below apply to every file at once when they improve, and no second copy of private
files needs keeping or deleting. The entrant's and staff's own downloads stay the file as uploaded."""

import io
import logging
import re
import struct
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from lienhiep.contests.models import Contributor, Entry, EntryFile
from lienhiep.core.text import fold
from lienhiep.core.uploads import safe_display_name

logger = logging.getLogger("lienhiep.files")


# What judges see -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlindFile:
    """A dossier file or link as a judge sees it: `name` says only the entry number and the dossier item."""

    entry_file: EntryFile
    name: str

    @property
    def is_link(self) -> bool:
        return not self.entry_file.attachment_id


def neutral_name(entry: Entry, item_name: str, extension: str, n: int = 1) -> str:
    """«ST9-005 – Bản mô tả giải pháp.pdf» (« (2)» for a second file of the same item)."""
    number = entry.number or _("Entry")
    suffix = f" ({n})" if n > 1 else ""
    label = item_name.replace("/", "-").replace("\\", "-")  # «Ảnh/bản vẽ» is a name, not a folder
    return safe_display_name(f"{number} – {label}{suffix}{extension}")


def judge_files(entry: Entry) -> list[BlindFile]:
    """The entry's files and links of the items its edition shows to judges, with neutral names."""
    made, seen = [], {}
    for entry_file in entry.files.filter(item__shown_to_judges=True).select_related("item", "attachment"):
        seen[entry_file.item_id] = seen.get(entry_file.item_id, 0) + 1
        extension = entry_file.attachment.extension if entry_file.attachment_id else ""
        name = neutral_name(entry, entry_file.item.name, extension, seen[entry_file.item_id])
        made.append(BlindFile(entry_file, name))
    return made


def blind_file(entry_file: EntryFile) -> BlindFile:
    return next(f for f in judge_files(entry_file.entry) if f.entry_file.pk == entry_file.pk)


# The judge's copy: document metadata removed ------------------------------------------------------------------


class CannotClean(Exception):
    """The file could not be read well enough to remove its metadata: it is not served to judges."""


def clean_copy(data: bytes, extension: str) -> bytes:
    """The file without the metadata that carries names: OOXML document properties, comment and revision authors;
    PDF /Info, XMP and annotation authors; image EXIF, XMP and text chunks."""
    try:
        if extension == ".pdf":
            return _clean_pdf(data)
        if extension in (".docx", ".xlsx", ".pptx"):
            return _clean_ooxml(data)
        if extension in (".jpg", ".jpeg"):
            return _clean_jpeg(data)
        if extension == ".png":
            return _clean_png(data)
    except CannotClean:
        raise
    except Exception as error:  # a damaged or unusual file: never serve it half-cleaned
        logger.warning("A dossier file could not be cleaned for judges: %r", error)
        raise CannotClean from error
    raise CannotClean(extension)


def _clean_pdf(data: bytes) -> bytes:
    """Rewritten whole (an incremental update would keep the old bytes) from the document catalog down, so objects
    nothing refers to any more (an older /Info, an XMP packet) are left behind."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if reader.encrypted:
        raise CannotClean("encrypted PDF")
    writer = copy_into_new_writer(reader, writer_kwargs={"info": None})  # the old /Info is not carried over
    root = (writer.root_ref.generation, writer.root_ref.idnum)
    reached = {root}

    def strip(obj) -> None:
        if isinstance(obj, generic.DictionaryObject):
            for key in ("/Metadata", "/PieceInfo"):  # XMP packets (catalog, pages, images), application data
                obj.pop(key, None)
            annotation = obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj)
            if annotation and obj.get("/Subtype") != "/Widget":  # a form field's /T is its name, not an author
                obj.pop("/T", None)  # a comment's (markup annotation's) author
        if isinstance(obj, generic.IndirectObject):
            key = (obj.generation, obj.idnum)
            if key not in reached and key in writer.objects:
                reached.add(key)
                stack.append(writer.objects[key])
        elif isinstance(obj, generic.DictionaryObject):
            stack.extend(obj.values())
        elif isinstance(obj, generic.ArrayObject):
            stack.extend(obj)

    stack = [writer.root]
    while stack:
        strip(stack.pop())
    for key in list(writer.objects):
        if key not in reached:
            del writer.objects[key]
    out = io.BytesIO()
    writer.write(out)  # writes a new /Info holding only the producer (pyHanko) and the time of writing
    return out.getvalue()


_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxml'
    b'formats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>'
)
_CUSTOM = _APP.replace(b"extended-properties", b"custom-properties")
_PROPERTY_PARTS = {"docProps/core.xml": _CORE, "docProps/app.xml": _APP, "docProps/custom.xml": _CUSTOM}
# Attributes naming a person: comment and revision authors (Word, PowerPoint), people and persons (modern comments).
_NAME_ATTRIBUTES = {"author", "initials", "userId", "providerId", "displayName"}
_NAME_MARKERS = (b"author", b"initials", b"userId", b"displayName", b"cmAuthor", b"attachedTemplate")
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _clean_part(data: bytes) -> bytes:
    root = etree.fromstring(data, _XML)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        attached = local == "Relationship" and element.get("Type", "").endswith("/attachedTemplate")
        if local == "attachedTemplate" or attached:  # a template's path names the user's folder
            element.getparent().remove(element)
            continue
        for attribute in list(element.attrib):
            name = etree.QName(attribute).localname
            if name in _NAME_ATTRIBUTES or (name == "name" and local in ("cmAuthor", "author", "person")):
                element.attrib[attribute] = ""
        if local == "author" and element.text:  # Excel's comment authors: <authors><author>Name</author>
            element.text = ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _clean_ooxml(data: bytes) -> bytes:
    """Document properties emptied (creator, last modified by, company, manager, title, template...), every
    author, initials and user id of comments, tracked changes and people lists blanked; the archive comment gone."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename in _PROPERTY_PARTS:
                part = _PROPERTY_PARTS[info.filename]
            elif info.filename.lower().endswith((".jpg", ".jpeg")):  # pictures in the document keep their EXIF
                part = _clean_jpeg(part)
            elif info.filename.lower().endswith(".png"):
                part = _clean_png(part)
            elif info.filename.endswith((".xml", ".rels")) and any(m in part for m in _NAME_MARKERS):
                part = _clean_part(part)
            copy = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            copy.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(copy, part)
    return out.getvalue()


def _clean_jpeg(data: bytes) -> bytes:
    """EXIF (camera owner, artist, GPS), XMP, IPTC and comments dropped; the orientation kept (a new, minimal EXIF)."""
    if not data.startswith(b"\xff\xd8"):
        raise CannotClean("not a JPEG")
    orientation = None
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            orientation = image.getexif().get(0x0112)
    except Exception:  # no readable EXIF: nothing to keep
        orientation = None
    out, pos = bytearray(b"\xff\xd8"), 2
    if orientation:
        from PIL import Image

        exif = Image.Exif()
        exif[0x0112] = orientation
        payload = exif.tobytes()
        out += b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    while pos < len(data):
        if data[pos] != 0xFF:
            raise CannotClean("damaged JPEG")
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the image data follows to the end
            out += data[pos:]
            return bytes(out)
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            out += data[pos : pos + 2]
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        segment = data[pos : pos + 2 + length]
        if marker not in (0xE1, 0xED, 0xFE):  # APP1 (EXIF, XMP), APP13 (IPTC), COM
            out += segment
        pos += 2 + length
    raise CannotClean("damaged JPEG")


_PNG_TEXT = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def _clean_png(data: bytes) -> bytes:
    """Text chunks (Author, Comment...), EXIF and the modification time dropped."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise CannotClean("not a PNG")
    out, pos = bytearray(signature), len(signature)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos : pos + 12 + length]
        if kind not in _PNG_TEXT:
            out += chunk
        pos += 12 + length
        if kind == b"IEND":
            return bytes(out)
    raise CannotClean("damaged PNG")


# Names judges would read: the warning at screening -------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A name found where judges would read it: `name` as registered, `whose` (author, school...), `where`."""

    name: str
    whose: str
    where: str


_NOT_WORD = re.compile(r"[\W_]+")
_TEXT_LIMIT = 200_000  # characters of a file's text searched (the first pages say who wrote it, if anyone does)
_PART_LIMIT = 10 * 1024 * 1024  # an office file's parts read for text, unpacked (a page view, not a download)
_PDF_PAGES = 3


def _words(text: str) -> str:
    return f" {_NOT_WORD.sub(' ', fold(text)).strip()} "


def _variants(name: str) -> set[str]:
    """The folded forms a name is looked for in: whole; before a comma (a school's district); without a leading
    «Trường» (pupils write «THCS Đăk Tô»). Forms of one word are too common to flag."""
    forms = {name, name.split(",")[0]}
    for form in list(forms):
        words = form.split()
        if words and fold(words[0]) == "truong":
            forms.add(" ".join(words[1:]))
    folded = {_words(f).strip() for f in forms}
    return {f for f in folded if len(f.split()) >= 2}


def _names(entry: Entry) -> list[tuple[str, str, set[str]]]:
    """(name, whose, folded variants) of the entry's authors, guiding teachers, school and their workplaces."""
    named: list[tuple[str, str]] = [(entry.school.name, _("school"))] if entry.school_id else []
    contributors = list(entry.contributors.select_related("person__agency"))
    for c in contributors:
        named.append((c.person.name, _("author") if c.role == Contributor.Role.AUTHOR else _("guiding teacher")))
    named += [(c.person.agency.name, _("school or workplace")) for c in contributors if c.person.agency_id]
    made, seen = [], set()
    for name, whose in named:
        if name in seen:
            continue
        seen.add(name)
        made.append((name, whose, _variants(name)))
    return made


def _ooxml_text(data: bytes) -> str:
    """The paragraphs of a DOCX (body, headers, footers, notes, comments), an XLSX's strings, a PPTX's slides."""
    chunks: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name = info.filename
            if not re.match(r"(word|xl|ppt/slides)/[^/]*\.xml$", name) or name.endswith(("styles.xml", "theme1.xml")):
                continue
            if info.file_size > _PART_LIMIT:
                continue
            root = etree.fromstring(archive.read(info), _XML)
            for element in root.iter():
                if isinstance(element.tag, str) and etree.QName(element).localname in ("p", "si", "is"):
                    chunks.append("".join(t.text or "" for t in element.iter() if etree.QName(t).localname == "t"))
            if sum(map(len, chunks)) > _TEXT_LIMIT:
                break
    return "\n".join(chunks)[:_TEXT_LIMIT]


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for index in range(min(len(document), _PDF_PAGES)):
            page = document[index]
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
        return "\n".join(pages)[:_TEXT_LIMIT]
    finally:
        document.close()


def file_text(entry_file: EntryFile) -> str:
    """The text judges would read first in a file (empty when it has none, or cannot be read)."""
    attachment = entry_file.attachment
    if attachment is None or attachment.extension not in (".pdf", ".docx", ".xlsx", ".pptx"):
        return ""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        return _pdf_text(data) if attachment.extension == ".pdf" else _ooxml_text(data)
    except Exception as error:  # a file that cannot be read has no text to warn about
        logger.info("No text read from dossier file %s: %r", entry_file.pk, error)
        return ""


def findings(entry: Entry, *, read_files: bool = True) -> list[Finding]:
    """Where an author's, guiding teacher's, school's or workplace's name stands in what judges read: the title, the
    summary, the names of the files (and links) of the items shown to them, and the first text of those files.
    Compared without diacritics, whole words."""
    names = _names(entry)
    if not names:
        return []
    places: list[tuple[str, str, bool]] = [
        (_("the title"), entry.title, False),
        (_("the summary"), entry.summary, False),
    ]
    for entry_file in entry.files.filter(item__shown_to_judges=True).select_related("item", "attachment"):
        label = entry_file.item.name
        if entry_file.attachment_id:
            places.append((_("the file name in «%s»") % label, entry_file.attachment.original_name, True))
            if read_files:
                places.append((_("the text of the file in «%s»") % label, file_text(entry_file), False))
        else:
            places.append((_("the link in «%s»") % label, entry_file.url, True))
    found = []
    for where, text, squashed in places:
        haystack = _words(text)
        tight = haystack.replace(" ", "") if squashed else ""
        for name, whose, variants in names:
            if any(f" {v} " in haystack or (tight and v.replace(" ", "") in tight) for v in variants):
                found.append(Finding(name=name, whose=whose, where=where))
    return found


def anonymisation_note(found: list[Finding]) -> str:
    """The note offered to staff to return the entry for anonymisation, one line per place."""
    lines = [_("Judging is blind: please remove these names from what the judges read, then submit again.")]
    by_place: dict[str, list[str]] = {}
    for f in found:
        by_place.setdefault(f.where, []).append(f"{f.name} ({f.whose})")
    for where, names in by_place.items():
        lines.append(_("- %(where)s: %(names)s") % {"where": where[:1].upper() + where[1:], "names": ", ".join(names)})
    return "\n".join(lines)
