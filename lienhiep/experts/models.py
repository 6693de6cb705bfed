"""The expert registry: fields of expertise, experts (a role record on a core.Person), declared relations between
people, declared conflicts and dismissed ones, the record of past work, and matching batches (items to staff,
the proposal, the confirmed assignment)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.core.models import AdminUnit, Agency, Person, SearchableName, Union, UnionOwned
from lienhiep.core.text import fold, sort_key
from lienhiep.experts.parties import Parties
from lienhiep.experts.why import Why


class Field(UnionOwned, SearchableName):
    """A field of expertise (lĩnh vực) from the Union's controlled list, e.g. NN — Nông nghiệp."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")
        ordering = ["sort_key"]
        constraints = [models.UniqueConstraint(fields=["union", "code"], name="experts_field_code_unique")]

    def __str__(self) -> str:
        return self.name

    def fill_search_fields(self) -> None:
        self.name_folded = fold(f"{self.code} {self.name}")
        self.sort_key = sort_key(self.name)


class Expert(UnionOwned):
    """A person the Union can call on as an expert or judge. Identity, title, degree, position, workplace and
    member association live on the Person; this record holds what makes them an expert."""

    class Availability(models.TextChoices):
        AVAILABLE = "available", _("Available")
        LIMITED = "limited", _("Limited")
        UNAVAILABLE = "unavailable", _("Not available")

    person = models.OneToOneField(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="expert")
    code = models.CharField(
        _("expert code"), max_length=20, help_text=_("Stable key used by the Excel import, e.g. CG-0012")
    )
    fields = models.ManyToManyField(Field, verbose_name=_("fields of expertise"), related_name="experts", blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by semicolons, e.g. cà phê; tưới tiết kiệm")
    )
    cv = models.TextField(_("CV and publications"), blank=True)
    locality = models.ForeignKey(
        AdminUnit,
        verbose_name=_("locality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the expert lives or mostly works"),
    )
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, default=Availability.AVAILABLE
    )
    max_load = models.PositiveSmallIntegerField(
        _("maximum load"), null=True, blank=True, help_text=_("Most items at once; empty = the batch's default")
    )
    search_folded = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_folded"])

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [models.UniqueConstraint(fields=["union", "code"], name="experts_expert_code_unique")]

    def __str__(self) -> str:
        return str(self.person)

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(";") if k.strip()]

    def profile_text(self, field_names: list[str] | None = None) -> str:
        """What the affinity engine reads: fields, keywords, position and CV, with their tone marks."""
        names = field_names if field_names is not None else [f.name for f in self.fields.all()]
        return " . ".join([*names, *self.keyword_list(), self.person.position, self.cv])

    @classmethod
    def next_code(cls, union: Union, taken: set[str] | None = None) -> str:
        """CG-0001, CG-0002 ...: the next free code of the Union (and not in `taken`)."""
        numbers = [
            int(code[3:])
            for code in cls.objects.filter(union=union, code__startswith="CG-").values_list("code", flat=True)
            if code[3:].isascii() and code[3:].isdigit()
        ]
        n = max(numbers, default=0) + 1
        taken = taken or set()
        while f"CG-{n:04d}" in taken:
            n += 1
        return f"CG-{n:04d}"

    def refresh_search(self, field_names: list[str]) -> None:
        person = self.person
        workplace = person.agency.name if person.agency_id else ""
        parts = [person.name, self.code, self.keywords, person.position, workplace, *field_names, self.cv[:2000]]
        self.search_folded = fold(" ".join(p for p in parts if p))


def import_path(instance: "ExpertImport", filename: str) -> str:
    return f"imports/{instance.union_id}/{uuid.uuid4().hex}.xlsx"


class ExpertImport(UnionOwned):
    """An uploaded Excel file waiting for staff to look at the preview and apply it (or not)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    file = models.FileField(upload_to=import_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    status = FSMField(_("status"), default=Status.PENDING, choices=Status.choices, protected=True)
    result = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    class Meta:
        verbose_name = _("expert import")
        verbose_name_plural = _("expert imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @transition(field=status, source=Status.PENDING, target=Status.APPLIED)
    def mark_applied(self) -> None:
        """The file's rows are now in the registry."""

    @transition(field=status, source=Status.PENDING, target=Status.DISCARDED)
    def discard(self) -> None:
        """Staff decided not to apply the file."""


class Relation(UnionOwned):
    """A declared relation between two people; it makes each a conflict of interest for the other's work."""

    class Kind(models.TextChoices):
        RELATIVE = "relative", _("Relative")
        HOUSEHOLD = "household", _("Same household")
        SUPERVISOR = "supervisor", _("Supervisor and student")
        COAUTHOR = "coauthor", _("Co-author")
        BUSINESS = "business", _("Business partner")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, verbose_name=_("related person"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")
        constraints = [
            models.UniqueConstraint(fields=["person", "other", "kind"], name="experts_relation_unique"),
            models.CheckConstraint(condition=~Q(person=models.F("other")), name="experts_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} — {self.other.name}: {self.get_kind_display()}"


class ItemLink(models.Model):
    """Points at the item a conflict decision is about (a batch item now; an advisory case or contest entry later)."""

    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("item_type", "item_id")

    class Meta:
        abstract = True


class DeclaredConflict(UnionOwned, ItemLink):
    """A conflict someone declared for one item (e.g. the expert says they advised the drafting team)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")

    def __str__(self) -> str:
        return f"{self.person.name}: {self.reason}"


class ConflictDismissal(UnionOwned, ItemLink):
    """A computed conflict staff judged to be a false positive, with the reason; it no longer blocks the person
    from this item for this rule. Rows are kept (withdrawing one sets withdrawn_at) so the history stays."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("rule"), max_length=30)
    reason = models.CharField(_("reason"), max_length=500)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dismissed conflict")
        verbose_name_plural = _("dismissed conflicts")

    def __str__(self) -> str:
        return f"{self.person.name} ({self.rule}): {self.reason}"


class Batch(UnionOwned):
    """A matching job: items to staff (drafts to review, entries to judge), the rules, and the result.
    draft → proposed (the solver ran) → confirmed (assignments recorded as engagements)."""

    class Purpose(models.TextChoices):
        ADVISORY = "advisory", _("Advisory work (drafts to review)")
        CONTEST = "contest", _("Contest judging (entries to score)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposal ready")
        CONFIRMED = "confirmed", _("Confirmed")

    title = models.CharField(_("title"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.ADVISORY)
    role = models.CharField(
        _("role of the experts"), max_length=100, default="", blank=True, help_text=_("e.g. Phản biện, Giám khảo")
    )
    per_item = models.PositiveSmallIntegerField(_("experts per item"), default=3)
    default_max_load = models.PositiveSmallIntegerField(_("default maximum load per expert"), default=3)
    require_field_expert = models.BooleanField(_("at least one expert from the item's field"), default=False)
    distinct_workplaces = models.BooleanField(_("no two experts from the same workplace on one item"), default=False)
    candidate_fields = models.ManyToManyField(
        Field,
        verbose_name=_("candidates from these fields"),
        blank=True,
        related_name="+",
        help_text=_("Empty = every available expert"),
    )
    due_on = models.DateField(_("work due on"), null=True, blank=True)
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    problems = models.JSONField(default=list, blank=True, help_text="The solver's problems: item, code, numbers")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["problems"])

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    class Meta:
        verbose_name = _("matching batch")
        verbose_name_plural = _("matching batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=[Status.DRAFT, Status.PROPOSED], target=Status.PROPOSED)
    def propose(self) -> None:
        """The solver produced (or staff edited) a proposal."""

    @transition(field=status, source=Status.PROPOSED, target=Status.DRAFT)
    def reopen(self) -> None:
        """Items or rules changed: the proposal must be computed again."""

    @transition(field=status, source=Status.PROPOSED, target=Status.CONFIRMED)
    def confirm(self) -> None:
        """Staff confirmed the proposal."""

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.CONFIRMED


class BatchItem(models.Model):
    """One thing to staff: a draft (with its requesting body and authors) or an entry (authors, mentors)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("summary"), help_text=_("The draft's summary or the entry's abstract"))
    fields = models.ManyToManyField(Field, verbose_name=_("fields"), blank=True, related_name="+")
    need = models.PositiveSmallIntegerField(_("experts needed"), null=True, blank=True)
    requesting_agency = models.ForeignKey(
        Agency,
        verbose_name=_("requesting or drafting body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authors = models.ManyToManyField(Person, verbose_name=_("authors"), blank=True, related_name="+")
    mentors = models.ManyToManyField(
        Person, verbose_name=_("guardians or guiding teachers"), blank=True, related_name="+"
    )
    locality = models.ForeignKey(
        AdminUnit, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item to staff")
        verbose_name_plural = _("items to staff")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def union(self):
        return self.batch.union

    @property
    def union_id(self) -> int:
        return self.batch.union_id

    def needed(self) -> int:
        return self.need or self.batch.per_item

    def conflict_parties(self):
        return Parties(
            item=self,
            kind="advisory" if self.batch.purpose == Batch.Purpose.ADVISORY else "entry",
            agencies=(self.requesting_agency_id,) if self.requesting_agency_id else (),
            authors=tuple(p.pk for p in self.authors.all()),
            mentors=tuple(p.pk for p in self.mentors.all()),
            locality=self.locality_id,
        )


class Proposal(models.Model):
    """One seat of a batch item filled by one expert: proposed by the solver or placed by hand."""

    item = models.ForeignKey(BatchItem, on_delete=models.CASCADE, related_name="proposals")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="proposals")
    affinity = models.FloatField(default=0)
    reasons = models.JSONField(default=dict, blank=True, help_text="Why: shared terms and fields")
    by_hand = models.BooleanField(default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "expert"], name="experts_proposal_unique")]
        ordering = ["item_id", "-affinity"]

    def __str__(self) -> str:
        return f"{self.expert} — {self.item}"

    @property
    def why(self) -> Why | None:
        """Why the solver proposed this expert (None: placed by hand, or a batch too large to explain)."""
        return Why.of(self.reasons, self.affinity)


class Engagement(UnionOwned):
    """A piece of work an expert took on in the system (council seat, review, judging), and whether it was done
    on time: the expert's record of past work."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="engagements")
    role = models.CharField(_("role"), max_length=100)
    title = models.CharField(_("work"), max_length=255)
    batch_item = models.ForeignKey(BatchItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-assigned_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.role}: {self.title}"

    @property
    def on_time(self) -> bool | None:
        if self.completed_on is None or self.due_on is None:
            return None
        return self.completed_on <= self.due_on

    def is_late(self, today: datetime.date) -> bool:
        """Not done, and its due date has passed."""
        return self.completed_on is None and self.due_on is not None and self.due_on < today
