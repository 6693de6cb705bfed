"""Working sessions with localities: work plans and their planned visits, sessions with agenda, participants,
documents and photos, minutes (versioned, locked once approved), action items with reminders, the local projects
pipeline and contest outreach."""

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.core.models import AdminUnit, Agency, Attachment, Person, UnionOwned
from lienhiep.core.rules import represented_agency_ids
from lienhiep.core.text import fold, normalize


class Topic(models.TextChoices):
    ROLE = "role", _("The Union's role and documents")
    ADVISORY = "advisory", _("Consulting, critique and social assessment needs")
    CONTESTS = "contests", _("The contests")
    PROJECTS = "projects", _("Local projects and schemes")
    OTHER = "other", _("Other")


class WorkPlan(UnionOwned):
    """A plan of working sessions for a period, e.g. 'Kế hoạch làm việc với các địa phương năm 2022'."""

    title = models.CharField(_("title"), max_length=255)
    number_symbol = models.CharField(_("number and symbol"), max_length=50, blank=True, help_text=_("e.g. 25/KH-LHH"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    purpose = models.TextField(_("purpose and content"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="workplan_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:plan_detail", args=[self.union.slug, self.pk])


class PlannedVisit(UnionOwned):
    """One line of a plan: which locality and agencies, when, on what topics, who of the Union goes."""

    class Progress(models.TextChoices):
        DONE = "done", _("Done")
        SCHEDULED = "scheduled", _("Scheduled")
        OVERDUE = "overdue", _("Overdue")

    plan = models.ForeignKey(WorkPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="visits")
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies"), blank=True, related_name="+")
    planned_on = models.DateField(_("planned date"))
    topics = models.JSONField(_("topics"), default=list, blank=True)
    delegation = models.ManyToManyField(Person, verbose_name=_("the Union's delegation"), blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planned visit")
        verbose_name_plural = _("planned visits")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.planned_on:%d/%m/%Y} · {self.where()}"

    def where(self, agency_names: list[str] | None = None) -> str:
        """The locality visited, or else the agencies (their names when they were read already)."""
        if self.admin_unit_id:
            return self.admin_unit.title()
        return ", ".join(agency_names if agency_names is not None else (str(a) for a in self.agencies.all()))

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics]

    def progress(self, today: datetime.date | None = None) -> str:
        """Done once a session was held for it; otherwise scheduled until its date passes, then overdue."""
        today = today or datetime.date.today()
        held = getattr(self, "held_count", None)
        if held is None:
            held = self.sessions.exists()
        if held:
            return self.Progress.DONE
        return self.Progress.SCHEDULED if self.planned_on >= today else self.Progress.OVERDUE

    def progress_label(self) -> str:
        return str(dict(self.Progress.choices)[self.progress()])


class WorkSession(UnionOwned):
    """A working session held with a locality (buổi làm việc)."""

    plan_visit = models.ForeignKey(
        PlannedVisit,
        verbose_name=_("planned visit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delegation = models.ManyToManyField(Person, verbose_name=_("the Union's delegation"), blank=True, related_name="+")
    participants = models.ManyToManyField(
        Person, verbose_name=_("the locality's participants"), blank=True, related_name="+"
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("participating agencies"), blank=True, related_name="outreach_sessions"
    )
    documents = models.ManyToManyField(
        "portal.LegalDocument", verbose_name=_("documents presented"), blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)
    search_folded = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    attachments = GenericRelation(Attachment, related_query_name="outreach_session")
    history = HistoricalRecords()

    accepts_attachments = True

    class Meta:
        verbose_name = _("working session")
        verbose_name_plural = _("working sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.title = normalize(self.title)
        self.search_folded = fold(f"{self.title} {self.place}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:session_detail", args=[self.union.slug, self.pk])

    get_staff_url = get_absolute_url

    def admits_download(self, user) -> bool:
        """Representatives of a participating agency may open the session's photos and files."""
        return bool(set(represented_agency_ids(user, self.union)) & set(self.agencies.values_list("pk", flat=True)))


class AgendaItem(models.Model):
    session = models.ForeignKey(WorkSession, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("agenda item"), max_length=500)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class SessionPhoto(models.Model):
    session = models.ForeignKey(WorkSession, on_delete=models.CASCADE, related_name="photos")
    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=255)
    credit = models.CharField(_("photo credit"), max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption


class MinutesLocked(ValidationError):
    pass


class Minutes(models.Model):
    """The minutes of a session (biên bản / thông báo kết luận), one version at a time.

    draft → circulated (to participants, for corrections) → approved (locked). A change after approval is a new
    version (with its reason) that goes through the same steps; older versions are kept as they were.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for corrections")
        APPROVED = "approved", _("Approved")

    session = models.ForeignKey(WorkSession, on_delete=models.CASCADE, related_name="minutes_versions")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices)
    conclusion = models.TextField(_("general conclusion"), blank=True)
    revision_reason = models.CharField(_("reason for the new version"), max_length=500, blank=True)
    notice_number = models.CharField(
        _("notice number"),
        max_length=50,
        blank=True,
        help_text=_("e.g. 15 if taken in the paper register; empty for the next number"),
    )
    signatory = models.ForeignKey(
        Person, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["session", "-version"]
        constraints = [models.UniqueConstraint(fields=["session", "version"], name="minutes_unique_version")]

    def __str__(self) -> str:
        return f"{self.session.title} — v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk and Minutes.objects.filter(pk=self.pk, state=self.State.APPROVED).exists():
            raise MinutesLocked(_("Approved minutes are locked; make a new version to change them."))
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.CIRCULATED)

    @property
    def badge(self) -> str:
        """The colour its state is shown in."""
        return {self.State.APPROVED: "text-bg-success", self.State.CIRCULATED: "text-bg-info"}.get(
            self.state, "text-bg-warning"
        )

    # Each step says who may take it (a permission of rules.py); its label offers it on the session's page.

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.CIRCULATED,
        permission="outreach.manage_minutes",
        custom={"label": _("Circulate to participants for corrections"), "style": "outline-primary"},
    )
    def circulate(self) -> None:
        pass

    @transition(
        field=state,
        source=State.CIRCULATED,
        target=State.APPROVED,
        permission="outreach.manage_minutes",
        custom={
            "label": _("Approve and lock"),
            "style": "success",
            "confirm": _("Approved minutes are locked. Approve?"),
        },
    )
    def approve(self) -> None:
        pass

    @transition(
        field=state,
        source=State.CIRCULATED,
        target=State.DRAFT,
        permission="outreach.manage_minutes",
        custom={"label": _("Back to draft"), "style": "outline-secondary"},
    )
    def withdraw(self) -> None:
        pass


class MinutesEntry(models.Model):
    """What was said and concluded on one agenda item, in one version of the minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    discussion = models.TextField(_("discussion"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    class Meta:
        ordering = ["agenda_item__order", "agenda_item__pk"]
        constraints = [models.UniqueConstraint(fields=["minutes", "agenda_item"], name="minutes_entry_unique")]

    def __str__(self) -> str:
        return f"{self.minutes} · {self.agenda_item_id}"

    def save(self, *args, **kwargs):
        if Minutes.objects.filter(pk=self.minutes_id, state=Minutes.State.APPROVED).exists():
            raise MinutesLocked(_("Approved minutes are locked; make a new version to change them."))
        super().save(*args, **kwargs)


class ActionItem(UnionOwned):
    """A conclusion to follow up: an owner on either side (a person or an agency), a due date, a status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    ACTIVE = (Status.OPEN, Status.IN_PROGRESS)

    session = models.ForeignKey(
        WorkSession,
        verbose_name=_("working session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("action"), max_length=500)
    owner_person = models.ForeignKey(
        Person, verbose_name=_("owner (person)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_agency = models.ForeignKey(
        Agency, verbose_name=_("owner (agency)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locality = models.ForeignKey(
        AdminUnit, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    status = FSMField(_("status"), default=Status.OPEN, choices=Status.choices)
    drop_reason = models.CharField(_("reason for dropping"), max_length=500, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What was done, with references"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attachments = GenericRelation(Attachment, related_query_name="outreach_action_item")
    history = HistoricalRecords()

    accepts_attachments = True

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=True, owner_agency__isnull=False)
                | Q(owner_person__isnull=False, owner_agency__isnull=True),
                name="actionitem_one_owner",
            ),
            models.CheckConstraint(condition=~Q(status="dropped") | ~Q(drop_reason=""), name="actionitem_drop_reason"),
        ]
        indexes = [models.Index(fields=["union", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:action_detail", args=[self.union.slug, self.pk])

    get_staff_url = get_absolute_url

    @property
    def owner(self):
        return self.owner_person or self.owner_agency

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status in self.ACTIVE and self.due_on < (today or datetime.date.today())

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def badge(self) -> str:
        """The colour its status is shown in (an overdue item is shown as overdue first)."""
        colours = {
            self.Status.DONE: "text-bg-success",
            self.Status.DROPPED: "text-bg-secondary",
            self.Status.IN_PROGRESS: "text-bg-info",
        }
        return colours.get(self.status, "text-bg-warning")

    def admits_download(self, user) -> bool:
        return self.owner_agency_id in represented_agency_ids(user, self.union)

    # Each step says who may take it (staff, or the owning agency's representative: rules.py) and is offered on the
    # item's page; the service records the evidence (completing) or the reason (dropping) it asks for.

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.IN_PROGRESS,
        permission="outreach.change_action_status",
        custom={"label": _("Mark as in progress"), "style": "outline-primary"},
    )
    def start(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.OPEN, Status.IN_PROGRESS],
        target=Status.DONE,
        permission="outreach.change_action_status",
        custom={
            "label": _("Mark as done"),
            "style": "success",
            "text": ("evidence", _("What was done, with references")),
        },
    )
    def complete(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.OPEN, Status.IN_PROGRESS],
        target=Status.DROPPED,
        permission="outreach.change_action_status",
        custom={
            "label": _("Drop the action item"),
            "style": "outline-danger",
            "reason": _("Why the action is dropped"),
            "tucked": True,
        },
    )
    def drop(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.DONE, Status.DROPPED, Status.IN_PROGRESS],
        target=Status.OPEN,
        permission="outreach.change_action_status",
        custom={"label": _("Reopen the action item"), "style": "outline-secondary"},
    )
    def reopen(self) -> None:
        pass


class ReminderSent(models.Model):
    """One row per item and day a reminder went out: running the reminder task twice a day sends nothing twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Due soon")
        AFTER = "after", _("Overdue")

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["action_item", "day"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.action_item_id} · {self.day}"


class LocalProject(UnionOwned):
    """A project or scheme a locality mentioned: a candidate for consulting, critique or social assessment.

    The advisory module (when it exists) turns one into a request pre-filled from `advisory_prefill()`."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea or proposal")
        PREPARING = "preparing", _("Being drafted")
        APPRAISAL = "appraisal", _("Under appraisal")
        APPROVED = "approved", _("Approved")
        IMPLEMENTING = "implementing", _("Being carried out")
        COMPLETED = "completed", _("Completed")
        SHELVED = "shelved", _("Shelved")

    name = models.CharField(_("name"), max_length=500)
    owner_agency = models.ForeignKey(
        Agency, verbose_name=_("owner agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True, help_text=_("e.g. agriculture, transport"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    expected_decision_on = models.DateField(_("expected decision date"), null=True, blank=True)
    learned_at = models.ForeignKey(
        WorkSession,
        verbose_name=_("learned at session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_projects",
    )
    description = models.TextField(_("description"), blank=True)
    search_folded = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("local project")
        verbose_name_plural = _("local projects")
        ordering = ["expected_decision_on", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize(self.name)
        self.search_folded = fold(f"{self.name} {self.sector}")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outreach:project_detail", args=[self.union.slug, self.pk])

    def advisory_prefill(self) -> dict:
        """The fields an advisory request starts from (the seam the advisory module plugs into)."""
        return {
            "title": self.name,
            "requesting_agency": self.owner_agency,
            "admin_unit": self.admin_unit,
            "sector": self.sector,
            "description": self.description,
            "deadline_hint": self.expected_decision_on,
            "source_local_project": self,
        }


class ContestPromotion(UnionOwned):
    """A session promoted a contest edition in its locality: named as text, or linked to an edition of the
    contests module (whose entries the locality overview counts)."""

    session = models.ForeignKey(
        WorkSession, verbose_name=_("working session"), on_delete=models.CASCADE, related_name="promotions"
    )
    contest_name = models.CharField(_("contest"), max_length=255)
    edition = models.CharField(_("edition"), max_length=100, blank=True, help_text=_("e.g. lần thứ X, 2022"))
    contest_edition = models.ForeignKey(
        "contests.Edition",
        verbose_name=_("contest edition in the system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="promotions",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contest promotion")
        verbose_name_plural = _("contest promotions")
        ordering = ["contest_name", "edition"]

    def __str__(self) -> str:
        return f"{self.contest_name} {self.edition}".strip()


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(UnionOwned):
    """A member's secret calendar address: calendar apps cannot sign in, so the token is the credential.
    It works only while its user still holds a staff role in the Union; a new token revokes the old one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["union", "user"], name="calendar_feed_one_per_user")]
