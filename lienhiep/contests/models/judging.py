"""Judging and its outcome: juries, judging assignments with their score sheets, awards, certificates."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.contests.models.editions import POINTS, AwardTier, ContestField, Criterion, Edition, Round
from lienhiep.contests.models.entries import Contributor, Entry
from lienhiep.core.models import UnionOwned
from lienhiep.core.text import fold
from lienhiep.experts.models import Engagement, Expert
from lienhiep.experts.why import Why


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
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every change; a sheet sent with an older one is refused"
    )
    history = HistoricalRecords(excluded_fields=["reasons"])

    @property
    def why(self) -> Why | None:
        """Why the engine proposed this judge (None: placed by hand)."""
        return Why.of(self.reasons, self.affinity)

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_recused(self) -> bool:
        return self.status == self.Status.RECUSED

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

    @transition(
        field=status,
        source=Status.CONFIRMED,
        target=Status.RECUSED,
        permission="contests.score_sheet",
        custom={
            "label": _("Withdraw from this entry"),
            "style": "outline-danger",
            "reason": _("The conflict of interest, e.g. I advised the authors while they built it"),
            "confirm": _("Withdraw from this entry?"),
            "tucked": True,
        },
    )
    def recuse(self) -> None:
        """The judge found a conflict of interest."""


class Score(models.Model):
    """The points one judge gave one criterion, with a comment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    history = HistoricalRecords()  # every change of points, with who and when (a judge's draft, staff's paper sheet)

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
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)
