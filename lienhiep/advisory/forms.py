"""Forms of the advisory pages: choices come from the Union (and the case) only; errors in the user's language."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lienhiep.advisory.models import (
    AssessmentEntry,
    Case,
    CaseFile,
    DraftParagraph,
    MeetingItem,
    Origin,
    Recommendation,
    Review,
    Seat,
)
from lienhiep.advisory.services_work import AgendaLine
from lienhiep.core.forms import SafeForm, SafeModelForm, TimeTextField, UnionScopedForm, offer_agencies
from lienhiep.core.models import Person, Union
from lienhiep.core.widgets import offer_choice, offer_locality, person_hint
from lienhiep.experts.forms import offer_experts
from lienhiep.experts.models import Expert, Field
from lienhiep.experts.queries import experts_to_choose
from lienhiep.outreach.forms import DATE, LocalityField, locality_choices, unit_not_valid_message

MAX_AGENDA_ROWS = 12


class CaseForm(UnionScopedForm):
    """The request (or the Union's own case). A representative sends for their agency only and must give the
    letter and the draft; staff may complete the dossier later (acceptance checks it)."""

    request_letter = forms.FileField(label=_("Request letter (PDF or DOCX)"), required=False)
    draft = forms.FileField(
        label=_("Draft (DOCX preferred, or PDF)"),
        required=False,
        help_text=_("A Word draft is split into numbered paragraphs that experts comment on; a PDF into pages."),
    )
    explanation = forms.FileField(label=_("Explanatory report (tờ trình)"), required=False)
    annex = forms.FileField(label=_("Annex"), required=False)

    class Meta:
        model = Case
        fields = [
            "kind",
            "origin",
            "requesting_agency",
            "request_number",
            "request_date",
            "requested_deadline",
            "title",
            "summary",
            "fields",
            "drafting_agency",
            "authors",
            "drafting_team_note",
            "admin_unit",
            "received_on",
            "form_of_work",
            "council_size",
            "share_comments",
            "stage_due_on",
        ]
        widgets = {
            "stage_due_on": DATE,
            "request_date": DATE,
            "requested_deadline": DATE,
            "received_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "drafting_team_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args,
        union: Union,
        agencies=None,
        people=None,
        staff: bool = True,
        with_files: bool = True,
        **kwargs,
    ):
        """`people`: whom the drafting team may name (core.queries.people_to_choose); the Union's registry if not
        given (staff). An agency's representative is offered only its own people, never the Union's."""
        super().__init__(*args, union=union, **kwargs)
        self.staff = staff
        self.fields["authors"].queryset = (
            people if people is not None else Person.objects.filter(union=union).select_related("agency")
        )
        self.fields["authors"].help_text = (
            _("People of the agency known to the Union.")
            if not staff
            else _("Their conflicts of interest are checked when the council is formed.")
        )
        offer_choice(self.fields["authors"], reverse("core:people_pick", args=[union.slug]), hint=person_hint)
        self.fields["drafting_team_note"].help_text = (
            _("Members not listed above: one per line, full name and position.")
            if not staff
            else _("Names the agency gave; add those who are in the registry to the drafting team above.")
        )
        self.fields["admin_unit"] = LocalityField(
            label=_("Locality"),
            required=False,
            queryset=locality_choices(union),
            help_text=_("Units of the province, including those abolished since (for past cases)."),
        )
        offer_locality(self.fields["admin_unit"], "request_date", "received_on")  # searched; greyed by the day
        self.fields["fields"].queryset = Field.objects.filter(union=union)
        self.fields["fields"].widget = forms.CheckboxSelectMultiple()
        self.fields["fields"].choices = self.fields["fields"].choices  # rebind for the new widget
        if agencies is not None:
            self.fields["requesting_agency"].queryset = agencies
        # any public body of the Union may draft (an agency's representative sees the list too, never its people)
        offer_agencies(self.fields["drafting_agency"], union)
        if staff:  # a representative sends for the one or two agencies it speaks for: a short list as it is
            offer_agencies(self.fields["requesting_agency"], union)
        if not staff:
            for name in ("origin", "received_on", "form_of_work", "council_size", "share_comments"):
                del self.fields[name]
            self.fields["requesting_agency"].required = True
            self.fields["requesting_agency"].empty_label = None
            for name in ("request_number", "request_date"):
                self.fields[name].required = True
        else:
            self.fields["received_on"].required = False
            self.fields["received_on"].help_text = _("Empty: today.")
        if not with_files:
            for name in ("request_letter", "draft", "explanation", "annex"):
                del self.fields[name]
            self.fields["stage_due_on"].help_text = _("Set by each step from the usual days; change it if agreed.")
        else:
            del self.fields["stage_due_on"]
            if not staff:
                self.fields["request_letter"].required = True
                self.fields["draft"].required = True

    def clean(self):
        data = super().clean()
        if self.staff and data.get("origin") == Origin.REQUEST and not data.get("requesting_agency"):
            self.add_error("requesting_agency", _("Name the agency that sends the request."))
        deadline, day = data.get("requested_deadline"), data.get("request_date")
        if deadline and day and deadline < day:
            self.add_error("requested_deadline", _("The answer cannot be wanted before the letter was written."))
        unit = data.get("admin_unit")
        if unit and unit.pk != self.instance.admin_unit_id:  # the case's own unit stays, whatever became of it
            day = data.get("request_date") or data.get("received_on") or timezone.localdate()
            if not unit.is_valid_on(day):
                self.add_error("admin_unit", unit_not_valid_message(unit, day))
        size = data.get("council_size")
        if size is not None and not 1 <= size <= 15:
            self.add_error("council_size", _("Between 1 and 15 experts."))
        return data

    def files_to_store(self) -> list[tuple[str, object]]:
        kinds = {
            "request_letter": CaseFile.Kind.REQUEST_LETTER,
            "draft": CaseFile.Kind.DRAFT,
            "explanation": CaseFile.Kind.EXPLANATION,
            "annex": CaseFile.Kind.ANNEX,
        }
        return [(kind, self.cleaned_data[name]) for name, kind in kinds.items() if self.cleaned_data.get(name)]


class CaseFileForm(SafeForm):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=CaseFile.Kind.choices)
    file = forms.FileField(label=_("File"))


class ProposeForm(SafeForm):
    size = forms.IntegerField(label=_("Experts wanted"), min_value=1, max_value=15)


SECRETARY_NOTE = _("The secretary keeps the minutes and writes no review, unless you tick the box below.")


class SeatForm(SafeForm):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=Seat.Role.choices, initial=Seat.Role.MEMBER, help_text=SECRETARY_NOTE
    )
    secretary_reviews = forms.BooleanField(
        label=_("A secretary also writes a review"),
        required=False,
        help_text=_("Every other member writes one."),
    )

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts_to_choose(union)
        offer_experts(self.fields["expert"], union)


class ConflictForm(SeatForm):
    """A conflict of interest someone declared for this case (it keeps the expert off it)."""

    reason = forms.CharField(label=_("What the conflict is"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["role"]
        del self.fields["secretary_reviews"]


class RoleForm(SafeForm):
    """A row of the council table: the role, and on the secretary's row whether they also write a review
    (`reviews_asked` tells that the box was shown, so that an unticked box means «no review»)."""

    role = forms.ChoiceField(label=_("Role"), choices=Seat.Role.choices)
    secretary_reviews = forms.BooleanField(label=_("also writes a review"), required=False)
    reviews_asked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def secretary_reviews_given(self) -> bool | None:
        """The box's answer, or None when the row did not show it."""
        return self.cleaned_data["secretary_reviews"] if self.cleaned_data.get("reviews_asked") else None


class ReviewForm(SafeModelForm):
    class Meta:
        model = Review
        fields = list(Review.SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in Review.SECTIONS}


class PaperReviewForm(ReviewForm):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)

    class Meta(ReviewForm.Meta):
        fields = ["received_on", *Review.SECTIONS]


class CommentForm(SafeForm):
    """A comment on one paragraph: the draft's page gives each paragraph its own small form, which names the
    paragraph in a hidden field (the list of paragraphs is never offered as a choice)."""

    paragraph = forms.ModelChoiceField(
        label=_("Paragraph"), queryset=DraftParagraph.objects.none(), widget=forms.HiddenInput
    )
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].queryset = DraftParagraph.objects.filter(case=case)


class MeetingForm(SafeForm):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    quorum_percent = forms.IntegerField(
        label=_("Quorum: more than this percentage of the members"), min_value=0, max_value=99, initial=50
    )
    starts_at = TimeTextField(label=_("Started at"), required=False)  # typed and shown 08:30, never 08:30 AM
    ends_at = TimeTextField(label=_("Ended at"), required=False)
    chaired_by = forms.ModelChoiceField(label=_("Chaired by"), queryset=Seat.objects.none(), required=False)
    minutes_by = forms.ModelChoiceField(label=_("Minutes taken by"), queryset=Seat.objects.none(), required=False)
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"), queryset=Seat.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    conclusion = forms.CharField(
        label=_("Conclusion of the meeting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, case: Case, meeting=None, **kwargs):
        items = list(meeting.items.all()) if meeting else []
        initial = kwargs.pop("initial", {}) or {}
        if meeting:
            initial.update(
                held_on=meeting.held_on,
                place=meeting.place,
                quorum_percent=meeting.quorum_percent,
                present=list(meeting.present.values_list("pk", flat=True)),
                conclusion=meeting.conclusion,
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                chaired_by=meeting.chaired_by_id,
                minutes_by=meeting.minutes_by_id,
            )
        else:
            roles = dict(Seat.objects.filter(case=case).values_list("role", "pk"))
            initial.update(chaired_by=roles.get(Seat.Role.CHAIR), minutes_by=roles.get(Seat.Role.SECRETARY))
        self.rows = max(len(items) + 2, 4)
        for n in range(self.rows):
            item = items[n] if n < len(items) else MeetingItem()
            for name in ("title", "discussion", "conclusion", "votes_for", "votes_against", "votes_abstain"):
                initial[f"item{n}_{name}"] = getattr(item, name)
        super().__init__(*args, initial=initial, **kwargs)
        seats = Seat.objects.filter(case=case).select_related("expert__person")
        self.fields["present"].queryset = seats
        for name in ("present", "chaired_by", "minutes_by"):
            self.fields[name].queryset = seats
            self.fields[name].label_from_instance = lambda s: f"{s.expert} — {s.get_role_display()}"
        for n in range(self.rows):
            self.fields[f"item{n}_title"] = forms.CharField(label=_("Agenda item"), max_length=500, required=False)
            self.fields[f"item{n}_discussion"] = forms.CharField(
                label=_("Discussion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[f"item{n}_conclusion"] = forms.CharField(
                label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            for name, label in (
                ("votes_for", _("Votes for")),
                ("votes_against", _("Votes against")),
                ("votes_abstain", _("Abstentions")),
            ):
                self.fields[f"item{n}_{name}"] = forms.IntegerField(label=label, min_value=0, required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting ends after it starts."))
        return data

    def head_rows(self):
        """The fields above the attendance list, in rows of the page."""
        return [
            [self["held_on"], self["starts_at"], self["ends_at"]],
            [self["place"], self["quorum_percent"]],
            [self["chaired_by"], self["minutes_by"]],
        ]

    def item_rows(self):
        return [
            [self[f"item{n}_{name}"] for name in ("title", "discussion", "conclusion")]
            + [[self[f"item{n}_{name}"] for name in ("votes_for", "votes_against", "votes_abstain")]]
            for n in range(self.rows)
        ]

    def agenda(self):
        return [
            AgendaLine(
                title=self.cleaned_data[f"item{n}_title"],
                discussion=self.cleaned_data[f"item{n}_discussion"],
                conclusion=self.cleaned_data[f"item{n}_conclusion"],
                votes_for=self.cleaned_data[f"item{n}_votes_for"],
                votes_against=self.cleaned_data[f"item{n}_votes_against"],
                votes_abstain=self.cleaned_data[f"item{n}_votes_abstain"],
            )
            for n in range(self.rows)
        ]


PARAGRAPH_WORDS = 12


class ParagraphChoices(forms.ModelMultipleChoiceField):
    """The draft's paragraphs as checkboxes, each with its first words: «Đoạn 4 — Phát triển sâm Ngọc Linh…»."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: DraftParagraph) -> str:
        words = obj.text.split()
        start = " ".join(words[:PARAGRAPH_WORDS]) + ("…" if len(words) > PARAGRAPH_WORDS else "")
        return f"{capfirst(obj.anchor_label())} — {start}"


class RecommendationForm(SafeModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "category", "priority", "reviews", "paragraphs"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].queryset = Review.objects.filter(case=case, state=Review.State.SUBMITTED).select_related(
            "seat__expert__person"
        )
        self.fields["reviews"].label_from_instance = lambda r: str(r.seat.expert)
        self.fields["reviews"].widget = forms.CheckboxSelectMultiple(choices=self.fields["reviews"].choices)
        old = self.fields["paragraphs"]
        self.fields["paragraphs"] = ParagraphChoices(
            label=old.label, queryset=DraftParagraph.objects.filter(case=case), required=False
        )


class ConclusionForm(SafeForm):
    conclusion = forms.CharField(
        label=_("General conclusion of the report"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )


class AnswersForm(SafeForm):
    """One answer and explanation per recommendation, and the agency's letter: one form, so attaching the letter
    never throws away the answers typed so far."""

    letter = forms.FileField(
        label=_("The agency's answer or final document (PDF or DOCX)"),
        required=False,
        help_text=_("Optional; it is attached when you save the answers."),
    )

    def __init__(self, *args, recommendations: list[Recommendation], **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = recommendations
        for rec in recommendations:
            self.fields[f"response_{rec.pk}"] = forms.ChoiceField(
                label=_("Answer"),
                choices=[("", "—"), *Recommendation.Response.choices],
                required=False,
                initial=rec.response,
            )
            self.fields[f"explanation_{rec.pk}"] = forms.CharField(
                label=_("Explanation (tiếp thu, giải trình)"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=rec.explanation,
            )

    def rows(self):
        return [(rec, self[f"response_{rec.pk}"], self[f"explanation_{rec.pk}"]) for rec in self.recommendations]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            rec.pk: (self.cleaned_data[f"response_{rec.pk}"], self.cleaned_data[f"explanation_{rec.pk}"])
            for rec in self.recommendations
        }


class AssessmentForm(SafeForm):
    recommendation = forms.ModelChoiceField(label=_("Recommendation"), queryset=Recommendation.objects.none())
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=AssessmentEntry.Progress.choices)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = Recommendation.objects.filter(case=case)
        self.fields["recommendation"].label_from_instance = lambda r: f"{r.number}. {r.text[:100]}"


class YearForm(SafeForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
