"""One engine for both contests (Hội thi Sáng tạo kỹ thuật; Cuộc thi Sáng tạo Thanh thiếu niên – Nhi đồng).

An edition is configured entirely by data: timeline, fields with codes, eligibility (age groups at a cut-off date,
team size), required dossier items, rounds with their rubric, award tiers with thresholds, quotas and prizes.
Entries carry their authors (registry people) with contribution shares, mentors, school and locality. Judges
are experts of the registry assigned per round; their score sheets lock when submitted. Awards are proposed,
adjusted by the board with reasons and approved by the leader; certificates are portal certificates."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.core.models import AdminUnit, Agency, Attachment, Person, UnionOwned
from lienhiep.experts.models import Engagement, Expert
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

    def registration_is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.registration_opens_at <= now <= self.registration_closes_at

    @transition(field=status, source=Status.DRAFT, target=Status.OPEN)
    def open(self) -> None:
        """The call for entries is published; entrants may register."""

    @transition(field=status, source=Status.OPEN, target=Status.JUDGING)
    def start_judging(self) -> None:
        """Registration is over; juries score the accepted entries."""

    @transition(field=status, source=Status.JUDGING, target=Status.REVIEW)
    def start_review(self) -> None:
        """Scoring is over; the board reviews the ranking and proposes awards."""

    @transition(field=status, source=Status.REVIEW, target=Status.JUDGING)
    def back_to_judging(self) -> None:
        """The board asked for more judging (an extra judge for a disputed entry)."""

    @transition(field=status, source=Status.REVIEW, target=Status.APPROVED)
    def approve(self) -> None:
        """The leader approved the awards."""

    @transition(field=status, source=Status.APPROVED, target=Status.REVIEW)
    def withdraw_approval(self) -> None:
        """The approval is withdrawn to change the awards (before publication)."""

    @transition(field=status, source=Status.APPROVED, target=Status.PUBLISHED)
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
        return f"{self.name} ({self.min_age}–{self.max_age})"


class DossierItem(models.Model):
    """What a dossier must (or may) hold: a file or a link."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link (e.g. video)")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="dossier_items")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FILE)
    required = models.BooleanField(_("required"), default=True)
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
    def union_id(self) -> int:
        return self.edition.union_id

    def max_total(self) -> Decimal:
        return sum((c.max_points * c.weight for c in self.criteria.all()), Decimal(0))

    @transition(field=status, source=Status.PENDING, target=Status.OPEN)
    def open(self) -> None:
        """Judges may score."""

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
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


class Entry(UnionOwned):
    """A solution entered in an edition (giải pháp, sản phẩm dự thi) with its dossier.

    draft → submitted → accepted | returned (for completion, editable) | rejected (with a reason the entrant
    sees); staff may reopen a submitted, accepted or rejected entry with a reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for completion")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected as ineligible")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="entries")
    field = models.ForeignKey(ContestField, verbose_name=_("field"), on_delete=models.PROTECT, related_name="entries")
    title = models.CharField(_("title of the solution"), max_length=400)
    summary = models.TextField(
        _("summary"), help_text=_("Current state, the solution, what is new, where it is applied, its effect")
    )
    locality = models.ForeignKey(
        AdminUnit,
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the authors live or the solution is applied"),
    )
    school = models.ForeignKey(
        Agency, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school_level = models.CharField(_("school level"), max_length=50, blank=True)
    age_group = models.ForeignKey(
        AgeGroup, verbose_name=_("age group"), null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    number = models.CharField(_("registration number"), max_length=30, blank=True, editable=False)
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contest_entries",
    )
    on_paper = models.BooleanField(_("paper dossier entered by staff"), default=False, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    open_until = models.DateTimeField(
        _("may be completed until"),
        null=True,
        blank=True,
        editable=False,
        help_text="A later deadline for this entry, set when staff return or reopen it",
    )
    screening_note = models.TextField(_("note from the organisers"), blank=True, editable=False)
    reached_round = models.PositiveSmallIntegerField(default=1, editable=False)
    nominated_at = models.DateTimeField(_("nominated to the national contest"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    accepts_attachments = False  # files come through the dossier page, tied to a dossier item

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], condition=~Q(number=""), name="contests_entry_number_unique"
            )
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("contests:entry", args=[self.union.slug, self.pk])

    get_staff_url = get_absolute_url

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def author_names(self) -> str:
        """'Nguyễn Văn A, Trần Thị B' (reads prefetched contributors)."""
        return ", ".join(c.person.name for c in self.contributors.all() if c.role == Contributor.Role.AUTHOR)

    def deadline(self) -> datetime.datetime:
        """The moment after which this entry can no longer be submitted (its own later one if staff gave it)."""
        if self.open_until and self.open_until > self.edition.submission_deadline:
            return self.open_until
        return self.edition.submission_deadline

    def conflict_parties(self):
        from lienhiep.experts.conflicts import Parties

        people = list(self.contributors.all())
        return Parties(
            item=self,
            kind="entry",
            authors=tuple(c.person_id for c in people if c.role == Contributor.Role.AUTHOR),
            mentors=tuple(c.person_id for c in people if c.role == Contributor.Role.MENTOR),
            locality=self.locality_id,
            agencies=(self.school_id,) if self.school_id else (),
        )

    def admits_download(self, user) -> bool:
        """Its dossier files: the entrant, the authors with an account, and judges assigned to it."""
        if not user.is_authenticated:
            return False
        if self.owner_id == user.pk or self.contributors.filter(person__user=user).exists():
            return True
        return self.assignments.filter(
            expert__person__user=user, status__in=[Assignment.Status.CONFIRMED, Assignment.Status.SUBMITTED]
        ).exists()

    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.SUBMITTED)
    def submit(self) -> None:
        """The dossier is complete and in before the deadline."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.ACCEPTED)
    def accept(self) -> None:
        """Screening found it eligible and complete."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED)
    def return_for_completion(self) -> None:
        """Something is missing: the entrant completes it and submits again."""

    @transition(field=status, source=[Status.SUBMITTED, Status.ACCEPTED], target=Status.REJECTED)
    def reject(self) -> None:
        """Not eligible; the reason is shown to the entrant."""

    @transition(field=status, source=[Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED], target=Status.DRAFT)
    def reopen(self) -> None:
        """Staff open it again for changes, with a reason."""


class Contributor(models.Model):
    """An author (with a contribution share) or a guardian / guiding teacher (người hướng dẫn) of an entry.
    People are registry records, so conflict rules (relatives, co-authors, workplace, school) apply to them."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        MENTOR = "mentor", _("Guiding teacher or guardian")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="contributors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contest_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.AUTHOR)
    share = models.DecimalField(
        _("share (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        **POINTS,
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("author or mentor")
        verbose_name_plural = _("authors and mentors")
        ordering = ["role", "order", "pk"]

    def __str__(self) -> str:
        return self.person.name


class EntryFile(models.Model):
    """One dossier item of an entry: an uploaded file (a core attachment, private) or a link."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    item = models.ForeignKey(DossierItem, on_delete=models.PROTECT, related_name="+")
    attachment = models.OneToOneField(Attachment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item__order", "pk"]

    def __str__(self) -> str:
        return self.attachment.original_name if self.attachment_id else self.url


class Jury(models.Model):
    """The judges of one field in one round (ban giám khảo), drawn from the expert registry."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="juries")
    field = models.ForeignKey(ContestField, on_delete=models.CASCADE, related_name="juries")
    members = models.ManyToManyField(Expert, verbose_name=_("judges"), related_name="contest_juries", blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")
        constraints = [models.UniqueConstraint(fields=["round", "field"], name="contests_jury_unique")]

    def __str__(self) -> str:
        return f"{self.round.name} — {self.field}"


class Assignment(UnionOwned):
    """A judge on an entry in a round, with their score sheet.

    proposed (by the engine or by hand) → confirmed (staff; recorded as an engagement) → submitted (locked);
    a confirmed judge may recuse with a reason (the entry is then reassigned)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("To score")
        SUBMITTED = "submitted", _("Submitted")
        RECUSED = "recused", _("Recused")

    ACTIVE = (Status.PROPOSED, Status.CONFIRMED, Status.SUBMITTED)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="+")
    status = FSMField(_("status"), default=Status.PROPOSED, choices=Status.choices, protected=True)
    affinity = models.FloatField(default=0)
    reasons = models.JSONField(default=dict, blank=True)
    by_hand = models.BooleanField(default=False)
    engagement = models.OneToOneField(Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("overall comment"), blank=True)
    recusal_reason = models.CharField(_("reason for recusal"), max_length=500, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    on_paper = models.BooleanField(default=False, help_text="Scores typed in from a paper sheet by staff")
    history = HistoricalRecords(excluded_fields=["reasons"])

    class Meta:
        verbose_name = _("judging assignment")
        verbose_name_plural = _("judging assignments")
        ordering = ["entry__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry", "expert"],
                condition=~Q(status="recused"),
                name="contests_assignment_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} — {self.entry}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.CONFIRMED

    @transition(field=status, source=Status.PROPOSED, target=Status.CONFIRMED)
    def confirm(self) -> None:
        """Staff confirmed the judge."""

    @transition(field=status, source=Status.CONFIRMED, target=Status.SUBMITTED)
    def submit(self) -> None:
        """The sheet is complete and locked."""

    @transition(field=status, source=Status.CONFIRMED, target=Status.RECUSED)
    def recuse(self) -> None:
        """The judge found a conflict of interest."""


class Score(models.Model):
    """The points one judge gave one criterion, with a comment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="contests_score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"


class Award(models.Model):
    """The award of an entry: proposed by the rules (thresholds, quotas), adjusted by the board with a reason,
    approved with the edition."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="award")
    proposed_tier = models.ForeignKey(AwardTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tier = models.ForeignKey(
        AwardTier, verbose_name=_("award"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **POINTS)
    rank = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True, help_text="Why the rules gave this (or nothing)")
    adjustment_reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.entry}: {self.tier or '—'}"

    @property
    def adjusted(self) -> bool:
        return self.tier_id != self.proposed_tier_id


def certificate_path(instance: "EntryCertificate", filename: str) -> str:
    return f"certificates/{instance.entry.union_id}/{uuid.uuid4().hex}.pdf"


class EntryCertificate(models.Model):
    """The PDF of a portal certificate issued to an author (or mentor) of an awarded entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="certificates")
    contributor = models.ForeignKey(Contributor, on_delete=models.CASCADE, related_name="certificates")
    certificate = models.OneToOneField("portal.Certificate", on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField(upload_to=certificate_path, max_length=300)

    class Meta:
        ordering = ["entry__number", "contributor__role", "contributor__order"]

    def __str__(self) -> str:
        return str(self.certificate)

    def filename(self) -> str:
        from lienhiep.core.text import fold

        name = fold(self.contributor.person.name).replace(" ", "-")
        return f"{self.entry.number}-{name}-{self.certificate.code}.pdf"


class CertificateRun(models.Model):
    """One background generation of an edition's certificates, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="certificate_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.edition}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)
