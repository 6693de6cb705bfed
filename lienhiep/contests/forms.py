"""Forms of the contests. Choices always come from the Union (and edition) in the URL."""

from decimal import Decimal

from django import forms
from django.forms import modelformset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lienhiep.contests.judging import entries_in_round
from lienhiep.contests.models import (
    AgeGroup,
    AwardTier,
    ContestField,
    Contributor,
    Criterion,
    DossierItem,
    Edition,
    Entry,
    Round,
)
from lienhiep.contests.queries import workplaces_to_choose
from lienhiep.core.forms import AdminUnitChoiceField, SafeForm, SafeModelForm, admin_unit_choices
from lienhiep.core.models import Agency, Union
from lienhiep.core.widgets import Picker, agency_hint, offer_choice
from lienhiep.experts.forms import offer_experts
from lienhiep.experts.models import Expert
from lienhiep.experts.models import Field as ExpertField
from lienhiep.experts.queries import experts_to_choose


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


class EditionForm(SafeModelForm):
    class Meta:
        model = Edition
        fields = [
            "kind",
            "title",
            "number",
            "period",
            "code",
            "summary",
            "announced_on",
            "registration_opens_at",
            "registration_closes_at",
            "submission_deadline",
            "results_on",
            "ceremony_on",
            "age_cutoff",
            "min_age",
            "max_age",
            "school_levels",
            "max_team",
            "eligibility_note",
            "disagreement_gap",
            "tie_break",
            "mentor_certificates",
            "national_quota",
        ]
        widgets = {
            "announced_on": DateInput(),
            "results_on": DateInput(),
            "ceremony_on": DateInput(),
            "age_cutoff": DateInput(),
            "registration_opens_at": DateTimeInput(),
            "registration_closes_at": DateTimeInput(),
            "submission_deadline": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "eligibility_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        taken = Edition.objects.filter(union=self.union, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another edition already uses this code."))
        return code

    def clean(self):
        data = super().clean()
        lo, hi = data.get("min_age"), data.get("max_age")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_age", _("The oldest age must not be below the youngest."))
        if data.get("kind") == Edition.Kind.YOUTH and not data.get("age_cutoff"):
            self.add_error("age_cutoff", _("A youth contest counts ages at a cut-off date."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        return data

    def save(self, commit: bool = True):
        self.instance.union = self.union
        return super().save(commit)


class CopyForm(SafeForm):
    title = forms.CharField(label=_("Title of the new edition"), max_length=300)
    number = forms.IntegerField(label=_("Edition number"), min_value=1)
    period = forms.CharField(label=_("Years"), max_length=30)
    code = forms.CharField(label=_("Code"), max_length=12)
    years = forms.IntegerField(label=_("Move every date by (years)"), min_value=0, max_value=20)


SETUP_FORMS = {
    "fields": (ContestField, ["code", "name", "expert_field"]),
    "age_groups": (AgeGroup, ["name", "min_age", "max_age"]),
    "dossier_items": (DossierItem, ["order", "name", "kind", "required", "shown_to_judges"]),
    "tiers": (AwardTier, ["rank", "name", "min_score", "quota_per_field", "quota_overall", "prize_amount", "special"]),
    "rounds": (
        Round,
        [
            "order",
            "name",
            "judges_per_entry",
            "max_load",
            "starts_on",
            "due_on",
            "advance",
            "advance_score",
            "advance_count",
        ],
    ),
}


def setup_formset(part: str, edition: Edition, data=None):
    model, fields = SETUP_FORMS[part]
    widgets = {"starts_on": DateInput(), "due_on": DateInput()} if part == "rounds" else {}
    formset_class = modelformset_factory(
        model, form=SafeModelForm, fields=fields, extra=2, can_delete=True, widgets=widgets
    )
    queryset = model.objects.filter(edition=edition)
    formset = formset_class(data, queryset=queryset, prefix=part)
    if part == "fields":
        for form in formset.forms:
            form.fields["expert_field"].queryset = ExpertField.objects.filter(union=edition.union_id)
    return formset


def rubric_formset(round: Round, data=None):
    formset_class = modelformset_factory(
        Criterion,
        form=SafeModelForm,
        fields=["order", "code", "name", "max_points", "weight", "description"],
        extra=2,
        can_delete=True,
        widgets={"description": forms.Textarea(attrs={"rows": 2})},
    )
    return formset_class(data, queryset=Criterion.objects.filter(round=round), prefix="criteria")


class EntryForm(SafeModelForm):
    class Meta:
        model = Entry
        fields = ["field", "title", "summary", "locality", "school", "school_level"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["field"].queryset = ContestField.objects.filter(edition=edition)
        self.fields["locality"] = AdminUnitChoiceField(
            label=_("Locality"),
            queryset=admin_unit_choices(self.instance.locality if self.instance.pk else None).exclude(level="province"),
            help_text=_("The district or commune where the authors live or the solution is applied"),
        )
        if not edition.is_youth:
            del self.fields["school"]
            del self.fields["school_level"]
        else:
            school = self.fields["school"]
            school.queryset = workplaces_to_choose(edition.union_id, Agency.Kind.SCHOOL)
            school.required = True
            school.error_messages["invalid_choice"] = _("Choose a school of the Union's list.")
            # typed, not the whole list: the Union's schools, from the endpoint once the list is long
            url = workplaces_url(edition.union.slug, Agency.Kind.SCHOOL)
            offer_choice(school, url, hint=school_hint)


class ContributorForm(SafeForm):
    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Contributor.Role.choices, initial=Contributor.Role.AUTHOR)
    share = forms.DecimalField(label=_("Share (%)"), required=False, min_value=Decimal("0.01"), max_value=100)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    agency = forms.ModelChoiceField(
        label=_("Workplace or school"),
        queryset=Agency.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a workplace or school of the Union's list.")},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        # Searched as the person types (one row of up to 12 would otherwise list every agency of the Union): the
        # page holds only the chosen one, which an edit page and a form with errors keep.
        agency.widget = Picker(workplaces_url(union.slug), hint=agency_hint, preload=False)
        agency.queryset = workplaces_to_choose(union)


def school_hint(agency: Agency) -> str:
    """A school's short name under its name (its kind would be the same for every school)."""
    return agency.short_name


def workplaces_url(union_slug: str, kind: str = "") -> str:
    """The endpoint the pickers of an entry's form ask (`entry_views.workplaces_pick`), for one kind of agency."""
    url = reverse("contests:workplaces_pick", args=[union_slug])
    return f"{url}?kind={kind}" if kind else url


def contributor_formset(union: Union, data=None, initial=None, extra: int = 2):
    formset_class = forms.formset_factory(ContributorForm, extra=extra, max_num=12)
    return formset_class(data, initial=initial, prefix="people", form_kwargs={"union": union})


class EntryFileForm(SafeForm):
    item = forms.ModelChoiceField(label=_("Dossier item"), queryset=DossierItem.objects.none())
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF, Word, Excel, PNG or JPEG"))
    url = forms.URLField(label=_("Link"), required=False, help_text=_("For a video or a web page"))

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = DossierItem.objects.filter(edition=edition)


class ScreenForm(SafeForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept for judging")),
            ("return", _("Return for completion")),
            ("reject", _("Reject as ineligible")),
        ],
    )
    note = forms.CharField(
        label=_("Note to the entrant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return or reject: the entrant reads it."),
    )
    until = forms.DateTimeField(
        label=_("May be completed until"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("When returning: empty = 7 days from now"),
    )


class ReceivedForm(SafeForm):
    received_at = forms.DateTimeField(
        label=_("Paper dossier received at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("The deadline is checked against this moment (e.g. the postmark)."),
    )


class ReopenForm(SafeForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateTimeField(
        label=_("May be completed until"), required=False, widget=DateTimeInput(), help_text=_("Empty = 7 days")
    )


class JuryForm(SafeForm):
    experts = forms.ModelMultipleChoiceField(label=_("Judges"), queryset=Expert.objects.none(), required=False)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts_to_choose(union)
        self.fields["experts"].label_from_instance = lambda e: f"{e.person.display_title()} ({e.code})"
        offer_experts(self.fields["experts"], union)  # typed, not a list of the whole registry


class PlaceForm(SafeForm):
    entry = forms.ModelChoiceField(label=_("Entry"), queryset=Entry.objects.none())
    expert = forms.ModelChoiceField(label=_("Judge"), queryset=Expert.objects.none())

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["entry"].queryset = entries_in_round(round)
        self.fields["expert"].queryset = experts_to_choose(round.edition.union)
        self.fields["expert"].label_from_instance = lambda e: f"{e.person.display_title()} ({e.code})"
        offer_experts(self.fields["expert"], round.edition.union)


class RecuseForm(SafeForm):
    reason = forms.CharField(
        label=_("The conflict of interest"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. I advised the authors while they built it"),
    )


class AdjustForm(SafeForm):
    tier = forms.ModelChoiceField(label=_("Award"), queryset=AwardTier.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = AwardTier.objects.filter(edition=edition)
        self.fields["tier"].empty_label = _("No award")


class ApproveForm(SafeForm):
    number = forms.CharField(
        label=_("Decision number"),
        max_length=50,
        required=False,
        help_text=_("Empty for the next number of the register, or the number taken on paper, e.g. 25."),
    )
    day = forms.DateField(label=_("Decision date"), widget=DateInput())
    signatory = forms.CharField(label=_("Signed by"), max_length=200)


class ReasonForm(SafeForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class NominateForm(SafeForm):
    entries = forms.ModelMultipleChoiceField(
        label=_("Entries sent to the national contest"),
        queryset=Entry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = (
            Entry.objects.filter(edition=edition, award__tier__isnull=False)
            .select_related("award__tier")
            .order_by("award__tier__rank", "-award__score")
        )
        self.fields["entries"].label_from_instance = lambda e: f"{e.number} — {e.title} ({e.award.tier.name})"


class ImportForm(SafeForm):
    file = forms.FileField(label=_("Excel file (XLSX)"))
