"""The council's meeting, the numbered recommendations with the agency's answers and the checks of their
implementation, the Union's register of outgoing documents, and the review reminders already sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lienhiep.core.models import UnionOwned


class Meeting(UnionOwned):
    """The council meeting: when and where, who attended (quorum), minutes per agenda item, votes."""

    case = models.OneToOneField("advisory.Case", on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("started at"), null=True, blank=True)
    ends_at = models.TimeField(_("ended at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    chaired_by = models.ForeignKey(
        "advisory.Seat",
        verbose_name=_("chaired by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes_by = models.ForeignKey(
        "advisory.Seat",
        verbose_name=_("minutes taken by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (% of members, more than)"), default=50, help_text=_("Typical: more than half of the members")
    )
    present = models.ManyToManyField("advisory.Seat", verbose_name=_("members present"), blank=True, related_name="+")
    conclusion = models.TextField(_("conclusion of the meeting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    def __str__(self) -> str:
        return f"{self.case.code} · {self.held_on:%d/%m/%Y}"


class MeetingItem(models.Model):
    """One agenda item of the meeting with its minutes and, where the rules need it, the vote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("agenda item"), max_length=500)
    discussion = models.TextField(_("discussion"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def voted(self) -> bool:
        return self.votes_for is not None

    def passed(self, present: int) -> bool | None:
        """A vote passes with more than half of the members present."""
        if self.votes_for is None:
            return None
        return self.votes_for * 2 > present


class Recommendation(UnionOwned):
    """A numbered recommendation of the report, traced to the reviews and paragraphs it came from; the agency's
    answer (tiếp thu, giải trình) and, later, the follow-up of its implementation hang on it."""

    class Category(models.TextChoices):
        LEGAL = "legal", _("Legal basis")
        NECESSITY = "necessity", _("Necessity")
        OBJECTIVES = "objectives", _("Objectives and targets")
        FEASIBILITY = "feasibility", _("Feasibility")
        RESOURCES = "resources", _("Resources")
        IMPACT = "impact", _("Socio-economic and environmental impact")
        OTHER = "other", _("Other")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Response(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("answer to a recommendation", "Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    WEIGHT = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}

    case = models.ForeignKey("advisory.Case", on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    reviews = models.ManyToManyField(
        "advisory.Review", verbose_name=_("from the reviews"), blank=True, related_name="+"
    )
    paragraphs = models.ManyToManyField(
        "advisory.DraftParagraph", verbose_name=_("about the paragraphs"), blank=True, related_name="recommendations"
    )
    response = models.CharField(_("answer"), max_length=20, choices=Response.choices, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="advisory_recommendation_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    @property
    def weight(self) -> int:
        return self.WEIGHT.get(self.priority, 1)


class AssessmentEntry(UnionOwned):
    """One check of a recommendation's implementation: progress, evidence, findings, the day it was checked."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Carried out")
        ABANDONED = "abandoned", _("Abandoned")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="assessments")
    assessment_case = models.ForeignKey(
        "advisory.Case",
        verbose_name=_("in the social-assessment case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_on = models.DateField(_("checked on"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=20, choices=Progress.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("implementation check")
        verbose_name_plural = _("implementation checks")
        ordering = ["recommendation", "-checked_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="advisory_assessment_percent")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} · {self.checked_on} · {self.percent}%"


class ReviewReminder(models.Model):
    """One row per review and day a reminder went out: running the reminder task twice sends nothing twice."""

    review = models.ForeignKey("advisory.Review", on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    late = models.BooleanField(default=False)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "day"], name="advisory_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.review_id} · {self.day}"


class AnswerReminder(models.Model):
    """One row per case and day the requesting agency was reminded to answer the recommendations."""

    case = models.ForeignKey("advisory.Case", on_delete=models.CASCADE, related_name="answer_reminders")
    day = models.DateField()
    late = models.BooleanField(default=False)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "day"], name="advisory_answer_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.day}"


class AnnualReport(UnionOwned):
    """The year's report on consulting, critique and assessment to the provincial authorities and the national
    body: the source of the document issued into the register when the leader signs it."""

    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [models.UniqueConstraint(fields=["union", "year"], name="advisory_one_annual_report_a_year")]

    def __str__(self) -> str:
        return str(self.year)
