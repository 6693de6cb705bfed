"""The Union's register of issued documents (sổ văn bản đi).

An issued document is a record: its number (one sequence per Union and year), date, signer (the person and the
authority lines as printed), its DOCX rendered once when it is issued and its PDF converted once by the worker,
both stored with their sha256. Nothing rewrites a row's files; a correction is a new row that replaces the old one
(both kept, the old one pointing to its replacement).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from lienhiep.core.models import UnionOwned
from lienhiep.paperwork.codes import display_code


def issued_file_path(instance: "IssuedDocument", filename: str) -> str:
    extension = filename.rpartition(".")[2]
    return f"{instance.union_id}/issued/{instance.year}/{uuid.uuid4().hex}.{extension}"


class IssuedDocumentQuerySet(models.QuerySet):
    def current(self) -> "IssuedDocumentQuerySet":
        """Documents not replaced by a correction."""
        return self.filter(replaced_by__isnull=True)

    def of(self, source: models.Model) -> "IssuedDocumentQuerySet":
        return self.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)


class IssuedDocument(UnionOwned):
    class Kind(models.TextChoices):
        COUNCIL_DECISION = "council_decision", _("Decision forming a council")
        CASE_REPORT = "case_report", _("Report on a consulting, critique or assessment case")
        MEETING_MINUTES = "meeting_minutes", _("Minutes of a council meeting")
        CONCLUSION_NOTICE = "conclusion_notice", _("Conclusion notice of a working session")
        AWARD_DECISION = "award_decision", _("Award decision of a contest")
        ANNUAL_REPORT = "annual_report", _("Annual report on consulting, critique and assessment")

    class Signature(models.TextChoices):
        ORGANISATION = "organisation", _("the Union's organisation certificate")
        EXTERNAL = "external", _("signed outside the platform")

    class PdfState(models.TextChoices):
        PENDING = "pending", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    type_code = models.CharField(max_length=10)
    number_symbol = models.CharField(_("number and symbol"), max_length=50)
    doc_type = models.CharField(_("type of document"), max_length=100)
    subject = models.CharField(_("subject"), max_length=500)
    issued_on = models.DateField(_("issued on"))
    signer = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("signer")
    )
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_authority = models.CharField(_("authority"), max_length=200, blank=True)  # lines joined by " / "
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    file_stem = models.CharField(max_length=150)  # the download's name without its extension
    docx = models.FileField(upload_to=issued_file_path, max_length=300, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(upload_to=issued_file_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_state = models.CharField(max_length=10, choices=PdfState.choices, default=PdfState.PENDING)
    pdf_error = models.CharField(max_length=500, blank=True)
    # The code printed on the document, typed with its number on the public verification page.
    code = models.CharField(_("verification code"), max_length=16, null=True, blank=True, unique=True, editable=False)
    # The digital signature of the stored PDF: the Union's organisation certificate (signed by the worker), or a
    # leader's own (a PDF signed outside the platform, checked and accepted); the PDF before it, kept.
    signature = models.CharField(_("digital signature"), max_length=15, choices=Signature.choices, blank=True)
    signed_by = models.CharField(_("signed digitally by"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed digitally at"), null=True, blank=True)
    unsigned_pdf = models.FileField(upload_to=issued_file_path, max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name=_("replaces")
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["union", "year", "number"], name="paperwork_issued_number")]
        indexes = [models.Index(fields=["source_type", "source_id", "kind"])]

    def __str__(self) -> str:
        return self.number_symbol

    @property
    def is_replaced(self) -> bool:
        return hasattr(self, "replaced_by")

    @property
    def display_code(self) -> str:
        return display_code(self.code or "")

    @property
    def is_pdf_ready(self) -> bool:
        return self.pdf_state == self.PdfState.READY

    @property
    def is_pdf_pending(self) -> bool:
        return self.pdf_state == self.PdfState.PENDING

    @property
    def is_pdf_failed(self) -> bool:
        return self.pdf_state == self.PdfState.FAILED

    @property
    def is_signed_by_signer(self) -> bool:
        """Signed outside the platform with the signer's own certificate (accepted after checking)."""
        return self.signature == self.Signature.EXTERNAL
