"""Issuing documents into the register, and serving what was issued.

Each app declares its document types when it starts (`declare(DocumentType(...))` in `AppConfig.ready`): how to
build the document from its source (a case, a meeting, minutes, an edition ...) for a given `Issue`. `issue_document`
takes the next number of the Union's register (or checks a number typed from the paper register), renders the DOCX
once inside the issuing transaction — so the document shows the state it was issued in — stores it with its sha256,
and queues the worker to convert it to PDF once. Downloads serve the stored bytes, checked against the register.
"""

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.core.models import Person, Union, User
from lienhiep.core.services import log_activity
from lienhiep.core.text import fold
from lienhiep.paperwork.codes import display_code, new_code
from lienhiep.paperwork.decree30 import OfficialDocument, render_docx
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.pdf import ConversionError, docx_to_pdf
from lienhiep.paperwork.signers import COLLECTIVE, Issue, Signer, number_symbol, signer_for
from lienhiep.paperwork.signing import StampPlace, organisation_certificate, sign_pdf
from lienhiep.paperwork.verification import Status, same_content, verify_pdf

Kind = IssuedDocument.Kind


@dataclass(frozen=True)
class DocumentType:
    kind: str
    type_code: str  # QĐ, BC, BB, TB ...
    build: Callable[[Any, Issue | None], OfficialDocument]
    file_stem: Callable[[Any], str]  # e.g. "quyet-dinh-hoi-dong-tvpb-2026-001"
    collective: str | None = COLLECTIVE  # the body the document is signed on behalf of (TM. ...)


DOCUMENT_TYPES: dict[str, DocumentType] = {}


def declare(document_type: DocumentType) -> None:
    DOCUMENT_TYPES[document_type.kind] = document_type


def verification_line(union: Union, code: str) -> str:
    """What an issued document prints under its signature: its code, and where anyone checks it."""
    address = f"{settings.LIENHIEP_SITE_URL}{reverse('portal:verify', args=[union.slug])}"
    return f"Mã xác thực: {display_code(code)} – kiểm tra văn bản tại {address}"


def file_stem(prefix: str, text: str) -> str:
    """'bao-cao' + 'TVPB-2026/003' → 'bao-cao-tvpb-2026-003': a download name without diacritics or slashes."""
    words = fold(text).replace("/", "-").split()
    return f"{prefix}-{'-'.join(words)[:80]}" if words else prefix


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_document(source: models.Model, kind: str) -> IssuedDocument | None:
    """The document of this kind issued for the source and not replaced, if any."""
    return IssuedDocument.objects.of(source).current().filter(kind=kind).select_related("replaces").first()


def signer_of(person: Person | None, *, name: str = "", collective: str | None = COLLECTIVE) -> Signer:
    """The signature block of a person from the registry (their position gives TM./KT./Q./TL.)."""
    if person is not None:
        return signer_for(person.name, person.position, collective=collective)
    return signer_for(name, "", collective=collective)


_TYPED_NUMBER = re.compile(r"^\s*0*(\d{1,6})\s*(?:/.*)?$")


def _number(union: Union, year: int, typed: str) -> int:
    """The next free number of the year, or the number typed (e.g. «45» or «45/QĐ-LHH») if it is free."""
    used = IssuedDocument.objects.filter(union=union, year=year)
    if not typed.strip():
        return (used.aggregate(m=Max("number"))["m"] or 0) + 1
    match = _TYPED_NUMBER.match(typed)
    if match is None or int(match.group(1)) == 0:
        raise ValidationError(_("Write the number as a whole number, e.g. 45 or 45/QĐ-LHH."))
    number = int(match.group(1))
    taken = used.filter(number=number).first()
    if taken is not None:
        raise ValidationError(
            _("Number %(n)s of %(year)s is already in the register (%(document)s); leave it empty to take the next.")
            % {"n": number, "year": year, "document": f"{taken.number_symbol} – {taken.subject}"}
        )
    return number


def issue_document(
    source: models.Model,
    *,
    kind: str,
    union: Union,
    actor: User | None,
    day: datetime.date,
    signer: Signer,
    signer_person: Person | None = None,
    typed_number: str = "",
    replaces: IssuedDocument | None = None,
) -> IssuedDocument:
    """Issue the source's document of this kind. Call inside the service's transaction, after its checks. A document
    of the same kind already issued for the source (or `replaces`, e.g. the notice of the minutes' previous version)
    is replaced by this one; both stay in the register."""
    document_type = DOCUMENT_TYPES[kind]
    Union.objects.select_for_update().filter(pk=union.pk).first()  # one number at a time per Union
    previous = replaces or current_document(source, kind)
    number = _number(union, day.year, typed_number)
    issue = Issue(number=number_symbol(number, document_type.type_code, union.document_symbol), date=day, signer=signer)
    document = document_type.build(source, issue)
    code = new_code()
    document.verification = verification_line(union, code)
    data = render_docx(document)
    row = IssuedDocument(
        union=union,
        kind=kind,
        year=day.year,
        number=number,
        type_code=document_type.type_code,
        number_symbol=issue.number,
        doc_type=document.doc_type[:100],
        subject=document.subject[:500],
        issued_on=day,
        signer=signer_person,
        signer_name=signer.name[:200],
        signer_title=signer.title[:200],
        signer_authority=" / ".join(signer.authority)[:200],
        source=source,
        file_stem=document_type.file_stem(source)[:150],
        docx_sha256=sha256(data),
        replaces=previous,
        issued_by=actor,
        code=code,
    )
    row.docx.save(f"{row.file_stem}.docx", ContentFile(data), save=False)
    row.save()
    transaction.on_commit(lambda: make_pdf.enqueue(row.pk))
    return row


class SigningError(Exception):
    """The Union's certificate is configured but could not sign (a wrong password, a broken file)."""


@dataclass(frozen=True)
class SignedPdf:
    pdf: bytes
    signed_by: str = ""  # the organisation named in the certificate; empty when the Union has none configured
    signed_at: datetime.datetime | None = None

    def fields(self) -> dict:
        signature = IssuedDocument.Signature.ORGANISATION if self.signed_by else ""
        return {"signature": signature, "signed_by": self.signed_by[:300], "signed_at": self.signed_at}


def sign_as_organisation(
    pdf: bytes,
    union: Union,
    *,
    signer_name: str,
    signer_title: str = "",
    stamp: StampPlace | Callable[[], StampPlace] | None = None,
) -> SignedPdf:
    """The PDF signed with the Union's organisation certificate (PAdES, a visible signature in the signature block);
    unsigned where the Union has no certificate configured. `stamp`: where the stamp goes, or a function that says
    (called only when the PDF is signed), when the caller knows better than reading the PDF (signing.stamp_box)."""
    certificate = organisation_certificate(union)
    if certificate is None:
        return SignedPdf(pdf)
    try:
        place = stamp() if callable(stamp) else stamp
        signed = sign_pdf(pdf, certificate, signer_name=signer_name, signer_title=signer_title, stamp=place)
    except Exception as error:  # pyHanko and the key's own errors: the register shows the reason, staff retry
        raise SigningError(f"signing with the Union's certificate failed: {error}") from error
    return SignedPdf(signed, certificate.organisation, timezone.now())


@task()
def make_pdf(document_id: int) -> str:
    """The worker's half: convert the issued DOCX to PDF once and store it with its sha256."""
    row = IssuedDocument.objects.get(pk=document_id)
    if row.pdf_state == IssuedDocument.PdfState.READY:
        return row.pdf_sha256
    if not row.docx:  # a number taken before documents were stored: its DOCX is rendered now, once
        _render_docx_of_older_number(row)
    try:
        pdf = docx_to_pdf(stored_bytes(row, "docx"))
        signature = sign_as_organisation(pdf, row.union, signer_name=row.signer_name, signer_title=row.signer_title)
    except (ConversionError, ValidationError, SigningError) as error:
        IssuedDocument.objects.filter(pk=row.pk).update(
            pdf_state=IssuedDocument.PdfState.FAILED, pdf_error=str(error)[:500]
        )
        return ""
    pdf = signature.pdf
    name = row.pdf.storage.save(row.pdf.field.generate_filename(row, f"{row.file_stem}.pdf"), ContentFile(pdf))
    stored = (
        IssuedDocument.objects.filter(pk=row.pk)
        .exclude(pdf_state=IssuedDocument.PdfState.READY)  # a second worker never replaces a PDF already stored
        .update(
            pdf=name,
            pdf_sha256=sha256(pdf),
            pdf_state=IssuedDocument.PdfState.READY,
            pdf_error="",
            **signature.fields(),
        )
    )
    if not stored:
        row.pdf.storage.delete(name)
    return IssuedDocument.objects.values_list("pdf_sha256", flat=True).get(pk=row.pk)


def _render_docx_of_older_number(row: IssuedDocument) -> None:
    authority = tuple(row.signer_authority.split(" / ")) if row.signer_authority else ()
    issue = Issue(row.number_symbol, row.issued_on, Signer(row.signer_name, row.signer_title, authority))
    data = render_docx(DOCUMENT_TYPES[row.kind].build(row.source, issue))
    name = row.docx.storage.save(row.docx.field.generate_filename(row, f"{row.file_stem}.docx"), ContentFile(data))
    if not IssuedDocument.objects.filter(pk=row.pk, docx="").update(docx=name, docx_sha256=sha256(data)):
        row.docx.storage.delete(name)  # another worker stored it first: theirs is the document
    row.refresh_from_db()


def queue_unfinished() -> int:
    """Queue the conversion of every document whose PDF is still to be made (the worker runs this when it starts:
    a task lost with a dead worker, or numbers taken before documents were stored)."""
    pending = IssuedDocument.objects.filter(pdf_state=IssuedDocument.PdfState.PENDING).values_list("pk", flat=True)
    pending = list(pending)
    for pk in pending:
        make_pdf.enqueue(pk)
    return len(pending)


def retry_pdf(row: IssuedDocument) -> None:
    """Queue the conversion again after it failed (LibreOffice missing or stuck)."""
    if row.pdf_state == IssuedDocument.PdfState.READY:
        return
    IssuedDocument.objects.filter(pk=row.pk).update(pdf_state=IssuedDocument.PdfState.PENDING, pdf_error="")
    transaction.on_commit(lambda: make_pdf.enqueue(row.pk))


def stored_bytes(row: IssuedDocument, extension: str) -> bytes:
    """The stored file, checked against the register's sha256: a file changed on disk is refused, not served."""
    field, expected = (row.docx, row.docx_sha256) if extension == "docx" else (row.pdf, row.pdf_sha256)
    with field.open("rb") as handle:
        data = handle.read()
    if sha256(data) != expected:
        raise ValidationError(
            _("The stored file of %(document)s does not match the register; tell the administrator.")
            % {"document": row.number_symbol}
        )
    return data


@transaction.atomic
def accept_signed_pdf(row: IssuedDocument, data: bytes, *, actor: User) -> IssuedDocument:
    """A PDF the signer signed outside the platform (a personal USB token in the government's signing tool) becomes
    the issued PDF, once checked: the signature intact and trusted, its certificate the recorded signer's, and the
    signed content the issued document's (same pages and text). The PDF it replaces is kept."""
    row = IssuedDocument.objects.select_for_update().get(pk=row.pk)
    if not row.is_pdf_ready:
        raise ValidationError(_("The PDF of %s is not made yet: sign it once it is.") % row.number_symbol)
    if row.signature == IssuedDocument.Signature.EXTERNAL:
        raise ValidationError(_("%s already carries its signer's signature.") % row.number_symbol)
    verdict = verify_pdf(data)
    if verdict.status != Status.GENUINE:
        raise ValidationError(verdict.reason)
    if not row.signer_name or fold(row.signer_name) not in fold(verdict.signer):
        raise ValidationError(
            _("The file is signed by %(who)s, but the register records %(signer)s as the signer of %(n)s.")
            % {"who": verdict.signer or "?", "signer": row.signer_name or "?", "n": row.number_symbol}
        )
    if difference := same_content(stored_bytes(row, "pdf"), data):
        raise ValidationError(_("The signed file is not the issued document: %s") % difference)
    name = row.pdf.storage.save(row.pdf.field.generate_filename(row, f"{row.file_stem}.pdf"), ContentFile(data))
    row.unsigned_pdf, row.pdf, row.pdf_sha256 = row.pdf.name, name, sha256(data)
    row.signature = IssuedDocument.Signature.EXTERNAL
    row.signed_by, row.signed_at = verdict.signer[:300], verdict.signed_at
    row.save(update_fields=["unsigned_pdf", "pdf", "pdf_sha256", "signature", "signed_by", "signed_at"])
    log_activity(
        union=row.union,
        actor=actor,
        verb="paperwork.document.signed",
        message=_("%(n)s: the PDF signed by %(who)s is now the issued PDF")
        % {"n": row.number_symbol, "who": row.signed_by},
        target=row,
    )
    return row
