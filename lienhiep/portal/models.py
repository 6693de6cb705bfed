"""Documents the Union disseminates (văn bản): the library the public portal will show."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lienhiep.core.models import Attachment, UnionOwned
from lienhiep.core.text import fold, normalize, sort_key


def number_key(number_symbol: str) -> str:
    """'48/2017/qđ-ubnd' and '48/2017/QĐ-UBND' are the same number (case-folded beyond ASCII)."""
    return normalize(number_symbol).replace(" ", "").casefold()


class LegalDocument(UnionOwned):
    """A legal or guidance document: number and symbol, type, issuer, dates, summary (trích yếu)."""

    class DocType(models.TextChoices):
        LAW = "law", _("Law")
        DECREE = "decree", _("Decree")
        RESOLUTION = "resolution", _("Resolution")
        DECISION = "decision", _("Decision")
        CIRCULAR = "circular", _("Circular")
        DIRECTIVE = "directive", _("Directive")
        PLAN = "plan", _("Plan")
        OFFICIAL_LETTER = "official_letter", _("Official letter")
        GUIDANCE = "guidance", _("Guidance")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REPLACED = "replaced", _("Replaced")
        EXPIRED = "expired", _("Expired")

    number_symbol = models.CharField(_("number and symbol"), max_length=100, help_text=_("e.g. 48/2017/QĐ-UBND"))
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocType.choices)
    issuer = models.CharField(_("issuer"), max_length=255, help_text=_("e.g. UBND tỉnh Kon Tum"))
    issued_on = models.DateField(_("date issued"))
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    summary = models.TextField(_("summary"), help_text=_("The document's subject line (trích yếu)"))
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("amended or replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    is_public = models.BooleanField(_("shown on the public site"), default=True)
    number_key = models.CharField(
        max_length=100,
        editable=False,
        default="",
        help_text="number_symbol case-folded: two spellings of one number are one document",
    )
    search_folded = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=600, editable=False, default="")
    attachments = GenericRelation(Attachment, related_query_name="legal_document")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["union", "number_key"], name="document_unique_number")]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number_symbol}"

    def save(self, *args, **kwargs):
        self.number_symbol = normalize(self.number_symbol)
        self.number_key = number_key(self.number_symbol)
        self.summary = normalize(self.summary)
        self.issuer = normalize(self.issuer)
        self.search_folded = fold(f"{self.number_symbol} {self.issuer} {self.summary}")
        self.sort_key = sort_key(self.number_symbol)[:600]
        super().save(*args, **kwargs)

    accepts_attachments = True

    def is_visible_to_public(self) -> bool:
        return self.is_public

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:document_detail", args=[self.union.slug, self.pk])

    def get_staff_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:document_manage", args=[self.union.slug, self.pk])
