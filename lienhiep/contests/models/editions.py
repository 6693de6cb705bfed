"""Editions and their configuration: fields, age groups, dossier items, rounds with their rubric, award tiers."""

import datetime
import re
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.core.fsm import requirement
from lienhiep.core.models import UnionOwned
from lienhiep.experts.models import Field as ExpertField

POINTS = {"max_digits": 6, "decimal_places": 2}


class Edition(UnionOwned):
    """One edition of a contest (e.g. Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum lần thứ 9, 2022–2023).

    draft → open (registration) → judging → review (results and award proposal) → approved (leader) →
    published (results public)."""

    class Kind(models.TextChoices):
        TECHNICAL = "technical", _("Technical Innovation Contest")
        YOUTH = "youth", _("Youth and Children's Creativity Contest")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for registration")
        JUDGING = "judging", _("Judging")
        REVIEW = "review", _("Results under review")
        APPROVED = "approved", _("Awards approved")
        PUBLISHED = "published", _("Results published")

    kind = models.CharField(_("contest"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("title"), max_length=300, help_text=_("e.g. Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum lần thứ 9")
    )
    number = models.PositiveSmallIntegerField(_("edition number"), help_text=_("lần thứ …"))
    period = models.CharField(_("years"), max_length=30, help_text=_("e.g. 2022–2023"))
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Prefix of registration numbers, e.g. ST9 gives ST9-001")
    )
    summary = models.TextField(_("call for entries"), blank=True, help_text=_("What the contest is for, who may enter"))
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    submission_deadline = models.DateTimeField(
        _("dossier deadline"), help_text=_("Server time; a dossier is accepted up to and including this second")
    )
    results_on = models.DateField(_("results announced on"), null=True, blank=True)
    ceremony_on = models.DateField(_("awards ceremony on"), null=True, blank=True)
    # eligibility
    age_cutoff = models.DateField(
        _("age cut-off date"), null=True, blank=True, help_text=_("Ages are counted in full years on this date")
    )
    min_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    school_levels = models.CharField(
        _("school levels"), max_length=200, blank=True, help_text=_("e.g. Tiểu học; THCS; THPT")
    )
    max_team = models.PositiveSmallIntegerField(
        _("largest team"), default=5, validators=[MinValueValidator(1)], help_text=_("1 = individuals only")
    )
    eligibility_note = models.TextField(_("who may enter"), blank=True)
    # judging and results
    disagreement_gap = models.DecimalField(
        _("disagreement gap"),
        default=Decimal("15"),
        help_text=_("Judges' totals further apart than this flag the entry"),
        **POINTS,
    )
    tie_break = models.CharField(
        _("tie-break criteria"),
        max_length=200,
        blank=True,
        help_text=_("Criterion codes of the last round in order, e.g. TM, UD; remaining ties go to the board"),
    )
    mentor_certificates = models.BooleanField(_("certificates for guiding teachers too"), default=False)
    national_quota = models.PositiveSmallIntegerField(
        _("entries sent to the national contest"), default=0, help_text=_("0 = no national nomination")
    )
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    awards_basis = models.CharField(
        _("awards proposed from"),
        max_length=12,
        blank=True,
        editable=False,
        choices=[("raw", _("the raw ranking")), ("normalised", _("the normalised ranking"))],
    )
    next_number = models.PositiveIntegerField(default=1, editable=False)
    # the award decision
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signatory_name = models.CharField(_("signed by"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["next_number"])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    class Meta:
        verbose_name = _("contest edition")
        verbose_name_plural = _("contest editions")
        ordering = ["-registration_opens_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["union", "code"], name="contests_edition_code_unique")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:edition", args=[self.union.slug, self.pk])

    @property
    def is_youth(self) -> bool:
        return self.kind == self.Kind.YOUTH

    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def results_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def tie_break_codes(self) -> list[str]:
        return [c.strip().upper() for c in self.tie_break.replace(";", ",").split(",") if c.strip()]

    def last_round(self) -> "Round | None":
        return self.rounds.order_by("-order").first()

    @property
    def in_review(self) -> bool:
        return self.status == self.Status.REVIEW

    @property
    def awards_approved(self) -> bool:
        """Approved by the leader (and perhaps published since)."""
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def dossiers_closed(self) -> bool:
        """Judging has started: no file goes into or out of a dossier unless staff reopen that one entry's."""
        return self.status not in (self.Status.DRAFT, self.Status.OPEN)

    @property
    def dossiers_reopenable(self) -> bool:
        """While judging and reviewing; once the awards are approved, the dossiers are records."""
        return self.status in (self.Status.JUDGING, self.Status.REVIEW)

    def registration_is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.registration_opens_at <= now <= self.registration_closes_at

    @cached_property
    def setup_problems(self) -> list[str]:
        """What is missing before the edition can open for registration (read once per instance: the edition's
        page shows the list, and the step that opens registration waits for it)."""
        problems = []
        if not self.fields.exists():
            problems.append(str(_("Add at least one field.")))
        rounds = list(self.rounds.prefetch_related("criteria"))
        if not rounds:
            problems.append(str(_("Add at least one judging round.")))
        for r in rounds:
            if not r.criteria.all():
                problems.append(str(_("The round %s has no criteria.") % r.name))
        if not self.tiers.exists():
            problems.append(str(_("Add the award tiers.")))
        if self.is_youth and not (self.age_cutoff and self.min_age is not None and self.max_age is not None):
            problems.append(str(_("A youth contest needs the age cut-off date and the youngest and oldest ages.")))
        return problems

    def _set_up(self) -> str | None:
        return " ".join(self.setup_problems) or None

    def _scores_in(self) -> str | None:
        last = self.last_round()
        sheets = last.assignments.values_list("status", flat=True) if last else []
        Status = last.assignments.model.Status if last else None  # judging.py defines Assignment and imports this
        submitted = sum(1 for s in sheets if s == Status.SUBMITTED) if last else 0
        waiting = sum(1 for s in sheets if s == Status.CONFIRMED) if last else 0
        if not submitted:
            return _("No score sheet of the last round has been submitted yet.")
        if waiting:
            return _("%s score sheets are not submitted yet.") % waiting
        return None

    # The edition's own steps, offered on its page to staff and the administrator (`contests.manage_edition`); the
    # review, approval and publication of results are taken on the awards page.

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.OPEN,
        permission="contests.manage_edition",
        conditions=[requirement(_set_up)],
        custom={"label": _("Open registration"), "confirm": _("Open registration?")},
    )
    def open(self) -> None:
        """The call for entries is published; entrants may register."""

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.JUDGING,
        permission="contests.manage_edition",
        custom={
            "label": _("Close registration and start judging"),
            "confirm": _("Close registration and start judging?"),
        },
    )
    def start_judging(self) -> None:
        """Registration is over; juries score the accepted entries."""

    @transition(
        field=status,
        source=Status.JUDGING,
        target=Status.REVIEW,
        permission="contests.manage_edition",
        conditions=[requirement(_scores_in)],
        custom={"label": _("Finish judging: review the results"), "confirm": _("Finish judging: review the results?")},
    )
    def start_review(self) -> None:
        """Scoring is over; the board reviews the ranking and proposes awards."""

    @transition(field=status, source=Status.REVIEW, target=Status.JUDGING, permission="contests.manage_edition")
    def back_to_judging(self) -> None:
        """The board asked for more judging (an extra judge for a disputed entry)."""

    @transition(field=status, source=Status.REVIEW, target=Status.APPROVED, permission="contests.approve_edition")
    def approve(self) -> None:
        """The leader approved the awards."""

    @transition(field=status, source=Status.APPROVED, target=Status.REVIEW, permission="contests.approve_edition")
    def withdraw_approval(self) -> None:
        """The approval is withdrawn to change the awards (before publication)."""

    @transition(field=status, source=Status.APPROVED, target=Status.PUBLISHED, permission="contests.manage_edition")
    def publish(self) -> None:
        """The results are public."""


class ContestField(models.Model):
    """A field (lĩnh vực) of an edition, with its code; may point at a field of the expert registry so the
    matching engine gives a bonus to judges of that field."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="fields")
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=200)
    expert_field = models.ForeignKey(
        ExpertField,
        verbose_name=_("field of expertise of its judges"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contest field")
        verbose_name_plural = _("contest fields")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="contests_field_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class AgeGroup(models.Model):
    """A youth age group: ages in full years at the edition's cut-off date (e.g. Bảng A: 6–11)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="age_groups")
    name = models.CharField(_("name"), max_length=100)
    min_age = models.PositiveSmallIntegerField(_("from age"))
    max_age = models.PositiveSmallIntegerField(_("to age"))

    class Meta:
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        ordering = ["min_age"]

    def __str__(self) -> str:
        """The name, with its ages after it unless the name says them already, however written: «Bảng C (16–18
        tuổi)», «Bảng C 16-18», «Bảng C: từ 16 đến 18 tuổi»."""
        said = re.search(rf"(?<!\d){self.min_age}\s*(?:[-–—]|đến|tới|to)\s*{self.max_age}(?!\d)", self.name)
        return self.name if said else f"{self.name} ({self.min_age}–{self.max_age})"


class DossierItem(models.Model):
    """What a dossier must (or may) hold: a file or a link."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link (e.g. video)")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="dossier_items")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FILE)
    required = models.BooleanField(_("required"), default=True)
    shown_to_judges = models.BooleanField(
        _("shown to judges"),
        default=True,
        help_text=_(
            "Judges see and download only these items, under neutral names and without the document's metadata. "
            "Untick it for the registration form and anything else bearing the authors' or the school's names."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dossier item")
        verbose_name_plural = _("dossier items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """A judging round (sơ khảo, chung khảo) with its rubric and the rule for who advances."""

    class Advance(models.TextChoices):
        SCORE = "score", _("Everyone at or above a score")
        COUNT = "count", _("The best N of each field")
        BOTH = "both", _("The best N of each field, if at or above the score")

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        OPEN = "open", _("Judging")
        CLOSED = "closed", _("Closed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="rounds")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Sơ khảo, Chung khảo"))
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"), default=2, validators=[MinValueValidator(1)]
    )
    max_load = models.PositiveSmallIntegerField(
        _("most entries per judge"), default=10, validators=[MinValueValidator(1)]
    )
    starts_on = models.DateField(_("judging starts on"), null=True, blank=True)
    due_on = models.DateField(_("score sheets due on"), null=True, blank=True)
    advance = models.CharField(_("who advances"), max_length=10, choices=Advance.choices, default=Advance.SCORE)
    advance_score = models.DecimalField(_("advancing score"), null=True, blank=True, **POINTS)
    advance_count = models.PositiveSmallIntegerField(_("advancing per field"), null=True, blank=True)
    status = FSMField(_("status"), default=Status.PENDING, choices=Status.choices, protected=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        ordering = ["edition", "order"]
        constraints = [models.UniqueConstraint(fields=["edition", "order"], name="contests_round_order_unique")]

    def __str__(self) -> str:
        return f"{self.name} — {self.edition}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def union_id(self) -> int:
        return self.edition.union_id

    def max_total(self) -> Decimal:
        return sum((c.max_points * c.weight for c in self.criteria.all()), Decimal(0))

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @transition(field=status, source=Status.PENDING, target=Status.OPEN)
    def open(self) -> None:
        """Judges may score."""

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED, permission="contests.manage_round")
    def close(self) -> None:
        """Scoring is over; entries advance by the round's rule."""

    @transition(field=status, source=Status.CLOSED, target=Status.OPEN)
    def reopen(self) -> None:
        """More scoring is needed (an extra judge)."""


class Criterion(models.Model):
    """A criterion of a round's rubric: the most points a judge may give, and its weight in the total."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what judges look for"), blank=True)
    max_points = models.DecimalField(_("maximum points"), validators=[MinValueValidator(Decimal("0.5"))], **POINTS)
    weight = models.DecimalField(
        _("weight"), default=Decimal("1"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="contests_criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class AwardTier(models.Model):
    """An award level (Nhất, Nhì, Ba, Khuyến khích, or a special prize) with its minimum score, quotas and prize."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="tiers")
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 = highest"))
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Giải Nhất"))
    min_score = models.DecimalField(_("minimum score"), null=True, blank=True, **POINTS)
    quota_per_field = models.PositiveSmallIntegerField(_("most per field"), null=True, blank=True)
    quota_overall = models.PositiveSmallIntegerField(_("most in the edition"), null=True, blank=True)
    prize_amount = models.PositiveBigIntegerField(_("prize (VND)"), default=0)
    special = models.BooleanField(_("special prize (given by the board only)"), default=False)

    class Meta:
        verbose_name = _("award tier")
        verbose_name_plural = _("award tiers")
        ordering = ["rank", "pk"]

    def __str__(self) -> str:
        return self.name
