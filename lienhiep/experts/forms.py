"""Forms of the expert registry. Choices come from the current Union only; errors are explained in Vietnamese."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lienhiep.core.forms import (
    AdminUnitChoiceField,
    SafeForm,
    SafeModelForm,
    UnionScopedForm,
    admin_unit_choices,
    offer_agencies,
)
from lienhiep.core.models import Person, Union
from lienhiep.core.params import IdModelMultipleChoiceField
from lienhiep.core.widgets import offer_choice, person_hint
from lienhiep.experts.models import Batch, BatchItem, Expert, Field, Relation
from lienhiep.experts.queries import experts_to_choose


def offer_people(field: forms.ModelChoiceField, union: Union) -> None:
    """A choice of the Union's people (staff's forms): the type-ahead picker over the registry (core:people_pick),
    each name with its position and workplace."""
    field.queryset = field.queryset.select_related("agency")
    offer_choice(field, reverse("core:people_pick", args=[union.slug]), hint=person_hint)


def offer_experts(field: forms.ModelChoiceField, union: Union) -> None:
    """A choice of the Union's experts: the picker over the experts who take work (experts:pick)."""
    offer_choice(field, reverse("experts:pick", args=[union.slug]), hint=expert_hint, search_field=EXPERT_SEARCH)


EXPERT_SEARCH = "person__name_folded"  # the picker finds an expert by name (their search text holds the whole CV)


def expert_hint(expert: Expert) -> str:
    """Position and workplace, as for any person (needs `select_related("person__agency")`)."""
    return person_hint(expert.person)


def _scope_fields(form: forms.Form, union: Union) -> None:
    for name in ("fields", "candidate_fields"):
        if name in form.fields:
            form.fields[name].queryset = Field.objects.filter(union=union)
            form.fields[name].widget = forms.CheckboxSelectMultiple()
            form.fields[name].widget.choices = form.fields[name].choices


class FieldForm(UnionScopedForm):
    class Meta:
        model = Field
        fields = ["code", "name", "description"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        clash = Field.objects.filter(union=self.union, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another field already has this code."))
        return code


class ExpertForm(UnionScopedForm):
    """What makes a person an expert; the person's own data is edited with core's PersonForm on the same page."""

    class Meta:
        model = Expert
        fields = ["fields", "keywords", "cv", "locality", "availability", "max_load"]
        widgets = {"cv": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, union=union, **kwargs)
        _scope_fields(self, union)
        self.fields["fields"].required = True
        self.fields["fields"].error_messages["required"] = _("Choose at least one field of expertise.")
        self.fields["locality"] = AdminUnitChoiceField(
            label=self.fields["locality"].label,
            required=False,
            queryset=admin_unit_choices(self.instance.locality if self.instance.pk else None),
            help_text=_("Only units valid today are offered."),
        )

    def clean_max_load(self):
        load = self.cleaned_data.get("max_load")
        if load is not None and not 1 <= load <= 50:
            raise forms.ValidationError(_("Enter a number from 1 to 50, or leave it empty."))
        return load


class RelationForm(SafeModelForm):
    class Meta:
        model = Relation
        fields = ["other", "kind", "note"]

    def __init__(self, *args, union: Union, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Person.objects.filter(union=union).exclude(pk=person.pk)
        offer_people(self.fields["other"], union)


class ImportForm(SafeForm):
    file = forms.FileField(
        label=_("Excel file (XLSX)"),
        help_text=_(
            "Use the template or an export of the registry. Every row is checked first; if any row is wrong, "
            "nothing is imported. Rows with an expert code update that expert."
        ),
    )


class BatchForm(UnionScopedForm):
    class Meta:
        model = Batch
        fields = [
            "title",
            "purpose",
            "role",
            "per_item",
            "default_max_load",
            "require_field_expert",
            "distinct_workplaces",
            "candidate_fields",
            "due_on",
        ]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, union=union, **kwargs)
        _scope_fields(self, union)

    def clean(self):
        data = super().clean()
        for name in ("per_item", "default_max_load"):
            value = data.get(name)
            if value is not None and not 1 <= value <= 50:
                self.add_error(name, _("Enter a number from 1 to 50."))
        return data


class BatchItemForm(UnionScopedForm):
    class Meta:
        model = BatchItem
        fields = ["title", "text", "fields", "need", "requesting_agency", "authors", "mentors", "locality"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, union=union, **kwargs)
        _scope_fields(self, union)
        for name in ("authors", "mentors"):
            offer_people(self.fields[name], union)
        offer_agencies(self.fields["requesting_agency"], union)
        self.fields["locality"] = AdminUnitChoiceField(
            label=self.fields["locality"].label,
            required=False,
            queryset=admin_unit_choices(self.instance.locality if self.instance.pk else None),
        )

    def save(self, commit: bool = True):  # a batch item belongs to its batch, not directly to the Union
        return forms.ModelForm.save(self, commit=commit)

    def clean_need(self):
        need = self.cleaned_data.get("need")
        if need is not None and not 1 <= need <= 20:
            raise forms.ValidationError(_("Enter a number from 1 to 20, or leave it empty."))
        return need


class PlaceExpertForm(SafeForm):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts_to_choose(union)
        offer_experts(self.fields["expert"], union)


class DeclareConflictForm(SafeForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("What is the conflict?"), max_length=500)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(union=union)
        offer_people(self.fields["person"], union)


class DismissConflictForm(SafeForm):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)
    rule = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is this not a conflict?"), max_length=500)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(union=union)


class FindExpertsForm(SafeForm):
    text = forms.CharField(
        label=_("Text of the draft or entry"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=_("Paste the summary; experts are ranked by how close their fields, keywords and CV are to it."),
    )
    fields = IdModelMultipleChoiceField(label=_("Fields"), queryset=Field.objects.none(), required=False)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_fields(self, union)
