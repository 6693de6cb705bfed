"""Forms of the registry. Every field explains its error in the user's language."""

import datetime

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lienhiep.core import services
from lienhiep.core.models import (
    UNION_ROLES,
    AdminUnit,
    Agency,
    MemberAssociation,
    Membership,
    Person,
    Role,
    Union,
    User,
)
from lienhiep.core.params import check_ids_of
from lienhiep.core.text import forbidden_character, normalize
from lienhiep.core.widgets import TimeTextInput, agency_hint, interface_widget, offer_choice, parse_time

# Characters a typed text may not hold ---------------------------------------------------------------------------


def check_text(value: str, *, multiline: bool = False) -> None:
    """Raise ValidationError saying which character and where, if the text holds one that core.text's rule
    refuses. For a text a view reads by hand; forms get it from SafeTextMixin."""
    problem = forbidden_character(value, multiline=multiline)
    if problem is not None:
        raise forms.ValidationError(problem.message(), code="forbidden_character")


def forbidden_character_errors(form: forms.BaseForm) -> list[str]:
    """The errors of a form's fields that hold a character the rule refuses: for a view that answers an invalid
    form with a sentence of its own ("give the reason"), so that the person still learns which character and where."""
    return [
        message
        for errors in form.errors.as_data().values()
        for error in errors
        if error.code == "forbidden_character"
        for message in error.messages
    ]


class TextValidator:
    """A form field's validator: check_text() on its value (one-line or multi-line)."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if isinstance(value, str):
            check_text(value, multiline=self.multiline)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and other.multiline == self.multiline


def guard_text_field(field: forms.Field) -> None:
    """Give a text field the validator, once: a text area the multi-line rule, any other text input (a name, a
    title, a code, an e-mail) the one-line rule. A password is left as typed."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    if not any(isinstance(v, TextValidator) for v in field.validators):
        field.validators = [*field.validators, TextValidator(multiline=isinstance(field.widget, forms.Textarea))]


class SafeTextMixin:
    """Every text field of the form refuses bidirectional controls, invisible and control characters and U+FFFD
    (core.text.forbidden_character) with a message naming the character and its position; every choice of
    records refuses an id the database cannot hold (core.params.ChecksIds).

    The fields are guarded when the form is validated, so a field a subclass adds or replaces in its __init__ is
    covered too. A file field gets the interface's file picker and a date field a text input read and shown as
    dd/mm/yyyy (see __getitem__). Every form of the project derives from SafeForm or SafeModelForm:
    tests/core/test_safe_text.py walks them all and fails on one that does not."""

    def full_clean(self) -> None:
        for field in self.fields.values():
            guard_text_field(field)
            check_ids_of(field)  # and a choice of records refuses an id the database cannot hold
        super().full_clean()

    def __getitem__(self, name: str) -> forms.BoundField:
        """The bound field, with the interface's own widget where the field has the browser's: a file picker in
        the interface's language, a day typed and shown dd/mm/yyyy (core.widgets.interface_widget). Given here,
        where every rendering and every reading of the data passes, so a field a subclass adds or replaces in its
        __init__ gets it too."""
        field = self.fields.get(name)
        if field is not None and name not in self._bound_fields_cache:
            widget = interface_widget(field)
            if widget is not None:
                field.widget = widget
        return super().__getitem__(name)


class SafeForm(SafeTextMixin, forms.Form):
    """The base of every plain form of the project (see SafeTextMixin)."""


class SafeModelForm(SafeTextMixin, forms.ModelForm):
    """The base of every model form of the project (see SafeTextMixin)."""


class TimeTextField(forms.TimeField):
    """A time of day typed on the 24-hour clock: «08:30», «8:30» or «8h30» (core.widgets.parse_time), shown 08:30."""

    widget = TimeTextInput
    default_error_messages = {"invalid": _("Write the time as hh:mm on the 24-hour clock, e.g. 08:30 or 14:00.")}

    def to_python(self, value) -> datetime.time | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        parsed = parse_time(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class EntrantSignupForm(SafeForm):
    """Extra fields of self-registration. Only entrants register themselves; staff are added by admins."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    union = forms.ModelChoiceField(
        label=_("Register with"),
        queryset=Union.objects.filter(is_active=True),
        empty_label=None,
        help_text=_("The provincial Union whose contests you will take part in."),
    )

    def clean_full_name(self) -> str:
        name = normalize(self.cleaned_data["full_name"])
        if len(name.split(" ")) < 2:
            raise forms.ValidationError(_("Please enter your full name, family name first (e.g. Nguyễn Văn An)."))
        return name

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name", "sort_key"])
        services.register_entrant(user, union=self.cleaned_data["union"])


def admin_unit_choices(current: AdminUnit | None = None):
    """Units valid today, plus the record's current unit even if it has since been abolished."""

    query = AdminUnit.valid_on_q(datetime.date.today())
    if current is not None:
        query |= Q(pk=current.pk)
    return AdminUnit.objects.filter(query).select_related("parent")


class AdminUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return obj.full_path()


class UnionForm(SafeModelForm):
    class Meta:
        model = Union
        fields = [
            "name",
            "short_name",
            "slug",
            "province",
            "governing_body",
            "issuing_body",
            "document_symbol",
            "place_name",
            "signatory_title",
            "address",
            "phone",
            "email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"] = AdminUnitChoiceField(
            label=self.fields["province"].label,
            required=False,
            queryset=admin_unit_choices(self.instance.province if self.instance.pk else None).filter(
                level=AdminUnit.Level.PROVINCE
            ),
            help_text=_("Only provinces valid today are offered."),
        )


class LetterheadForm(UnionForm):
    """What a Union administrator may change: everything but the address of its pages."""

    class Meta(UnionForm.Meta):
        fields = [f for f in UnionForm.Meta.fields if f != "slug"]


class UnionScopedForm(SafeModelForm):
    """A form whose choices come from one Union only (an id from another Union is refused as invalid)."""

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        if self._has_union_field():
            self.instance.union = union
        for _name, field in self.fields.items():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model in (Agency, MemberAssociation, Person):
                qs = model.objects.filter(union=union)
                if model is Agency and self.instance.pk and isinstance(self.instance, Agency):
                    qs = qs.exclude(pk=self.instance.pk)
                field.queryset = qs
        if "admin_unit" in self.fields:
            self.fields["admin_unit"] = AdminUnitChoiceField(
                label=self.fields["admin_unit"].label,
                required=False,
                queryset=admin_unit_choices(getattr(self.instance, "admin_unit", None)),
                help_text=_("Only units valid today are offered."),
            )

    def _has_union_field(self) -> bool:
        return any(f.name == "union" for f in self.instance._meta.concrete_fields)

    def _get_validation_exclusions(self):
        """Check the Union-scoped unique constraints (one agency name per Union) as form errors: Django leaves out
        every constraint naming a field the form lacks, and the database would then refuse the row."""
        exclude = super()._get_validation_exclusions()
        if self._has_union_field():
            exclude.discard("union")
        return exclude

    def save(self, commit: bool = True):
        self.instance.union = self.union
        return super().save(commit=commit)


def offer_agencies(field: forms.ModelChoiceField, union: Union) -> None:
    """A choice of the Union's agencies: the type-ahead picker (core:agencies_pick), each with its short name and
    kind; written into the page whole while the list is short enough."""
    offer_choice(field, reverse("core:agencies_pick", args=[union.slug]), hint=agency_hint)


class AgencyForm(UnionScopedForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "admin_unit", "parent", "address", "phone", "email", "is_active"]

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, union=union, **kwargs)
        offer_agencies(self.fields["parent"], union)

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if (
            parent is not None
            and self.instance.pk
            and (parent.pk == self.instance.pk or self.instance.pk in {a.pk for a in parent.ancestors()})
        ):
            raise forms.ValidationError(_("An agency cannot be placed under itself or under one of its own units."))
        return parent


class MemberAssociationForm(UnionScopedForm):
    class Meta:
        model = MemberAssociation
        fields = [
            "name",
            "short_name",
            "field_summary",
            "president",
            "member_count",
            "address",
            "phone",
            "email",
            "is_active",
        ]


class PersonForm(UnionScopedForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "birth_year",
            "gender",
            "academic_title",
            "degree",
            "position",
            "agency",
            "association",
            "email",
            "phone",
        ]

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, union=union, **kwargs)
        offer_agencies(self.fields["agency"], union)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not (1900 <= year <= datetime.date.today().year):
            raise forms.ValidationError(_("Birth year must be between 1900 and this year."))
        return year


# The roles a Union's administrator gives and filters its members by (platform roles name no Union).
MEMBER_ROLE_CHOICES = [(role.value, role.label) for role in UNION_ROLES]


class MembershipForm(SafeForm):
    """A Union administrator gives a person an account and a role in the Union."""

    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=MEMBER_ROLE_CHOICES)
    agency = forms.ModelChoiceField(
        label=_("Agency represented"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Only for agency representatives."),
    )

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.fields["agency"].queryset = Agency.objects.filter(union=union)
        offer_agencies(self.fields["agency"], union)

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.AGENCY_REP and not data.get("agency"):
            self.add_error("agency", _("Choose the agency this representative speaks for."))
        if data.get("role") != Role.AGENCY_REP and data.get("agency"):
            self.add_error("agency", _("Only agency representatives are linked to an agency."))
        username, email = data.get("username"), data.get("email")
        if username and email:
            existing = User.objects.filter(username__iexact=username).first()
            if existing and existing.email.lower() != email.lower():
                self.add_error("email", _("This user name exists with another e-mail address."))
            elif existing is None and User.objects.filter(email__iexact=email).exists():
                self.add_error("email", _("This e-mail address belongs to another user name."))
            if existing and Membership.objects.filter(user=existing, union=self.union, role=data.get("role")).exists():
                self.add_error("role", _("This user already holds this role in the Union."))
        return data


class AttachmentForm(SafeForm):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class PlacesImportForm(SafeForm):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: Mã, Tên, Tên ngắn, Loại, Cấp (tỉnh/huyện/xã), Mã đơn vị cấp trên, Hiệu lực từ, Hiệu lực đến, "
            "Mã đơn vị kế thừa. Every row is checked first; if any row is wrong, nothing is imported."
        ),
    )
