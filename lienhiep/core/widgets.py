"""The type-ahead picker for a choice from a long list of records (people, agencies, documents), and the rule that
picks the widget: checkboxes for a short list, the picker for a long one.

The picker is a plain `<select>` (so the form works without JavaScript) that `static/js/picker.js` turns into a
search box with the vendored Tom Select, on the pages whose form uses it (`{{ form.media }}` in the page's head).
A list of up to PRELOAD_MAX records is written out whole; a longer one holds only the chosen records, and the
others come from the field's JSON endpoint (`picker_answer`) as the person types: at most RESULTS_MAX matches, of
the records the viewer may see, which is the same queryset the form's field checks the answer against.
"""

import datetime
import re
from collections.abc import Callable

from django import forms
from django.db import models
from django.forms.widgets import Media, Script
from django.http import HttpRequest, JsonResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lienhiep.core.params import QueryParams, parse_id
from lienhiep.core.queries import search

CHECKBOXES_MAX = 12  # a list this short is a column of checkboxes, seen at a glance
PRELOAD_MAX = 50  # a list this long is written into the page whole (it works without JavaScript, searched locally)
RESULTS_MAX = 20  # the endpoint's answer: at most this many matches
QUERY_MAX = 100  # characters of the typed text the endpoint reads
WORDS_MAX = 6  # words of it

Hint = Callable[[models.Model], str]

PICKER_MEDIA = Media(
    css={"all": ["vendor/tom-select/css/tom-select.bootstrap5.min.css"]},
    js=[
        Script("vendor/tom-select/js/tom-select.popular.min.js", defer=True),
        Script("js/picker.js", defer=True),
    ],
)


class PickerMixin:
    """What the single and the multiple picker share: the endpoint, the texts the script shows, the options written
    into the page (all of them, or only the chosen ones), and each option's hint (a position, a workplace)."""

    def __init__(
        self,
        url: str,
        *,
        hint: Hint | None = None,
        search_field: str = "name_folded",
        preload: bool = True,
        attrs=None,
    ) -> None:
        super().__init__(attrs)
        self.url, self.hint, self.search_field, self.preload = url, hint, search_field, preload

    @property
    def media(self) -> Media:
        return PICKER_MEDIA

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-picker": self.url,
                "data-picker-placeholder": _("Type to search…"),
                "data-picker-empty": _("Nothing found."),
                "data-picker-short": _("Type at least two letters."),
                "data-picker-remove": _("Remove from the choice"),
            }
        )
        if self.preload:
            context["widget"]["attrs"]["data-picker-complete"] = True
        return context

    def optgroups(self, name, value, attrs=None):
        if self.preload:
            return super().optgroups(name, value, attrs)
        # Only the chosen records: the list itself is too long to write out (and is searched through the endpoint).
        iterator = self.choices
        ids = [v for v in (str(x).strip() for x in value) if parse_id(v) is not None]
        groups = []
        if not self.allow_multiple_selected:
            groups.append((None, [self.create_option(name, "", "", not ids, 0, attrs=attrs)], 0))
        chosen = iterator.queryset.filter(pk__in=ids) if ids else []
        for obj in chosen:
            option_value, label = iterator.choice(obj)
            index = len(groups)
            groups.append((None, [self.create_option(name, option_value, label, True, index, attrs=attrs)], index))
        return groups

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            data = option_data(instance, hint=self.hint, search_field=self.search_field)
            option["attrs"].update({f"data-{key}": value for key, value in data.items() if value})
        return option

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if self.preload:
            return html
        note = _("Only the chosen entries are listed: searching the list needs JavaScript.")
        return format_html('{}<noscript><div class="form-text">{}</div></noscript>', html, note)


class Picker(PickerMixin, forms.Select):
    """The picker for one record."""


class PickerMultiple(PickerMixin, forms.SelectMultiple):
    """The picker for several records."""


def option_data(obj: models.Model, *, hint: Hint | None, search_field: str) -> dict[str, str]:
    """What the script knows of an option besides its name: the hint shown under it, and the folded text the
    server searched (so that the page filters the matches as the server did: an agency by its short name too)."""
    return {"hint": hint(obj) if hint else "", "search": getattr(obj, search_field, "")}


def offer_choice(
    field: forms.ModelChoiceField, url: str, *, hint: Hint | None = None, search_field: str = "name_folded"
) -> None:
    """Give a choice of records the widget its length calls for: checkboxes for a short list of several, else the
    type-ahead picker that asks `url` (an endpoint answering with `picker_answer` from the same records and
    `search_field`). The field's queryset must already be the records this viewer may choose."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    count = field.queryset[: PRELOAD_MAX + 1].count()
    if count <= CHECKBOXES_MAX and multiple:
        field.widget = forms.CheckboxSelectMultiple()
    else:
        widget = PickerMultiple if multiple else Picker
        field.widget = widget(url, hint=hint, search_field=search_field, preload=count <= PRELOAD_MAX)
    field.widget.choices = field.choices  # the new widget lists the field's own records


def picker_answer(
    request: HttpRequest,
    queryset: models.QuerySet,
    *,
    hint: Hint | None = None,
    search_field: str = "name_folded",
) -> JsonResponse:
    """The endpoint's answer to `?q=…`: the records of `queryset` (the ones the viewer may choose: the caller scopes
    it) whose folded text holds every word typed, in the queryset's order, at most RESULTS_MAX of them, as
    `{"results": [{"value", "text", "hint", "search"}], "more": bool}`. An empty query lists the first ones. The
    typed text is cleaned and cut, never refused: any input is an answer, never an error."""
    text = QueryParams(request, notify=False).text("q", QUERY_MAX)
    words = text.split()[:WORDS_MAX]
    rows = list(search(queryset, " ".join(words), search_field)[: RESULTS_MAX + 1])
    results = [
        {"value": str(obj.pk), "text": str(obj)} | option_data(obj, hint=hint, search_field=search_field)
        for obj in rows[:RESULTS_MAX]
    ]
    response = JsonResponse({"results": results, "more": len(rows) > RESULTS_MAX})
    response["Cache-Control"] = "private, no-store"
    return response


# Hints shown under an option's name, so that two namesakes can be told apart.


def person_hint(person) -> str:
    """Position and workplace: «Chánh Văn phòng · UBND huyện Đăk Tô» (needs `select_related("agency")`)."""
    return " · ".join(filter(None, [person.position, person.agency.name if person.agency_id else ""]))


def agency_hint(agency) -> str:
    return " · ".join(filter(None, [agency.short_name, agency.get_kind_display()]))


# The file picker and the date field: the same in every browser, in the interface's language ----------------------

DATE_PLACEHOLDER = "dd/mm/yyyy"
# what the browser lets through: a day as Vietnamese forms write it (11/11/2021, 11-11-2021, 11.11.2021) or ISO
DATE_PATTERN = r"[0-9]{1,2}(/|-|\.)[0-9]{1,2}(/|-|\.)[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"


class FilePicker(forms.ClearableFileInput):
    """A file input whose button and «no file chosen» are the interface's, not the browser's (an English browser
    says «Choose File»): the native input is hidden visually but stays in the page, focusable and labelled by the
    field's label; a label styled as a button opens it, and `static/js/lienhiep.js` writes the chosen file's name
    beside it. Without JavaScript the button still opens the browser's dialog and the file is sent."""

    template_name = "core/widgets/file_picker.html"


class TypedText:
    """A widget for a value typed in the interface's own way (dd/mm/yyyy, the 24-hour clock) as text, and shown so,
    instead of the browser's date or time input, which follows the browser's locale. A subclass names its attributes
    (placeholder, pattern, title) and its format."""

    input_type = "text"
    typed_attrs: dict = {}
    typed_format = ""

    def __init__(self, attrs: dict | None = None, format: str | None = None) -> None:
        attrs = {key: value for key, value in (attrs or {}).items() if key != "type"}
        super().__init__(attrs={"autocomplete": "off", **self.typed_attrs, **attrs}, format=format or self.typed_format)


class DateTextInput(TypedText, forms.DateInput):
    """A day typed as dd/mm/yyyy, and shown so: a text input (the browser's date input shows the browser's locale,
    mm/dd/yyyy in an English one) with a numeric keyboard on phones. The field reads dd/mm/yyyy and also
    yyyy-mm-dd (formats/vi DATE_INPUT_FORMATS)."""

    typed_attrs = {
        "placeholder": DATE_PLACEHOLDER,
        "inputmode": "numeric",
        "pattern": DATE_PATTERN,
        "data-date": True,  # css/lienhiep.css: as wide as a date
        "title": _("A day written dd/mm/yyyy, e.g. 11/11/2021"),
    }
    typed_format = "%d/%m/%Y"


DATETIME_PLACEHOLDER = "dd/mm/yyyy HH:MM"
# a day as DATE_PATTERN, then a time (or the time first, as «10:48 11/11/2021»), or the browser's ISO form
DATETIME_PATTERN = (
    r"\s*[0-9]{1,2}(/|-|\.)[0-9]{1,2}(/|-|\.)[0-9]{4}(\s+[0-9]{1,2}:[0-9]{2})?\s*"
    r"|\s*[0-9]{1,2}:[0-9]{2}\s+[0-9]{1,2}(/|-|\.)[0-9]{1,2}(/|-|\.)[0-9]{4}\s*"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(T| )[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?"
)


class DateTimeTextInput(TypedText, forms.DateTimeInput):
    """A moment typed as dd/mm/yyyy HH:MM, and shown so (the browser's datetime-local input shows the browser's
    locale, 12-hour clock and all, in an English one). The field reads it, and also «HH:MM dd/mm/yyyy» and ISO
    (formats/vi DATETIME_INPUT_FORMATS, or the field's input_formats)."""

    typed_attrs = {
        "placeholder": DATETIME_PLACEHOLDER,
        "pattern": DATETIME_PATTERN,
        "title": _("A day and a time written dd/mm/yyyy HH:MM, e.g. 11/11/2026 08:30"),
    }
    typed_format = "%d/%m/%Y %H:%M"


TIME_PLACEHOLDER = "hh:mm"
# what the browser lets through: a time of day as people write it, «08:30», «8:30» or «8h30»
TIME_PATTERN = r"\s*[0-9]{1,2}\s*(:|h|H)\s*[0-9]{2}\s*"
_TIME = re.compile(r"\s*([0-9]{1,2})\s*[:hH]\s*([0-9]{2})\s*")


def parse_time(text: str) -> datetime.time | None:
    """A time of day on the 24-hour clock, written «08:30», «8:30» or «8h30»; None when the text is not one."""
    match = _TIME.fullmatch(text or "")
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return datetime.time(hour, minute) if hour < 24 and minute < 60 else None


class TimeTextInput(TypedText, forms.TimeInput):
    """A time of day typed and shown on the 24-hour clock as HH:MM (the browser's time input shows the browser's
    locale: 08:30 AM in an English one). Its field (core.forms.TimeTextField) reads «08:30», «8:30» and «8h30»."""

    typed_attrs = {
        "placeholder": TIME_PLACEHOLDER,
        "pattern": TIME_PATTERN,
        "data-time": True,  # css/lienhiep.css: as wide as a time
        "title": _("A time on the 24-hour clock written hh:mm, e.g. 08:30"),
    }
    typed_format = "%H:%M"


def interface_widget(field: forms.Field) -> forms.Widget | None:
    """The interface's own widget for a field that has the browser's (a file input, a date input, the plain list of
    administrative units), or None: the base forms (core/forms.py SafeTextMixin) give every form these by
    default."""
    widget = field.widget
    if isinstance(field, forms.FileField) and type(widget) in (forms.ClearableFileInput, forms.FileInput):
        picker = FilePicker(attrs=widget.attrs)
        picker.is_required = widget.is_required
        return picker
    if isinstance(field, forms.DateField) and isinstance(widget, forms.DateInput):
        if not isinstance(widget, DateTextInput):
            date = DateTextInput(attrs=widget.attrs)
            date.is_required = widget.is_required
            date.is_localized = widget.is_localized
            return date
    if is_unit_choice(field) and type(widget) is forms.Select:
        picker = LocalityPicker(attrs=widget.attrs)
        picker.choices = field.choices
        picker.is_required = widget.is_required
        return picker
    return None


# The choice of an administrative unit: searched, and greyed out on the days the unit did not exist ---------------


def is_unit_choice(field: forms.Field) -> bool:
    """A choice of one administrative unit (core.AdminUnit)."""
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
        return False
    return field.queryset.model._meta.label == "core.AdminUnit"


class LocalityPicker(Picker):
    """The picker for an administrative unit. The whole list is written into the page (a plain list without
    JavaScript) and searched as the person types. Each option carries the days its unit existed
    (`data-valid-from`, `data-valid-to`, ISO) and why it may not be chosen on another day («Đã sáp nhập vào xã …
    từ 01/07/2025», «Thành lập từ 01/07/2025»): `static/js/picker.js` greys out the units that did not exist on the
    day typed in the form (the first filled of the date fields named in `day_fields`; none named: the form's only
    date field; none filled: today) and lists the ones that did first. The unit the record holds is never greyed
    out (a disabled option would not be sent back). The form checks the day too: without JavaScript its error
    names the successor (outreach.forms.unit_not_valid_message).

    Every single choice of a unit gets it (interface_widget); a form that knows the day its unit must exist on
    says so with `LocalityPicker(day_fields=[...])`."""

    def __init__(self, day_fields: tuple[str, ...] | list[str] = (), attrs=None) -> None:
        super().__init__("", preload=True, attrs=attrs)
        self.day_fields = tuple(day_fields)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-locality-day"] = " ".join(self.day_fields)
        return context

    def optgroups(self, name, value, attrs=None):
        self._successors = successor_names(getattr(self.choices, "queryset", None))
        return super().optgroups(name, value, attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        unit = getattr(value, "instance", None)
        if unit is None:
            return option
        option["attrs"].pop("data-search", None)  # the label (the unit and its province) is what is searched
        extra = {}
        if unit.valid_from:
            extra["data-valid-from"] = unit.valid_from.isoformat()
            extra["data-not-yet"] = _("Formed on %(day)s") % {"day": unit.valid_from.strftime("%d/%m/%Y")}
        if unit.valid_to:
            extra["data-valid-to"] = unit.valid_to.isoformat()
            extra["data-gone"] = abolished_note(unit, getattr(self, "_successors", {}).get(unit.pk, []))
        option["attrs"].update(extra)
        return option


def offer_locality(field: forms.ModelChoiceField, *day_fields: str) -> None:
    """Give a choice of one administrative unit the searched list whose units are greyed out on the days they did
    not exist, the day being the first filled of the form's fields `day_fields` (today if none is)."""
    field.widget = LocalityPicker(day_fields=day_fields, attrs=field.widget.attrs)
    field.widget.choices = field.choices


def abolished_note(unit, successors: list[str]) -> str:
    """«Đã sáp nhập vào xã Đăk Tô, tỉnh Quảng Ngãi từ 01/07/2025», or «Đã giải thể từ 01/07/2025»: the day after
    the unit's last."""
    since = (unit.valid_to + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    if successors:
        return _("Merged into %(successors)s on %(day)s") % {"successors": "; ".join(successors), "day": since}
    return _("Abolished on %(day)s") % {"day": since}


def successor_names(queryset: models.QuerySet | None) -> dict[int, list[str]]:
    """For the abolished units of `queryset`: the full names of the units that replaced them, by unit (one
    query, whatever the number of units)."""
    if queryset is None:
        return {}
    through = queryset.model.successors.through
    links = through.objects.filter(
        from_adminunit__in=queryset.filter(valid_to__isnull=False).order_by().values("pk")
    ).select_related("to_adminunit__parent__parent")
    names: dict[int, list[str]] = {}
    for link in links.order_by("to_adminunit__sort_key"):
        names.setdefault(link.from_adminunit_id, []).append(link.to_adminunit.full_path())
    return names
