from django import forms, template
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lienhiep.core.text import format_number
from lienhiep.core.widgets import DateTextInput, FilePicker

register = template.Library()


@register.filter
def bootstrap(field: forms.BoundField) -> str:
    """Render a form field's widget with Bootstrap's classes (and is-invalid when it has errors)."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return _choice_list(field)
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return field.as_widget(attrs=attrs)


def _choice_list(field: forms.BoundField) -> str:
    """Checkboxes or radios one per line, Bootstrap's way (Django puts the input's class on the wrapper too)."""
    invalid = " is-invalid" if field.errors else ""
    items = format_html_join(
        "",
        '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" value="{}" id="{}"{}>'
        '<label class="form-check-label" for="{}">{}</label></div>',
        (
            (
                choice.data["type"],
                invalid,
                choice.data["name"],
                choice.data["value"],
                choice.id_for_label,
                mark_safe(" checked") if choice.data["selected"] else "",
                choice.id_for_label,
                choice.choice_label,
            )
            for choice in field.subwidgets
        ),
    )
    return format_html('<div class="checkbox-list{}" id="{}">{}</div>', invalid, field.auto_id, items)


@register.simple_tag
def date_input(name: str, id: str, value=None, required: bool = False) -> str:
    """A date field a template writes by hand (outside a form class), the same as a form's: a text input read and
    shown as dd/mm/yyyy (core.widgets.DateTextInput)."""
    attrs = {"id": id, "class": "form-control", **({"required": True} if required else {})}
    return DateTextInput().render(name, value, attrs=attrs)


@register.simple_tag
def file_input(name: str, id: str, accept: str = "", required: bool = False) -> str:
    """A file field a template writes by hand, the same as a form's: the interface's file picker
    (core.widgets.FilePicker)."""
    attrs = {"id": id, "class": "form-control", **({"accept": accept} if accept else {})}
    picker = FilePicker(attrs=attrs)
    picker.is_required = required
    return picker.render(name, None, attrs={"required": True} if required else None)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def field_value(record: models.Model, name: str) -> str:
    """The value of a model field as a person reads it: choices by label, relations by name, '—' if empty."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        value = getattr(record, f"get_{name}_display")()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "full_path"):
        return value.full_path()
    if isinstance(value, int) and not isinstance(field, models.PositiveSmallIntegerField):
        return format_number(value)
    return str(value)


@register.filter
def field_label(record: models.Model, name: str) -> str:
    return str(record._meta.get_field(name).verbose_name).capitalize()
