"""Consulting, critique and social assessment (TVPB&GĐXH) under Decision 14/2014/QĐ-TTg and Decision
48/2017/QĐ-UBND: a case from the request (or the Union's own initiative) to the signed report, the agency's answer
to each recommendation and the later assessment of their implementation.

A case moves through its states only by the transitions below, called from `services`; the council is a set of
seats (experts with a role), each reviewer writes one structured review and anchors comments to paragraphs of the
draft; the secretary consolidates them into numbered recommendations; the agency answers each one."""

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.core.fsm import requirement
from lienhiep.core.models import AdminUnit, Agency, Person, UnionOwned
from lienhiep.core.text import fold, normalize
from lienhiep.experts.models import Engagement, Expert, Field
from lienhiep.experts.parties import Parties
from lienhiep.experts.why import Why


class Kind(models.TextChoices):
    CONSULTING = "consulting", _("Consulting")
    CRITIQUE = "critique", _("Critique")
    ASSESSMENT = "assessment", _("Social assessment")


KIND_PREFIX = {Kind.CONSULTING: "TV", Kind.CRITIQUE: "PB", Kind.ASSESSMENT: "GĐ"}
# The report's Vietnamese name per kind (prescribed wording of the document, not interface text).
REPORT_TITLE = {  # the report is a BÁO CÁO (Decree 30/2020) whose subject names the work
    Kind.CONSULTING: "BÁO CÁO KẾT QUẢ TƯ VẤN",
    Kind.CRITIQUE: "BÁO CÁO KẾT QUẢ PHẢN BIỆN",
    Kind.ASSESSMENT: "BÁO CÁO KẾT QUẢ GIÁM ĐỊNH XÃ HỘI",
}


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    COUNCIL_PENDING = "council_pending", _("Council awaiting approval")
    COUNCIL_FORMED = "council_formed", _("Council formed")
    REVIEWING = "reviewing", _("Reviewing")
    CONSOLIDATING = "consolidating", _("Consolidating")
    REPORT_PENDING = "report_pending", _("Report awaiting signature")
    REPORT_SIGNED = "report_signed", _("Report signed")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    ASSESSED = "assessed", _("Assessed")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("request", "Withdrawn")


MAIN_LINE = [s for s in Status if s not in (Status.DECLINED, Status.WITHDRAWN)]
FINISHED = (Status.CLOSED, Status.DECLINED, Status.WITHDRAWN)
WITHDRAWABLE = (Status.RECEIVED, Status.ACCEPTED, Status.COUNCIL_PENDING, Status.COUNCIL_FORMED, Status.REVIEWING)
# Where council members work on the draft (and may open it).
MEMBER_STAGES = (
    Status.COUNCIL_FORMED,
    Status.REVIEWING,
    Status.CONSOLIDATING,
    Status.REPORT_PENDING,
    Status.REPORT_SIGNED,
    Status.SENT,
    Status.ANSWERED,
    Status.ASSESSED,
)
AFTER_REPORT = (Status.SENT, Status.ANSWERED, Status.ASSESSED, Status.CLOSED)
# Days each stage may take by default (typical; the stage deadline can be changed per case).
STAGE_DAYS = {
    Status.RECEIVED: 7,
    Status.ACCEPTED: 10,
    Status.COUNCIL_PENDING: 5,
    Status.COUNCIL_FORMED: 5,
    Status.REVIEWING: 15,
    Status.CONSOLIDATING: 10,
    Status.REPORT_PENDING: 5,
    Status.REPORT_SIGNED: 3,
    Status.SENT: 30,
}


class FormOfWork(models.TextChoices):
    COUNCIL = "council", _("Council")
    GROUP = "group", _("Expert group")
    SEMINAR = "seminar", _("Seminar")
    WRITTEN = "written", _("Written opinions")


class Origin(models.TextChoices):
    REQUEST = "request", _("Request of an agency")
    INITIATIVE = "initiative", _("The Union's own initiative")


class Case(UnionOwned):
    """One piece of consulting, critique or social assessment work (hồ sơ tư vấn, phản biện, giám định)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CRITIQUE)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.REQUEST)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the year"))
    title = models.CharField(_("title of the draft"), max_length=500)
    summary = models.TextField(
        _("summary of the draft"), blank=True, help_text=_("What the draft is about: used to find experts")
    )
    fields = models.ManyToManyField(Field, verbose_name=_("fields"), blank=True, related_name="+")
    requesting_agency = models.ForeignKey(
        Agency,
        verbose_name=_("requesting agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advisory_requests",
    )
    drafting_agency = models.ForeignKey(
        Agency, verbose_name=_("drafting agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authors = models.ManyToManyField(Person, verbose_name=_("drafting team"), blank=True, related_name="+")
    # Members the requesting agency names who are not in the Union's registry (it may not browse the registry):
    # staff read them, and link those who are in it to `authors` (conflicts of interest are checked on records).
    drafting_team_note = models.TextField(_("other members of the drafting team"), blank=True, max_length=2000)
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request_number = models.CharField(
        _("request letter number"), max_length=50, blank=True, help_text=_("e.g. 215/UBND-KT")
    )
    request_date = models.DateField(_("request letter date"), null=True, blank=True)
    requested_deadline = models.DateField(_("answer wanted by"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    form_of_work = models.CharField(
        _("form of work"), max_length=20, choices=FormOfWork.choices, default=FormOfWork.COUNCIL
    )
    council_size = models.PositiveSmallIntegerField(_("experts wanted"), default=5)
    status = FSMField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    stage_due_on = models.DateField(_("current stage due on"), null=True, blank=True)
    review_due_on = models.DateField(_("reviews due on"), null=True, blank=True)
    share_comments = models.BooleanField(
        _("members see each other's comments while consolidating"),
        default=True,
        help_text=_("Before consolidation every member sees only their own comments."),
    )
    draft_published = models.BooleanField(
        _("the draft is public"), default=False, help_text=_("If not, members lose access when the case closes.")
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    conclusion = models.TextField(
        _("general conclusion of the report"), blank=True, help_text=_("The Union's overall opinion of the draft")
    )
    signatory = models.ForeignKey(
        Person, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_local_project = models.ForeignKey(
        "outreach.LocalProject",
        verbose_name=_("from the local project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advisory_cases",
    )
    original_case = models.ForeignKey(
        "self",
        verbose_name=_("assesses the implementation of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_cases",
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    search_folded = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["search_folded"])

    @property
    def is_sent(self) -> bool:
        return self.status == Status.SENT

    @property
    def is_reviewing(self) -> bool:
        return self.status == Status.REVIEWING

    @property
    def is_consolidating(self) -> bool:
        return self.status == Status.CONSOLIDATING

    @property
    def is_council_pending(self) -> bool:
        return self.status == Status.COUNCIL_PENDING

    class Meta:
        verbose_name = _("advisory case")
        verbose_name_plural = _("advisory cases")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["union", "year", "seq"], name="advisory_case_number")]
        indexes = [models.Index(fields=["union", "status", "stage_due_on"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def save(self, *args, **kwargs):
        self.title = normalize(self.title)
        agency = self.requesting_agency.name if self.requesting_agency_id else ""
        self.search_folded = fold(f"{self.code} {self.title} {agency} {self.request_number}")
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        """PB-03/2022: the kind's prefix, the number in the year and the year."""
        if self.seq is None:
            return KIND_PREFIX.get(self.kind, "HS")
        return f"{KIND_PREFIX.get(self.kind, 'HS')}-{self.seq:02d}/{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("advisory:case_detail", args=[self.union.slug, self.pk])

    def report_title(self) -> str:
        return REPORT_TITLE.get(self.kind, "BÁO CÁO")

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def shows_stage_due(self) -> bool:
        """A stage deadline is shown while the Union waits for a step (not once the agency has answered)."""
        return (
            bool(self.stage_due_on) and not self.is_finished and self.status not in (Status.ANSWERED, Status.ASSESSED)
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or datetime.date.today()
        return self.stage_due_on is not None and not self.is_finished and self.stage_due_on < today

    def members_may_open_draft(self) -> bool:
        """Council members work on the draft from the council's forming; access ends when the case is over,
        unless the draft has been made public."""
        return self.status in MEMBER_STAGES or self.draft_published

    def stage_list(self) -> list[tuple[str, str]]:
        """The stages to show as the case's path: the main line, or where a declined or withdrawn case stopped."""
        if self.status in (Status.DECLINED, Status.WITHDRAWN):
            line = [Status.RECEIVED, self.status]
        else:
            line = MAIN_LINE
        return [(Status(s).value, Status(s).label) for s in line]

    def stages_done(self) -> list[str]:
        if self.status in MAIN_LINE:
            return [s.value for s in MAIN_LINE[: MAIN_LINE.index(self.status)]]
        return [Status.RECEIVED.value]

    def conflict_parties(self, authors: Iterable[int] | None = None):
        """Who is involved in the case; `authors` (the drafting team's person ids) when they were read already."""
        agencies = tuple(a for a in (self.requesting_agency_id, self.drafting_agency_id) if a)
        if authors is None:  # prefetched in lists
            authors = tuple(author.pk for author in self.authors.all()) if self.pk else ()
        return Parties(
            item=self,
            kind="advisory",
            agencies=agencies,
            authors=tuple(authors),
            locality=self.admin_unit_id,
        )

    def matching_text(self) -> str:
        return f"{self.title}. {self.summary}"

    # What a step still waits for (None: nothing). The transitions below name them as their conditions.

    def missing_for_acceptance(self) -> list[str]:
        """What the dossier still lacks (the request letter, its number and date, the draft)."""
        missing = []
        kinds = set(self.files.values_list("kind", flat=True))
        if self.origin == Origin.REQUEST:
            if not self.requesting_agency_id:
                missing.append(str(_("the requesting agency")))
            if not self.request_number or not self.request_date:
                missing.append(str(_("the request letter's number and date")))
            if CaseFile.Kind.REQUEST_LETTER not in kinds:
                missing.append(str(_("the request letter (file)")))
        if CaseFile.Kind.DRAFT not in kinds and not self.original_case_id:  # an assessment works on the original's
            missing.append(str(_("the draft (file)")))
        return missing

    def council_gaps(self) -> list[str]:
        """What keeps the council from going to the leader: nobody on it; for a council, no chair or no reviewer.
        (A conflict of interest that appeared since is checked again by the service, against the registry.)"""
        roles = list(self.seats.values_list("role", flat=True))
        if not roles:
            return [str(_("Nobody sits on the case yet."))]
        gaps = []
        if self.form_of_work == FormOfWork.COUNCIL:
            if Seat.Role.CHAIR not in roles:
                gaps.append(str(_("The council has no chair.")))
            if Seat.Role.REVIEWER not in roles:
                gaps.append(str(_("The council has no reviewer (phản biện).")))
        return gaps

    def _dossier_complete(self) -> str | None:
        missing = self.missing_for_acceptance()
        return _("The dossier is not complete: %s.") % ", ".join(missing) if missing else None

    def _council_complete(self) -> str | None:
        return " ".join(self.council_gaps()) or None

    def _some_review_in(self) -> str | None:
        states = list(self.reviews.values_list("state", flat=True))
        done = states.count(Review.State.SUBMITTED)
        if done:
            return None
        return _("%(done)d/%(total)d members have submitted their review.") % {"done": done, "total": len(states)}

    def reviews_outstanding(self) -> str:
        """Who has not submitted a review yet, and by when it was due (empty when every review is in)."""
        reviews = list(self.reviews.select_related("seat__expert__person"))
        missing = [review for review in reviews if not review.is_submitted]
        if not missing:
            return ""
        text = _("%(done)d of %(total)d reviews are in; still missing: %(names)s.") % {
            "done": len(reviews) - len(missing),
            "total": len(reviews),
            "names": ", ".join(str(review.seat.expert) for review in missing),
        }
        if self.review_due_on:
            text += " " + _("Reviews were due on %(date)s.") % {"date": date_format(self.review_due_on, "d/m/Y")}
        return text

    def _confirm_early_consolidation(self) -> str:
        if outstanding := self.reviews_outstanding():
            return _("%(outstanding)s Start the consolidation anyway?") % {"outstanding": outstanding}
        return ""

    def _report_written(self) -> str | None:
        if not self.recommendations.exists():
            return _("Write at least one recommendation before submitting the report.")
        if not self.conclusion.strip():
            return _("Write the report's general conclusion first.")
        return None

    # Transitions: each says which move is allowed, who may make it (a permission of rules.py) and what it waits
    # for; the services do the rest. A transition with a label is offered as a step on the case's page. ----------

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.ACCEPTED,
        permission="advisory.manage_case",
        conditions=[requirement(_dossier_complete)],
        custom={"label": _("Accept the request"), "style": "success"},
    )
    def accept(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.DECLINED,
        permission="advisory.manage_case",
        custom={"label": _("Decline"), "style": "outline-danger", "reason": _("Reason the agency will read")},
    )
    def decline(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=Status.COUNCIL_PENDING,
        permission="advisory.manage_case",
        conditions=[requirement(_council_complete)],
        custom={"label": _("Submit the council to the leader")},
    )
    def submit_council(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.COUNCIL_PENDING,
        target=Status.COUNCIL_FORMED,
        permission="advisory.decide_case",
        conditions=[requirement(_council_complete)],
        custom={"label": _("Approve the council"), "style": "success"},
    )
    def approve_council(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.COUNCIL_PENDING,
        target=Status.ACCEPTED,
        permission="advisory.decide_case",
        custom={"label": _("Return to staff"), "style": "outline-secondary", "reason": _("What should change")},
    )
    def return_council(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.COUNCIL_FORMED,
        target=Status.REVIEWING,
        permission="advisory.manage_case",
        custom={"label": _("Send the draft to the members"), "date": ("review_due_on", _("Reviews due on"))},
    )
    def start_review(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.REVIEWING,
        target=Status.CONSOLIDATING,
        permission="advisory.manage_case",
        conditions=[requirement(_some_review_in)],
        custom={
            "label": _("Start the consolidation"),
            "style": "outline-success",
            "notice": reviews_outstanding,
            "confirm": _confirm_early_consolidation,
        },
    )
    def start_consolidation(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.CONSOLIDATING,
        target=Status.REPORT_PENDING,
        permission="advisory.consolidate_case",
        conditions=[requirement(_report_written)],
        custom={"label": _("Submit the report for signature"), "style": "success"},
    )
    def submit_report(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.REPORT_PENDING,
        target=Status.REPORT_SIGNED,
        permission="advisory.decide_case",
        custom={
            "label": _("Sign the report"),
            "style": "success",
            "confirm": _("Sign the report? It takes the next number of the register."),
        },
    )
    def sign_report(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.REPORT_PENDING,
        target=Status.CONSOLIDATING,
        permission="advisory.decide_case",
        custom={"label": _("Return for changes"), "style": "outline-secondary", "reason": _("What should change")},
    )
    def return_report(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.REPORT_SIGNED,
        target=Status.SENT,
        permission="advisory.manage_case",
        custom={"label": _("Send the report")},
    )
    def send_report(self) -> None:
        pass

    # taken on the answers page, when the agency has answered every recommendation
    @transition(field=status, source=Status.SENT, target=Status.ANSWERED, permission="advisory.follow_up_case")
    def record_answers(self) -> None:
        pass

    # taken on the implementation page, with the first assessment recorded
    @transition(
        field=status,
        source=[Status.ANSWERED, Status.ASSESSED],
        target=Status.ASSESSED,
        permission="advisory.manage_case",
    )
    def record_assessment(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.SENT, Status.ANSWERED, Status.ASSESSED],
        target=Status.CLOSED,
        permission="advisory.manage_case",
        custom={
            "label": _("Close the case"),
            "style": "outline-secondary",
            "confirm": _("Close and archive the case? Members lose access to the draft unless it is public."),
        },
    )
    def close(self) -> None:
        pass

    @transition(
        field=status,
        source=list(WITHDRAWABLE),
        target=Status.WITHDRAWN,
        permission="advisory.withdraw_case",
        custom={
            "label": _("Withdraw the request"),
            "style": "outline-danger",
            "reason": _("Why the request is withdrawn"),
            "tucked": True,
        },
    )
    def withdraw(self) -> None:
        pass


def case_file_path(instance: "CaseFile", filename: str) -> str:
    return f"{instance.union_id}/advisory/{instance.case_id}/{uuid.uuid4().hex}{instance.extension}"


class CaseFile(UnionOwned):
    """A file of the case: the request letter, the draft (confidential), its explanation and annexes, the agency's
    final document. Stored privately; served only by the case's download view, which logs every download."""

    class Kind(models.TextChoices):
        REQUEST_LETTER = "request_letter", _("Request letter")
        DRAFT = "draft", pgettext_lazy("document", "Draft")
        EXPLANATION = "explanation", _("Explanatory report (tờ trình)")
        ANNEX = "annex", _("Annex")
        ANSWER = "answer", _("The agency's answer or final document")

    CONFIDENTIAL = (Kind.DRAFT, Kind.EXPLANATION, Kind.ANNEX)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind of file"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=case_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=10)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_confidential(self) -> bool:
        return self.kind in self.CONFIDENTIAL


class DraftParagraph(models.Model):
    """A numbered paragraph of the draft (from its DOCX), or one page of a PDF-only draft."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="paragraphs")
    source = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveIntegerField(_("paragraph"))
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    text = models.TextField(_("text"))
    is_heading = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="advisory_paragraph_number")]

    def __str__(self) -> str:
        return self.anchor_label()

    def anchor_label(self) -> str:
        if self.page is not None:
            return str(_("page %(n)s") % {"n": self.page})
        return str(_("paragraph %(n)s") % {"n": self.number})


class Seat(UnionOwned):
    """An expert's place on the case's council or group, with their role. Proposed by the matching engine or
    placed by hand (conflicts checked), approved with the council by the leader."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARY = "secretary", _("Secretary")
        REVIEWER = "reviewer", _("Reviewer (phản biện)")
        MEMBER = "member", _("Member")

    ROLE_ORDER = [Role.CHAIR, Role.VICE_CHAIR, Role.REVIEWER, Role.MEMBER, Role.SECRETARY]
    SINGLE = (Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARY)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seats")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    affinity = models.FloatField(default=0)
    reasons = models.JSONField(default=dict, blank=True)
    by_hand = models.BooleanField(default=False)
    secretary_reviews = models.BooleanField(
        _("the secretary also writes a review"),
        default=False,
        help_text=_("The secretary keeps the minutes and writes no review unless this is ticked."),
    )
    engagement = models.OneToOneField(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="advisory_seat"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        ordering = ["case", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "expert"], name="advisory_seat_unique")]

    def __str__(self) -> str:
        return f"{self.expert} — {self.get_role_display()}"

    @property
    def is_secretary(self) -> bool:
        return self.role == self.Role.SECRETARY

    @property
    def writes_review(self) -> bool:
        """Whether the seat gets a review to write when the review starts: every member does; the secretary only
        when staff ticked it."""
        return self.role != self.Role.SECRETARY or self.secretary_reviews

    @property
    def why(self) -> Why | None:
        """Why the engine proposed this expert, as the council page shows it (None: placed by hand)."""
        return Why.of(self.reasons, self.affinity)


class Review(UnionOwned):
    """One member's structured opinion (the sections the regulation expects), draft until submitted."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being written")
        SUBMITTED = "submitted", _("Submitted")

    SECTIONS = (
        "legal_basis",
        "necessity",
        "objectives",
        "feasibility",
        "resources",
        "impact",
        "conclusions",
        "recommendations",
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    seat = models.OneToOneField(Seat, on_delete=models.CASCADE, related_name="review")
    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    legal_basis = models.TextField(_("Legal and political basis"), blank=True)
    necessity = models.TextField(_("Necessity"), blank=True)
    objectives = models.TextField(_("Objectives and targets"), blank=True)
    feasibility = models.TextField(_("Feasibility of the solutions"), blank=True)
    resources = models.TextField(_("Resources (funding, people, time)"), blank=True)
    impact = models.TextField(_("Socio-economic and environmental impact"), blank=True)
    conclusions = models.TextField(_("Conclusions"), blank=True)
    recommendations = models.TextField(_("Recommendations"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.seat.expert} · {self.case.code}"

    def sections(self) -> list[tuple[str, str, str]]:
        """(name, label, text) of every section, in the regulation's order."""
        return [(name, str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in self.SECTIONS]

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    def is_late(self, today: datetime.date | None = None) -> bool:
        """Late: still not submitted after its due date, or submitted after it."""
        if self.due_on is None:
            return False
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due_on
        return (today or datetime.date.today()) > self.due_on

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=state, source=State.SUBMITTED, target=State.DRAFT)
    def reopen(self) -> None:
        pass


class Comment(UnionOwned):
    """A member's comment anchored to one paragraph (or page) of the draft."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.ForeignKey(DraftParagraph, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment on the draft")
        verbose_name_plural = _("comments on the draft")
        ordering = ["paragraph__number", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


# The council's meeting, the recommendations and what follows them live in models_followup (kept importable from
# here, where the rest of the code looks for them).
from lienhiep.advisory.models_followup import (  # noqa: E402
    AnnualReport,
    AnswerReminder,
    AssessmentEntry,
    Meeting,
    MeetingItem,
    Recommendation,
    ReviewReminder,
)

__all__ = [
    "AnnualReport",
    "AnswerReminder",
    "AssessmentEntry",
    "Case",
    "CaseFile",
    "Comment",
    "DraftParagraph",
    "Meeting",
    "MeetingItem",
    "Recommendation",
    "Review",
    "ReviewReminder",
    "Seat",
]
