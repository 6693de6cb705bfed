"""One reader for the query parameters of an address: ids, years, page numbers, choices, dates, short texts.

Anyone can edit an address by hand, so a parameter is read through here, never with `int(request.GET[...])`:
`str.isdigit()` accepts superscript and circled digits that `int()` refuses, an id beyond 64 bits overflows the
database's integer, a NUL is refused by PostgreSQL, 5,000 words make a search too large for SQLite. A value that is
not valid is ignored (the page shows what it shows without it) and the person is told once per parameter, in a
message: «Bỏ qua tham số “year”: giá trị không hợp lệ.» A machine-facing address (an export, a JSON or htmx
endpoint) answers 400 with the same text instead (`QueryParams.refusal()`).

The `parse_*` functions are the rules themselves (None: not valid), for code that has a value but no request.
`IdModelChoiceField` and `IdModelMultipleChoiceField` check ids by the same rule before a form asks the database.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

ID_MAX = 2**63 - 1  # a BigAutoField (DEFAULT_AUTO_FIELD): a signed 64-bit integer on SQLite and PostgreSQL
YEAR_MIN, YEAR_MAX = 1900, 2100
PAGE_MAX = 1_000_000
TEXT_MAX = 200
_ASCII_NUMBER = re.compile(r"[0-9]{1,19}")  # ASCII digits only: not "²⁰²⁶", "①", "٣" (which int() takes)
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_int(text: str | None, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits (no sign, no spaces) between `low` and `high`, else None."""
    if not text or not _ASCII_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_id(text: str | None) -> int | None:
    """A database id: a positive whole number within the database's integer range."""
    return parse_int(text, 1, ID_MAX)


def parse_year(text: str | None, low: int = YEAR_MIN, high: int = YEAR_MAX) -> int | None:
    return parse_int(text, low, high)


def parse_page(text: str | None) -> int | None:
    return parse_int(text, 1, PAGE_MAX)


def parse_choice(text: str | None, choices: Iterable[str]) -> str | None:
    """The value if it is one of `choices` (compared as text), else None."""
    if text is None:
        return None
    return text if text in {str(choice) for choice in choices} else None


def parse_date(text: str | None) -> datetime.date | None:
    """A day written dd/mm/yyyy (as Vietnamese forms show it) or yyyy-mm-dd (ISO, as date inputs send it), in
    the years YEAR_MIN–YEAR_MAX (a page computing the day before 1/1/0001 would fail)."""
    text = (text or "").strip()
    if not re.fullmatch(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text):
        return None
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day if YEAR_MIN <= day.year <= YEAR_MAX else None
    return None


def parse_month(text: str | None) -> datetime.date | None:
    """A month written yyyy-mm, as its first day, in the years YEAR_MIN–YEAR_MAX."""
    text = (text or "").strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
        return None
    year, month = int(text[:4]), int(text[5:])
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def clean_text(text: str | None, max_length: int = TEXT_MAX) -> str:
    """A short text: control characters (NUL included) become spaces, runs of spaces one, cut at `max_length`."""
    chars = (" " if unicodedata.category(c) == "Cc" else c for c in text or "")
    return " ".join("".join(chars).split())[:max_length].strip()


class QueryParams:
    """The query parameters of one request, read by kind. An invalid value is ignored: the reader returns the
    default and notes the parameter's name in `invalid`; with `notify` (the default) the person gets a message
    once per parameter. Empty values count as absent (filter forms send `field=` for "all")."""

    def __init__(self, request: HttpRequest, *, notify: bool = True) -> None:
        self.request = request
        self.data = request.GET
        self.notify = notify
        self.invalid: list[str] = []

    def raw(self, name: str) -> str:
        return self.data.get(name, "")

    def refuse(self, name: str) -> None:
        """Note `name` as not valid (for a view reading a compound value itself), with the notice."""
        if name in self.invalid:
            return
        self.invalid.append(name)
        if self.notify:
            messages.warning(self.request, self.notice(name), fail_silently=True)

    @staticmethod
    def notice(name: str) -> str:
        return _("Ignored the parameter “%(name)s”: the value is not valid.") % {"name": clean_text(name, 40)}

    def _read(self, name: str, parse, default=None):
        text = self.raw(name).strip()
        if not text:
            return default
        value = parse(text)
        if value is None:
            self.refuse(name)
            return default
        return value

    def id(self, name: str) -> int | None:
        return self._read(name, parse_id)

    def year(self, name: str = "year", *, low: int = YEAR_MIN, high: int = YEAR_MAX) -> int | None:
        return self._read(name, lambda text: parse_year(text, low, high))

    def page(self, name: str = "page") -> int:
        """For `Paginator.get_page`, which shows the last page for a number beyond it."""
        return self._read(name, parse_page, 1)

    def choice(self, name: str, choices: Iterable[str], default: str = "") -> str:
        return self._read(name, lambda text: parse_choice(text, choices), default)

    def date(self, name: str) -> datetime.date | None:
        return self._read(name, parse_date)

    def month(self, name: str) -> datetime.date | None:
        return self._read(name, parse_month)

    def text(self, name: str, max_length: int = TEXT_MAX) -> str:
        """Never refused: cleaned (see clean_text) and cut."""
        return clean_text(self.raw(name), max_length)

    def flag(self, name: str) -> bool:
        """A switch in the address: on when its value is "1"."""
        return self.raw(name) == "1"

    def refusal(self) -> HttpResponse | None:
        """For a machine-facing address (an export, a JSON or htmx endpoint): a 400 naming the invalid
        parameters, when there are any, to return instead of an answer computed without them."""
        if not self.invalid:
            return None
        text = "\n".join(self.notice(name) for name in self.invalid)
        return HttpResponseBadRequest(text + "\n", content_type="text/plain; charset=utf-8")


def checked_ids(values: Iterable, error: ValidationError) -> list:
    """The values (from a form's data) if each is a valid id, else `error` raised: the database is not asked
    about an id it cannot hold."""
    values = list(values)
    for value in values:
        if value in (None, "") or isinstance(value, int) and 1 <= value <= ID_MAX:
            continue
        if parse_id(str(value).strip()) is None:
            raise error
    return values


class ChecksIds:
    """For a choice of records by id (a ModelChoiceField or ModelMultipleChoiceField): an id the database cannot
    hold (over 64 bits, Unicode digits) is refused with the field's own "not one of the choices" error before any
    query (SQLite raises OverflowError). The project's base forms give it to every such field (core.forms)."""

    def to_python(self, value):
        if (
            not isinstance(self, forms.ModelMultipleChoiceField)
            and self.to_field_name is None
            and value not in self.empty_values
            and not isinstance(value, self.queryset.model)
        ):
            checked_ids([value], ValidationError(self.error_messages["invalid_choice"], code="invalid_choice"))
        return super().to_python(value)

    def _check_values(self, value):
        if self.to_field_name is None:
            for each in value:
                error = ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": each}
                )
                checked_ids([each], error)
        return super()._check_values(value)


_ID_CHECKING_CLASSES: dict[type, type] = {}


def check_ids_of(field: forms.Field) -> None:
    """Give a choice of records the id check (ChecksIds), keeping its own class's behaviour (its labels)."""
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, ChecksIds):
        return
    cls = type(field)
    if cls not in _ID_CHECKING_CLASSES:
        _ID_CHECKING_CLASSES[cls] = type(cls.__name__, (ChecksIds, cls), {"__module__": cls.__module__})
    field.__class__ = _ID_CHECKING_CLASSES[cls]


class IdModelMultipleChoiceField(ChecksIds, forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField by id with the id check, for a form built outside the project's base forms."""


def page_number(request: HttpRequest, name: str = "page") -> int:
    """The page number of a list (1 when missing or not valid, with the notice), for `Paginator.get_page`."""
    return QueryParams(request).page(name)
