"""Checking a PDF that claims to be an issued document: is it signed, unchanged since, by a certificate we trust?

`verify_pdf` reads any bytes and never raises: it answers with a Verdict whose reason says, in one sentence, exactly
what is wrong (or that the document is intact). `same_content` compares the text of two PDFs page by page, for a
document whose signature cannot vouch for it (printed and scanned back, re-saved ...).
"""

import hashlib
import io
import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pdfplumber
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from lienhiep.paperwork.signing import outside_event_loop, trust_roots

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
OUT_OF_VALIDITY = {
    AdESFailure.NOT_YET_VALID,
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}
# Either usage marks a signing certificate: organisation certificates carry one or both.
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


class Status(StrEnum):
    GENUINE = "genuine"
    NOT_SIGNED = "not_signed"
    MODIFIED = "modified"
    UNTRUSTED = "untrusted"
    EXPIRED = "expired"
    BROKEN = "broken"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str  # one sentence saying exactly what is wrong, or that the document is intact
    signer: str = ""  # the signing certificate's subject CN
    organisation: str = ""  # its O
    signed_at: datetime | None = None  # the timestamp if any, else the signing time the signer claims
    signed_revision_sha256: str = ""  # sha256 of the revision the (last trusted) signature covers
    signatures: int = 0

    @property
    def is_genuine(self) -> bool:
        return self.status == Status.GENUINE

    @property
    def is_not_signed(self) -> bool:
        return self.status == Status.NOT_SIGNED


def verify_pdf(data: bytes, *, trust: list | None = None) -> Verdict:
    """The verdict on a file: UNREADABLE (not a PDF), NOT_SIGNED, BROKEN (bytes changed inside a signature's range),
    MODIFIED (an update after a signature changes the content), EXPIRED, UNTRUSTED (the certificate does not chain
    to `trust`, by default signing.trust_roots()), else GENUINE. With several signatures each must be unbroken and
    unmodified; the verdict is the last signature's."""
    try:
        return outside_event_loop(lambda: _verify(bytes(data), trust))
    except Exception:  # a parser failing on some odd file must not fail the page that checks it
        logger.warning("Verifying a PDF failed", exc_info=True)
        return Verdict(Status.UNREADABLE, _("The PDF file is damaged or incomplete and cannot be read."))


def _verify(data: bytes, trust: list | None) -> Verdict:
    if not data:
        return Verdict(Status.UNREADABLE, _("The file is empty."))
    if b"%PDF-" not in data[:1024]:
        return Verdict(Status.UNREADABLE, _("The file is not a PDF document."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root["/Pages"]  # noqa: B018  (a file whose page tree cannot be reached is no document)
        signatures = reader.embedded_regular_signatures
    except Exception:
        return Verdict(Status.UNREADABLE, _("The PDF file is damaged or incomplete and cannot be read."))
    if not signatures:
        return Verdict(Status.NOT_SIGNED, _("The file carries no digital signature."))
    roots = trust_roots() if trust is None else trust
    verdicts = [_verify_signature(data, signature, roots) for signature in signatures]
    tampered = [verdict for verdict in verdicts if verdict.status in (Status.BROKEN, Status.MODIFIED)]
    verdict = tampered[0] if tampered else verdicts[-1]
    trusted = [v for v in verdicts if v.status == Status.GENUINE and v.signed_revision_sha256]
    revision = trusted[-1].signed_revision_sha256 if trusted else verdict.signed_revision_sha256
    return Verdict(
        status=verdict.status,
        reason=verdict.reason,
        signer=verdict.signer,
        organisation=verdict.organisation,
        signed_at=verdict.signed_at,
        signed_revision_sha256=revision,
        signatures=len(signatures),
    )


def _verify_signature(data: bytes, signature, roots: list) -> Verdict:
    signed_revision = _signed_revision_sha256(data, signature)
    try:
        status = _validate(signature, roots)
        timestamp = status.timestamp_validity
        if status.trust_problem_indic in OUT_OF_VALIDITY and timestamp is not None and timestamp.trusted:
            # a trusted timestamp proves the document existed then: the certificate is judged at that time
            status = _validate(signature, roots, moment=timestamp.timestamp)
    except Exception:
        logger.info("A PDF signature could not be validated", exc_info=True)
        return Verdict(Status.BROKEN, _("The digital signature in the file is damaged and cannot be checked."))
    status_, reason = _judge(status)
    subject = status.signing_cert.subject.native
    timestamp = status.timestamp_validity
    return Verdict(
        status=status_,
        reason=reason,
        signer=subject.get("common_name", ""),
        organisation=subject.get("organization_name", ""),
        signed_at=timestamp.timestamp if timestamp is not None else status.signer_reported_dt,
        signed_revision_sha256=signed_revision,
    )


def _validate(signature, roots: list, moment: datetime | None = None) -> PdfSignatureStatus:
    context = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
    return validate_pdf_signature(signature, context, key_usage_settings=KEY_USAGE)


def _judge(status: PdfSignatureStatus) -> tuple[Status, str]:
    if not (status.intact and status.valid):
        return Status.BROKEN, _(
            "The file has been changed inside its signed part: its content no longer matches the digital signature."
        )
    if status.coverage is None or status.coverage == SignatureCoverageLevel.UNCLEAR:
        return Status.BROKEN, _("The digital signature does not cover the document as a whole.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
        status.modification_level not in ALLOWED_UPDATES or status.docmdp_ok is False
    ):
        return Status.MODIFIED, _("The document was changed after it was signed (content added or altered).")
    if status.trusted:
        return Status.GENUINE, _("The digital signature is valid and the document has not changed since it was signed.")
    if status.revoked:
        return Status.UNTRUSTED, _("The signing certificate has been revoked.")
    if status.trust_problem_indic in OUT_OF_VALIDITY:
        return Status.EXPIRED, _(
            "The signing certificate has expired or is not yet valid, and no timestamp shows that the document was "
            "signed while it was valid."
        )
    return Status.UNTRUSTED, _("The signing certificate was not issued by a trusted certification authority.")


def _signed_revision_sha256(data: bytes, signature) -> str:
    """The sha256 of the file up to the end of the signature's byte range (the revision it signs)."""
    try:
        start, first, second, length = (int(value) for value in signature.byte_range)
        end = second + length
        if start != 0 or end > len(data):
            return ""
        return hashlib.sha256(data[:end]).hexdigest()
    except (TypeError, ValueError):
        return ""


def same_content(issued: bytes, other: bytes) -> str:
    """ "" when both PDFs have the same pages with the same text (whitespace aside), else the first difference."""
    try:
        issued_pages, other_pages = _page_texts(issued), _page_texts(other)
    except Exception:
        return _("The file cannot be read as a PDF document.")
    if len(issued_pages) != len(other_pages):
        return _("The issued document has %(issued)d pages; this file has %(other)d.") % {
            "issued": len(issued_pages),
            "other": len(other_pages),
        }
    for number, (mine, theirs) in enumerate(zip(issued_pages, other_pages, strict=True), start=1):
        if mine != theirs:
            return _("The text of page %(page)d differs from the issued document.") % {"page": number}
    return ""


def _page_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [" ".join(unicodedata.normalize("NFC", page.extract_text() or "").split()) for page in document.pages]
