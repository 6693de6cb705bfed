"""The public portal's records: documents the Union disseminates (văn bản), news articles (tin bài) with their
images, published outputs (critique summaries, contest results), the certificate register, and one search
index over everything public."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.core.models import Attachment, UnionOwned
from lienhiep.core.text import fold, normalize, sort_key
from lienhiep.paperwork.codes import display_code, new_code
from lienhiep.paperwork.signers import number_symbol
from lienhiep.portal import richtext


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
    expires_on = models.DateField(
        _("end of validity"), null=True, blank=True, help_text=_("When the document stopped (or stops) applying")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    summary = models.TextField(_("summary"), help_text=_("The document's subject line (trích yếu)"))
    fields = models.CharField(
        _("fields"),
        max_length=255,
        blank=True,
        help_text=_("Subject areas, separated by commas, e.g. Khoa học và công nghệ, Tư vấn phản biện"),
    )
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
        self.fields = ", ".join(f for f in (normalize(x) for x in (self.fields or "").split(",")) if f)
        self.search_folded = fold(f"{self.number_symbol} {self.issuer} {self.summary} {self.fields}")
        self.sort_key = sort_key(self.number_symbol)[:600]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:document_detail", args=[self.union.slug, self.pk])

    def get_staff_url(self) -> str:
        return reverse("portal:document_manage", args=[self.union.slug, self.pk])

    accepts_attachments = True

    def field_list(self) -> list[str]:
        return [f.strip() for f in self.fields.split(",") if f.strip()]

    def is_visible_to_public(self) -> bool:
        return self.is_public


class ArticleQuerySet(models.QuerySet):
    def visible(self, now=None):
        """What the public sees: published, and its publication time has come (scheduled ones appear by
        themselves when the clock passes published_at: visibility is computed here, no job is needed)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Article(UnionOwned):
    """A news article (tin bài): draft → in review → published → archived."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=120, editable=False)
    lead = models.TextField(_("lead"), help_text=_("The opening paragraph shown in lists and shared links"))
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paragraphs separated by a blank line, or simple HTML (paragraphs, bold, italic, lists, links, "
            "headings, quotes, tables). Anything else is removed."
        ),
    )
    author = models.CharField(_("author"), max_length=200, blank=True, help_text=_("Byline, e.g. Quang Mạnh"))
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=False)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("A time in the future schedules the article")
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["view_count"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["union", "slug"], name="article_unique_slug")]
        indexes = [models.Index(fields=["union", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize(self.title)
        self.lead = normalize(self.lead)
        self.author = normalize(self.author)
        self.body = richtext.sanitize(richtext.plain_to_html(self.body))
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:article_detail", args=[self.union.slug, self.slug])

    def get_staff_url(self) -> str:
        return reverse("portal:article_manage", args=[self.union.slug, self.pk])

    def _unique_slug(self) -> str:
        base = slugify(fold(self.title))[:100] or "bai-viet"
        slug, n = base, 2
        while Article.objects.filter(union_id=self.union_id, slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def body_html(self):
        return richtext.render(self.body)

    def is_visible_to_public(self, now=None) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    @property
    def badge(self) -> str:
        """The colour its status is shown in (a scheduled article is shown as scheduled)."""
        colours = {self.Status.PUBLISHED: "text-bg-success", self.Status.REVIEW: "text-bg-warning"}
        return colours.get(self.status, "text-bg-secondary")

    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_visible_to_public()
        )

    # Transitions only say which moves are allowed; the services do the rest.
    # Staff and the administrator write and send for review; whoever publishes (they and the leader) publishes,
    # returns and archives. The article's page offers what its viewer may take (`steps_for`).

    @transition(field=status, source=Status.DRAFT, target=Status.REVIEW, permission="portal.write_article")
    def submit(self) -> None:
        pass

    @transition(field=status, source=Status.REVIEW, target=Status.DRAFT, permission="portal.publish_article")
    def return_to_draft(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.DRAFT, Status.REVIEW],
        target=Status.PUBLISHED,
        permission="portal.publish_article",
    )
    def publish(self) -> None:
        pass

    @transition(field=status, source=Status.PUBLISHED, target=Status.ARCHIVED, permission="portal.publish_article")
    def archive(self) -> None:
        pass

    @transition(field=status, source=Status.ARCHIVED, target=Status.DRAFT, permission="portal.write_article")
    def reopen(self) -> None:
        pass


def image_path(instance: "ArticleImage", filename: str) -> str:
    return f"{instance.article.union_id}/portal/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class ArticleImage(models.Model):
    """A photo of an article, with its caption and credit (e.g. 'Ảnh: QM'), stored privately, served by a view
    that shows it only with its article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, max_length=300)
    extension = models.CharField(max_length=10)
    mime_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=500)
    credit = models.CharField(_("credit"), max_length=200, blank=True, help_text=_("e.g. Ảnh: QM"))
    alt = models.CharField(
        _("description for screen readers"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it (the caption if empty)"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption

    def get_absolute_url(self) -> str:
        return reverse("portal:article_image", args=[self.article.union.slug, self.pk])

    @property
    def alt_text(self) -> str:
        return self.alt or self.caption


class ArticleView(models.Model):
    """One row per article, visitor and day: a reload does not count twice. The visitor key is a keyed hash of
    the address and browser, never the address itself."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "visitor", "day"], name="article_view_once_a_day")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}"


class Publication(UnionOwned):
    """A published output of another module (a critique summary, a contest result): public only while
    published. The module that produced it is linked as its source."""

    class Kind(models.TextChoices):
        CRITIQUE_SUMMARY = "critique_summary", _("Critique summary")
        CONTEST_RESULT = "contest_result", _("Contest result")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("full text"), blank=True, help_text=_("Paragraphs or simple HTML, as for articles"))
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["union", "status", "-published_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize(self.title)
        self.summary = normalize(self.summary)
        self.body = richtext.sanitize(richtext.plain_to_html(self.body))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:publication_detail", args=[self.union.slug, self.pk])

    def get_staff_url(self) -> str:
        return reverse("portal:publication_manage", args=[self.union.slug, self.pk])

    @property
    def body_html(self):
        return richtext.render(self.body)

    def is_visible_to_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @transition(field=status, source=[Status.DRAFT, Status.WITHDRAWN], target=Status.PUBLISHED)
    def publish(self) -> None:
        pass

    @transition(field=status, source=Status.PUBLISHED, target=Status.WITHDRAWN)
    def withdraw(self) -> None:
        pass


CERTIFICATE_CODE = "GCN"  # the document type in a certificate's number, 01/GCN-LHH (Decree 30/2020, Appendix III)


def new_certificate_code() -> str:
    return new_code()


class Certificate(UnionOwned):
    """A certificate (giấy chứng nhận) the Union issued: anyone holding its code can check it is genuine."""

    code = models.CharField(_("code"), max_length=40, unique=True, editable=False)
    holder_name = models.CharField(_("awarded to"), max_length=300)
    title = models.CharField(_("awarded for"), max_length=500, help_text=_("e.g. Giải Nhì Hội thi Sáng tạo kỹ thuật"))
    issued_on = models.DateField(_("date issued"))
    issuer = models.CharField(_("issued by"), max_length=300)
    # the register number (Số: 01/GCN-LHH): per Union and year of issue, set by issue_certificate(); none on older
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)  # of its issued (signed) PDF, if any
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True, editable=False)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]
        constraints = [
            models.UniqueConstraint("union", ExtractYear("issued_on"), "number", name="portal_certificate_number_year")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.holder_name}"

    def save(self, *args, **kwargs):
        self.holder_name = normalize(self.holder_name)
        self.title = normalize(self.title)
        self.issuer = normalize(self.issuer)
        if not self.code:
            self.code = new_certificate_code()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:certificate_check_code", args=[self.union.slug, self.code])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def display_code(self) -> str:
        return display_code(self.code)

    def number_symbol(self) -> str:
        """'01/GCN-LHH' (the Union's symbol), or '' for a certificate issued before numbers were kept."""
        return number_symbol(self.number, CERTIFICATE_CODE, self.union.document_symbol) if self.number else ""


class SearchEntry(UnionOwned):
    """One row per searchable record (article, document, publication): its folded text, kept by the records'
    save(). On PostgreSQL a pg_trgm GIN index serves `folded LIKE '%word%'`; on SQLite an FTS5 trigram table
    (portal_searchfts) mirrors `folded` and serves the same LIKE. Certificates are never indexed."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        DOCUMENT = "document", _("Document")
        PUBLICATION = "publication", _("Published result")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=400)
    text = models.TextField(help_text="plain text for excerpts and highlighting")
    title_folded = models.CharField(max_length=400)
    folded = models.TextField()
    url = models.CharField(max_length=300)
    is_public = models.BooleanField(default=False)
    visible_from = models.DateTimeField(null=True, blank=True)
    dated = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="search_entry_one_per_record")
        ]
        indexes = [models.Index(fields=["union", "is_public"])]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def visible_q(now) -> Q:
        return Q(is_public=True) & (Q(visible_from__isnull=True) | Q(visible_from__lte=now))
