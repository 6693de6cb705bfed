"""Forms of the outreach pages: choices come from the Union only; errors are explained in the user's language."""

import datetime

from django import forms
from django.db.models import Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lienhiep.contests.models import Edition
from lienhiep.core.forms import SafeForm, TimeTextField, UnionScopedForm
from lienhiep.core.models import AdminUnit, Agency, Membership, Person, Union
from lienhiep.core.rules import STAFF_ROLES
from lienhiep.core.widgets import agency_hint, offer_choice, offer_locality, person_hint
from lienhiep.outreach.models import (
    ActionItem,
    AgendaItem,
    ContestPromotion,
    LocalProject,
    PlannedVisit,
    Topic,
    WorkPlan,
    WorkSession,
)
from lienhiep.portal.models import LegalDocument
from lienhiep.portal.queries import document_hint

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def locality_choices(union: Union):
    """The Union's province and the units under it (two levels), including units abolished since, so that a
    2021 session can name its district; plus today's units under the province's successors."""
    province = union.province
    if province is None:
        return AdminUnit.objects.none()
    query = Q(pk=province.pk) | Q(parent=province) | Q(parent__parent=province)
    successors = list(province.successors.values_list("pk", flat=True))
    if successors:
        query |= Q(pk__in=successors) | (Q(parent__in=successors) & AdminUnit.valid_on_q(datetime.date.today()))
    current = Case(When(AdminUnit.valid_on_q(datetime.date.today()), then=Value(0)), default=Value(1))
    rank = Case(
        When(level=AdminUnit.Level.PROVINCE, then=Value(0)),
        When(level=AdminUnit.Level.DISTRICT, then=Value(1)),
        default=Value(2),
    )
    # today's units first; the abolished ones after them, for the sessions of their time
    return AdminUnit.objects.filter(query).select_related("parent").order_by(current, rank, "sort_key")


def unit_not_valid_message(unit: AdminUnit, day: datetime.date) -> str:
    """Why a unit cannot be chosen for that day, naming what replaced it (or since when it exists)."""
    if unit.valid_to and day > unit.valid_to:
        successors = ", ".join(s.full_path() for s in unit.successors.select_related("parent"))
        text = _("%(unit)s no longer existed on %(day)s (it was abolished after %(end)s).") % {
            "unit": unit.name,
            "day": day.strftime("%d/%m/%Y"),
            "end": unit.valid_to.strftime("%d/%m/%Y"),
        }
        if successors:
            text += " " + _("Choose the unit that replaced it: %(successors)s.") % {"successors": successors}
        return text
    return _("%(unit)s did not exist yet on %(day)s (it exists from %(start)s).") % {
        "unit": unit.name,
        "day": day.strftime("%d/%m/%Y"),
        "start": unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "—",
    }


class LocalityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        label = obj.full_path()
        if obj.valid_to:
            label += " " + str(_("(until %(day)s)") % {"day": obj.valid_to.strftime("%d/%m/%Y")})
        return label


# The registry's records the outreach forms choose from, with the endpoint of their picker and the hint it shows.
REGISTRY_PICKERS = {
    Person: ("core:people_pick", person_hint, "name_folded"),
    Agency: ("core:agencies_pick", agency_hint, "name_folded"),
    LegalDocument: ("portal:document_pick", document_hint, "search_folded"),
}


class OutreachForm(UnionScopedForm):
    """Union-scoped choices for the registry and this module's own records; localities of the Union's province."""

    locality_fields = ("admin_unit",)
    locality_day = ""  # the field naming the day the unit must exist on (the form checks it: check_valid_on)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, union=union, **kwargs)
        for name in self.locality_fields:
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = LocalityField(
                    label=old.label,
                    required=False,
                    queryset=locality_choices(union),
                    help_text=_("Units of the province, including those abolished since (for past sessions)."),
                )
                if self.locality_day:  # greyed out by that day rather than by the form's only date field
                    offer_locality(self.fields[name], self.locality_day)
        for field in self.fields.values():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model in (LegalDocument, WorkSession, PlannedVisit):
                field.queryset = model.objects.filter(union=union)
            if model is Person:
                field.queryset = field.queryset.select_related("agency")  # the picker's hint names the workplace
            if model in REGISTRY_PICKERS:  # staff choose from the Union's whole registry: a long list, searched
                url_name, hint, search_field = REGISTRY_PICKERS[model]
                offer_choice(field, reverse(url_name, args=[union.slug]), hint=hint, search_field=search_field)

    def check_valid_on(self, unit_field: str, day_field: str) -> None:
        unit, day = self.cleaned_data.get(unit_field), self.cleaned_data.get(day_field)
        if unit and day and not unit.is_valid_on(day):
            self.add_error(unit_field, unit_not_valid_message(unit, day))


class WorkPlanForm(OutreachForm):
    class Meta:
        model = WorkPlan
        fields = ["title", "number_symbol", "starts_on", "ends_on", "purpose"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "purpose": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The plan cannot end before it starts."))
        return data


class PlannedVisitForm(OutreachForm):
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    locality_day = "planned_on"

    class Meta:
        model = PlannedVisit
        fields = ["planned_on", "admin_unit", "agencies", "topics", "delegation", "note"]
        widgets = {"planned_on": DATE}

    def __init__(self, *args, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        data = super().clean()
        day = data.get("planned_on")
        if day and not (self.plan.starts_on <= day <= self.plan.ends_on):
            self.add_error(
                "planned_on",
                _("The date must fall within the plan (%(start)s – %(end)s).")
                % {"start": self.plan.starts_on.strftime("%d/%m/%Y"), "end": self.plan.ends_on.strftime("%d/%m/%Y")},
            )
        if not data.get("admin_unit") and not data.get("agencies"):
            self.add_error("admin_unit", _("Choose the locality or at least one agency."))
        self.check_valid_on("admin_unit", "planned_on")
        return data

    def save(self, commit: bool = True):
        self.instance.plan = self.plan
        return super().save(commit=commit)


class WorkSessionForm(OutreachForm):
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One agenda item per line, in order."),
    )
    locality_day = "held_on"

    class Meta:
        model = WorkSession
        fields = [
            "plan_visit",
            "title",
            "held_on",
            "starts_at",
            "place",
            "admin_unit",
            "agencies",
            "participants",
            "delegation",
            "documents",
            "summary",
        ]
        widgets = {
            "held_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"starts_at": TimeTextField}  # typed and shown 08:30, never 08:30 AM

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_visit"].queryset = PlannedVisit.objects.filter(union=self.union).select_related(
            "admin_unit", "plan"
        )
        if self.instance.pk and not self.is_bound:
            self.initial["agenda"] = "\n".join(self.instance.agenda_items.values_list("title", flat=True))

    def clean(self):
        data = super().clean()
        self.check_valid_on("admin_unit", "held_on")
        return data

    def clean_agenda(self) -> str:
        """Each line is an agenda item: none may be longer than an item's title can hold."""
        agenda = self.cleaned_data["agenda"]
        longest = AgendaItem._meta.get_field("title").max_length
        lines = [line.strip() for line in agenda.splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            if len(line) > longest:
                raise forms.ValidationError(
                    _("Agenda item %(number)s has %(length)s characters; an item may have at most %(max)s.")
                    % {"number": number, "length": len(line), "max": longest}
                )
        return agenda

    def agenda_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class MinutesForm(SafeForm):
    conclusion = forms.CharField(
        label=_("General conclusion"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    notice_number = forms.CharField(
        label=_("Notice number"),
        max_length=50,
        required=False,
        help_text=_("e.g. 15 if taken in the paper register; empty for the next number"),
    )
    signatory = forms.ModelChoiceField(
        label=_("Signed by"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The Union's delegation at the session and its officials."),
    )

    def __init__(self, *args, minutes, **kwargs):
        self.minutes = minutes
        entries = {e.agenda_item_id: e for e in minutes.entries.all()}
        initial = {
            "conclusion": minutes.conclusion,
            "notice_number": minutes.notice_number,
            "signatory": minutes.signatory_id,
        }
        self.items = list(minutes.session.agenda_items.all())
        for item in self.items:
            entry = entries.get(item.pk)
            initial[f"discussion_{item.pk}"] = entry.discussion if entry else ""
            initial[f"conclusion_{item.pk}"] = entry.conclusion if entry else ""
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["signatory"].queryset = signatories(minutes)
        union = minutes.session.union
        offer_choice(self.fields["signatory"], reverse("core:people_pick", args=[union.slug]), hint=person_hint)
        for item in self.items:
            self.fields[f"discussion_{item.pk}"] = forms.CharField(
                label=_("What was presented and said"), widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
            self.fields[f"conclusion_{item.pk}"] = forms.CharField(
                label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def item_fields(self):
        return [(item, self[f"discussion_{item.pk}"], self[f"conclusion_{item.pk}"]) for item in self.items]

    def entries(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data[f"discussion_{item.pk}"], self.cleaned_data[f"conclusion_{item.pk}"])
            for item in self.items
        }


def signatories(minutes) -> QuerySet[Person]:
    """Who may sign the conclusion notice: the Union's delegation at the session, the Union's officials (people
    whose account holds a staff role) and whoever signs it now. A short list, not the registry."""
    session = minutes.session
    officials = Membership.objects.active().filter(union=session.union, role__in=STAFF_ROLES).values("user_id")
    chosen = Q(pk__in=session.delegation.values("pk")) | Q(user_id__in=officials)
    if minutes.signatory_id:
        chosen |= Q(pk=minutes.signatory_id)
    return Person.objects.filter(chosen, union=session.union).select_related("agency").distinct()


class ReviseMinutesForm(SafeForm):
    reason = forms.CharField(label=_("Reason for the new version"), max_length=500)


class ActionItemForm(OutreachForm):
    locality_fields = ("locality",)

    class Meta:
        model = ActionItem
        fields = ["session", "agenda_item", "title", "owner_agency", "owner_person", "due_on", "locality", "evidence"]
        widgets = {
            "due_on": DATE,
            "title": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(session__union=self.union).select_related(
            "session"
        )
        self.fields["agenda_item"].label_from_instance = lambda i: f"{i.session.held_on:%d/%m/%Y} · {i}"
        self.fields["locality"].help_text = _("Empty: the session's locality, or the owner agency's.")

    def clean(self):
        data = super().clean()
        person, agency = data.get("owner_person"), data.get("owner_agency")
        if bool(person) == bool(agency):
            self.add_error("owner_agency", _("Choose one owner: an agency or a person, not both."))
        item, session = data.get("agenda_item"), data.get("session")
        if item and item.session_id != (session.pk if session else None):
            self.add_error("agenda_item", _("This agenda item belongs to another session."))
        return data


class ActionEvidenceForm(SafeForm):
    """The progress and evidence of an action item so far; its status moves by its steps."""

    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LocalProjectForm(OutreachForm):
    class Meta:
        model = LocalProject
        fields = [
            "name",
            "owner_agency",
            "admin_unit",
            "sector",
            "stage",
            "expected_decision_on",
            "learned_at",
            "description",
        ]
        widgets = {"expected_decision_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class ContestPromotionForm(OutreachForm):
    class Meta:
        model = ContestPromotion
        fields = ["contest_edition", "contest_name", "edition", "note"]

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, union=union, **kwargs)
        self.fields["contest_edition"].queryset = Edition.objects.filter(union=union)
        self.fields["contest_name"].required = False

    def clean(self):
        data = super().clean()
        linked = data.get("contest_edition")
        if linked and not data.get("contest_name"):
            data["contest_name"], data["edition"] = linked.title, data.get("edition") or linked.period
            self.instance.contest_name, self.instance.edition = data["contest_name"], data["edition"]
        if not data.get("contest_name"):
            self.add_error("contest_name", _("Name the contest, or choose its edition."))
        return data


class PhotoForm(SafeForm):
    file = forms.ImageField(label=_("Photo (JPEG or PNG)"))
    caption = forms.CharField(label=_("Caption"), max_length=255)
    credit = forms.CharField(label=_("Photo credit"), max_length=100, required=False)
