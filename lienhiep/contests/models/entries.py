"""Entries: the dossier, its authors and mentors (registry people), its files."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.contests.models.editions import POINTS, AgeGroup, ContestField, DossierItem, Edition
from lienhiep.core.models import AdminUnit, Agency, Attachment, Person, UnionOwned
from lienhiep.experts.parties import Parties


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
    dossier_reopened_at = models.DateTimeField(
        _("dossier reopened at"),
        null=True,
        blank=True,
        editable=False,
        help_text="Set when staff reopen this entry's dossier (with a reason, logged); cleared when it closes again",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every change; a form sent with an older one is refused"
    )
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
    def badge(self) -> str:
        """The colour its status is shown in."""
        colours = {
            self.Status.ACCEPTED: "text-bg-success",
            self.Status.SUBMITTED: "text-bg-info",
            self.Status.RETURNED: "text-bg-warning",
            self.Status.REJECTED: "text-bg-danger",
        }
        return colours.get(self.status, "text-bg-secondary")

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def dossier_is_open(self) -> bool:
        """Files may go into or out of its dossier: until its edition starts judging, then only while staff have
        reopened this entry's dossier, and never once the awards are approved (who may is `contests.change_dossier`)."""
        edition = self.edition
        if not edition.dossiers_closed:
            return True
        return edition.dossiers_reopenable and self.dossier_reopened_at is not None

    @property
    def dossier_was_reopened(self) -> bool:
        """Its dossier is open now only because staff reopened it after judging started."""
        return self.edition.dossiers_closed and self.dossier_is_open

    def author_names(self) -> str:
        """'Nguyễn Văn A, Trần Thị B' (reads prefetched contributors)."""
        return ", ".join(c.person.name for c in self.contributors.all() if c.role == Contributor.Role.AUTHOR)

    def deadline(self) -> datetime.datetime:
        """The moment after which this entry can no longer be submitted (its own later one if staff gave it)."""
        if self.open_until and self.open_until > self.edition.submission_deadline:
            return self.open_until
        return self.edition.submission_deadline

    def conflict_parties(self):
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
        """Its dossier files as uploaded: the entrant and the authors with an account. Never a judge: judges read
        the items shown to them, under neutral names and without metadata, through their sheet
        (`contests.read_blind_copy`); to them any other file's address is a file that does not exist."""
        if not user.is_authenticated:
            return False
        return self.owner_id == user.pk or self.contributors.filter(person__user=user).exists()

    @property
    def is_refused(self) -> bool:
        return self.status == self.Status.REJECTED

    # Who may take each step: the entrant (or staff) submits; staff and the administrator screen and reopen.

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        permission="contests.change_entry",
        custom={
            "label": _("Submit the entry"),
            "confirm": _("After submitting, the entry can no longer be changed. Submit now?"),
        },
    )
    def submit(self) -> None:
        """The dossier is complete and in before the deadline."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.ACCEPTED, permission="contests.screen_entry")
    def accept(self) -> None:
        """Screening found it eligible and complete."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED, permission="contests.screen_entry")
    def return_for_completion(self) -> None:
        """Something is missing: the entrant completes it and submits again."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.ACCEPTED],
        target=Status.REJECTED,
        permission="contests.screen_entry",
    )
    def reject(self) -> None:
        """Not eligible; the reason is shown to the entrant."""

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED],
        target=Status.DRAFT,
        permission="contests.screen_entry",
    )
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
