"""Excel round trip of the expert registry: export, template, and an import that checks every row first.

The import is planned before it is applied: `plan_import` reads the file, validates every row (row number,
column, what is wrong — in the user's language) and, when nothing is wrong, lists what will be created and what
will change. `apply_plan` applies a plan in one transaction; rows are matched to existing experts by the stable
"Mã chuyên gia" (expert code), so re-importing an edited export updates instead of duplicating."""

import gc
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO, NamedTuple

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Person, Union, User
from lienhiep.core.services import log_activity
from lienhiep.core.sheets import rows_without_formulas
from lienhiep.core.text import fold, forbidden_character, normalize
from lienhiep.experts.models import Expert, Field

SHEET = "Chuyên gia"
LISTS_SHEET = "Danh mục"
MAX_ROWS = 10_000  # a provincial registry holds hundreds of experts; a larger file is a mistake

# (key, header) in the order of the spreadsheet. Headers are Vietnamese: they are the file format users share.
COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã chuyên gia"),
    ("name", "Họ và tên"),
    ("birth_year", "Năm sinh"),
    ("gender", "Giới tính"),
    ("academic_title", "Học hàm"),
    ("degree", "Học vị"),
    ("position", "Chức vụ"),
    ("workplace", "Nơi công tác"),
    ("association", "Hội thành viên"),
    ("fields", "Lĩnh vực"),
    ("keywords", "Từ khóa"),
    ("locality", "Địa bàn"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
    ("availability", "Tình trạng"),
    ("max_load", "Số việc tối đa"),
    ("cv", "Lý lịch khoa học"),
]
HEADER = dict(COLUMNS)
REQUIRED = ("name", "fields")
MULTILINE_COLUMNS = {"cv"}  # keeps its line breaks; every other cell is one line (its whitespace collapsed)
ALIASES = {
    "ma cg": "code",
    "ma": "code",
    "ho ten": "name",
    "ho va ten": "name",
    "e-mail": "email",
    "dien thoai": "phone",
    "so dien thoai": "phone",
    "linh vuc chuyen mon": "fields",
    "don vi cong tac": "workplace",
    "co quan": "workplace",
    "tom tat ly lich": "cv",
}
GENDERS = {"nam": Person.Gender.MALE, "nu": Person.Gender.FEMALE, "khac": Person.Gender.OTHER}
GENDER_TEXT = {Person.Gender.MALE: "Nam", Person.Gender.FEMALE: "Nữ", Person.Gender.OTHER: "Khác"}
AVAILABILITY_TEXT = {
    Expert.Availability.AVAILABLE: "Sẵn sàng",
    Expert.Availability.LIMITED: "Hạn chế",
    Expert.Availability.UNAVAILABLE: "Tạm ngừng",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not an XLSX, no header, a required column missing, too many rows)."""


class RowError(NamedTuple):
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    code: str
    name: str
    action: str  # "create", "update", "unchanged"
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)
    values: dict[str, Any] = field(default_factory=dict)
    expert: Expert | None = None


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_workplaces: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def count_create(self) -> int:
        return self.count("create")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")

    def fingerprint(self) -> str:
        """Identifies exactly what applying will do: a plan that changed since the preview is refused."""
        digest = [(r.row, r.code, r.action, r.changes) for r in self.rows]
        return hashlib.sha256(json.dumps([digest, self.new_workplaces], default=str).encode()).hexdigest()


# Export ---------------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@")


def _cell_value(value: Any) -> Any:
    """Text as Excel accepts it: control characters (a line break pasted from Word) are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _display_values(expert: Expert) -> dict[str, Any]:
    person = expert.person
    return {
        "code": expert.code,
        "name": person.name,
        "birth_year": person.birth_year or "",
        "gender": GENDER_TEXT.get(person.gender, ""),
        "academic_title": person.academic_title,
        "degree": person.degree,
        "position": person.position,
        "workplace": person.agency.name if person.agency else "",
        "association": person.association.name if person.association else "",
        "fields": "; ".join(f.code for f in sorted(expert.fields.all(), key=lambda f: f.code)),
        "keywords": expert.keywords,
        "locality": expert.locality.full_path() if expert.locality else "",
        "phone": person.phone,
        "email": person.email,
        "availability": AVAILABILITY_TEXT[expert.availability],
        "max_load": expert.max_load or "",
        "cv": expert.cv,
    }


def export_workbook(union: Union, experts) -> bytes:
    """The registry as XLSX: one row per expert, with a sheet of the allowed values (the template = no rows)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([header for _key, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for expert in experts:
        values = _display_values(expert)
        sheet.append([_cell_value(values[key]) for key, _header in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a live formula (a CV starting with "=")
    widths = {"name": 26, "workplace": 36, "association": 30, "fields": 16, "keywords": 36, "locality": 34, "cv": 60}
    for index, (key, _header) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = widths.get(key, 14)
    sheet.freeze_panes = "C2"

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.append(["Lĩnh vực (mã)", "Tên lĩnh vực", "Học hàm", "Học vị", "Giới tính", "Tình trạng", "Hội thành viên"])
    for cell in lists[1]:
        cell.font = Font(bold=True)
    field_rows = list(Field.objects.filter(union=union).order_by("code").values_list("code", "name"))
    columns = [
        [code for code, _name in field_rows],
        [name for _code, name in field_rows],
        [value for value, _label in Person.AcademicTitle.choices if value],
        [value for value, _label in Person.Degree.choices if value],
        list(GENDER_TEXT.values()),
        list(AVAILABILITY_TEXT.values()),
        list(MemberAssociation.objects.filter(union=union).order_by("sort_key").values_list("name", flat=True)),
    ]
    for row_index in range(max(len(c) for c in columns)):
        lists.append([c[row_index] if row_index < len(c) else None for c in columns])
    for index, width in enumerate([16, 40, 10, 10, 10, 12, 50], start=1):
        lists.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    for key, list_column in (("academic_title", "C"), ("degree", "D"), ("gender", "E"), ("availability", "F")):
        length = len(columns["CDEF".index(list_column) + 2])
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${list_column}$2:${list_column}${length + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không hợp lệ",
            error="Chọn một giá trị trong danh sách.",
        )
        letter = openpyxl.utils.get_column_letter([k for k, _h in COLUMNS].index(key) + 1)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading --------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def read_rows(data: BinaryIO) -> list[dict[str, Any]]:
    """Rows of the experts sheet (or the first sheet) keyed by column key, plus `row` (spreadsheet row number)."""
    try:
        workbook = openpyxl.load_workbook(data, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(_("The file cannot be read as an Excel (XLSX) workbook.")) from exc
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        rows = rows_without_formulas(sheet, ImportFileError)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The sheet is empty."))
        known = {fold(h): key for key, h in COLUMNS} | ALIASES
        columns: dict[int, str] = {}
        for index, title in enumerate(header):
            key = known.get(fold(_text(title)))
            if key and key not in columns.values():
                columns[index] = key
        missing = [HEADER[key] for key in REQUIRED if key not in columns.values()]
        if missing:
            raise ImportFileError(
                _("Columns missing: %(missing)s. The first row must hold the headers: %(all)s.")
                % {"missing": ", ".join(f"«{m}»" for m in missing), "all": ", ".join(f"«{h}»" for _k, h in COLUMNS)}
            )
        result = []
        for number, values in enumerate(rows, start=2):
            if all(_text(v) == "" for v in values):
                continue
            if len(result) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %s rows; split it.") % f"{MAX_ROWS:,}".replace(",", ".")
                )
            row = {"row": number}
            for index, key in columns.items():
                row[key] = values[index] if index < len(values) else None
            result.append(row)
        return result
    finally:
        workbook.close()


# Planning -------------------------------------------------------------------------------------------------


class _Twin(NamedTuple):
    """A registered expert as the duplicate check names them."""

    code: str
    name: str
    birth_year: int | None


class _Lookups:
    """Everything a row is checked against, loaded once (a fixed number of queries for any file size): the
    registry as plain values (code, name, birth year), and as full records only the experts the file names by
    their code (their changes are shown field by field)."""

    def __init__(self, union: Union, codes: set[str]):
        self.union = union
        self.by_name_year: dict[tuple[str, int | None], _Twin] = {}
        known: set[str] = set()
        registry = Expert.objects.filter(union=union).order_by("pk")
        for code, name, birth_year in registry.values_list("code", "person__name", "person__birth_year"):
            known.add(code)
            self.by_name_year[(fold(name), birth_year)] = _Twin(code, name, birth_year)
        self.experts: dict[str, Expert] = {}
        wanted = sorted(codes & known)
        for start in range(0, len(wanted), 500):
            self.experts |= {
                e.code: e
                for e in registry.filter(code__in=wanted[start : start + 500])
                .select_related("person__agency", "person__association", "locality__parent__parent__parent")
                .prefetch_related("fields")
            }
        self.fields: dict[str, Field] = {}
        for f in Field.objects.filter(union=union):
            self.fields[fold(f.code)] = f
            self.fields.setdefault(fold(f.name), f)
        self.field_codes = sorted(f.code for f in set(self.fields.values()))
        self.agencies: dict[str, Agency] = {}
        for a in Agency.objects.filter(union=union):
            self.agencies[fold(a.name)] = a
            if a.short_name:
                self.agencies.setdefault(fold(a.short_name), a)
        self.associations: dict[str, MemberAssociation] = {}
        for a in MemberAssociation.objects.filter(union=union):
            self.associations[fold(a.name)] = a
            if a.short_name:
                self.associations.setdefault(fold(a.short_name), a)
        self._units: dict[str, list[dict]] | None = None

    @property
    def units(self) -> dict[str, list[dict]]:
        """Administrative units by their folded name and by their folded path (read when a row names one)."""
        if self._units is None:
            units = list(AdminUnit.objects.values("pk", "name", "parent_id", "valid_to"))
            by_pk = {u["pk"]: u for u in units}
            today = timezone.localdate()
            self._units = defaultdict(list)
            for unit in units:
                path, parent = [unit["name"]], unit["parent_id"]
                while parent and len(path) < 4:
                    path.append(by_pk[parent]["name"])
                    parent = by_pk[parent]["parent_id"]
                unit["current"] = unit["valid_to"] is None or unit["valid_to"] >= today
                for key in {fold(", ".join(path)), fold(unit["name"])}:  # a province's path is its name
                    self._units[key].append(unit)
        return self._units

    def unit(self, text: str) -> tuple[int | None, str]:
        candidates = self.units.get(fold(text), [])
        current = [u for u in candidates if u["current"]]
        chosen = current if len(current) == 1 else candidates
        if len(chosen) == 1:
            return chosen[0]["pk"], ""
        if not candidates:
            return None, _("no administrative unit is called «%s»") % text
        return None, _("«%s» names several units; write it with its province, e.g. «Huyện Đăk Tô, Tỉnh Kon Tum»") % text


# Characters `forbidden_character` never refuses, as one character class (tests/experts/test_import_bulk.py checks
# it): a cell holding none other is passed without the character-by-character check, which a CV of thousands of
# characters made the slowest part of checking a row. A Vietnamese text is ASCII, Latin letters with their marks
# and common punctuation; any other character sends the cell through the full check, with the same verdict.
SAFE_CHARACTERS = "\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u0300-\u036f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e"
_SUSPECT_ONE_LINE = re.compile(f"[^{SAFE_CHARACTERS}]")
_SUSPECT_MULTILINE = re.compile(f"[^{SAFE_CHARACTERS}\n\r\t]")
_CHOICES = {
    key: {fold(v): v for v, _label in choices.choices if v}
    for key, choices in (("academic_title", Person.AcademicTitle), ("degree", Person.Degree))
}
_AVAILABILITY_BY_TEXT = {fold(t): v for v, t in AVAILABILITY_TEXT.items()} | {fold(v): v for v in AVAILABILITY_TEXT}


def _values_of(raw: dict[str, Any], lookups: _Lookups, errors: list[RowError]) -> dict[str, Any]:
    number = raw["row"]

    def error(key: str, message: str) -> None:
        errors.append(RowError(number, HEADER[key], message))

    texts = {key: _text(raw.get(key)) for key, _header in COLUMNS if key not in MULTILINE_COLUMNS}
    for key, _header in COLUMNS:  # no bidirectional, invisible or control characters, no U+FFFD (core.text)
        cell = raw.get(key)
        if isinstance(cell, str):
            multiline = key in MULTILINE_COLUMNS
            text = cell if multiline else texts[key]
            if (_SUSPECT_MULTILINE if multiline else _SUSPECT_ONE_LINE).search(text):
                problem = forbidden_character(text, multiline=multiline)
                if problem is not None:
                    error(key, problem.message())
    values: dict[str, Any] = {}
    values["name"] = texts["name"][:200]
    if not values["name"]:
        error("name", _("the full name is missing"))
    year_text = texts["birth_year"]
    values["birth_year"] = None
    if year_text:
        this_year = timezone.localdate().year
        if (
            not (len(year_text) == 4 and year_text.isascii() and year_text.isdigit())
            or not 1900 <= int(year_text) <= this_year - 18
        ):
            error(
                "birth_year",
                _("«%(value)s» is not a birth year between 1900 and %(last)s")
                % {"value": year_text, "last": this_year - 18},
            )
        else:
            values["birth_year"] = int(year_text)
    gender = texts["gender"]
    values["gender"] = GENDERS.get(fold(gender), "") if gender else ""
    if gender and not values["gender"]:
        error("gender", _("write Nam, Nữ or Khác, not «%s»") % gender)
    for key in ("academic_title", "degree"):
        text = texts[key].replace(".", "")
        allowed = _CHOICES[key]
        values[key] = allowed.get(fold(text), "") if text else ""
        if text and not values[key]:
            error(
                key,
                _("«%(value)s» is not one of %(allowed)s") % {"value": text, "allowed": ", ".join(allowed.values())},
            )
    values["position"] = texts["position"][:200]
    workplace = texts["workplace"][:255]
    values["workplace"] = workplace
    association = texts["association"]
    values["association"] = None
    if association:
        values["association"] = lookups.associations.get(fold(association))
        if values["association"] is None:
            error("association", _("«%s» is not one of the Union's member associations") % association)
    field_texts = [t.strip() for t in texts["fields"].replace(",", ";").split(";") if t.strip()]
    values["fields"] = []
    if not field_texts:
        error("fields", _("give at least one field code, e.g. %s") % ", ".join(lookups.field_codes[:3]))
    for text in field_texts:
        found = lookups.fields.get(fold(text))
        if found is None:
            error(
                "fields",
                _("«%(value)s» is not a field code; the codes are %(codes)s")
                % {"value": text, "codes": ", ".join(lookups.field_codes)},
            )
        elif found not in values["fields"]:
            values["fields"].append(found)
    values["keywords"] = "; ".join(k.strip() for k in texts["keywords"].split(";") if k.strip())[:500]
    locality = texts["locality"]
    values["locality"] = None
    if locality:
        values["locality"], message = lookups.unit(locality)
        if message:
            error("locality", message)
    values["phone"] = texts["phone"][:50]
    values["email"] = texts["email"].lower()
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            error("email", _("«%s» is not an e-mail address") % values["email"])
    availability = texts["availability"]
    values["availability"] = (
        _AVAILABILITY_BY_TEXT.get(fold(availability), "") if availability else Expert.Availability.AVAILABLE
    )
    if not values["availability"]:
        error(
            "availability",
            _("write %(values)s, not «%(value)s»")
            % {"values": ", ".join(AVAILABILITY_TEXT.values()), "value": availability},
        )
    load = texts["max_load"]
    values["max_load"] = None
    if load:
        if not (len(load) <= 2 and load.isascii() and load.isdigit()) or not 1 <= int(load) <= 50:
            error("max_load", _("«%s» is not a whole number from 1 to 50") % load)
        else:
            values["max_load"] = int(load)
    cv = raw.get("cv")
    values["cv"] = str(cv).strip()[:10000] if cv is not None else ""
    return values


def _changes(expert: Expert, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    before = _display_values(expert)
    after = dict(before)
    after.update(
        name=values["name"],
        birth_year=values["birth_year"] or "",
        gender=GENDER_TEXT.get(values["gender"], ""),
        academic_title=values["academic_title"],
        degree=values["degree"],
        position=values["position"],
        workplace=values["workplace"],
        association=values["association"].name if values["association"] else "",
        fields="; ".join(sorted(f.code for f in values["fields"])),
        keywords=values["keywords"],
        locality=values["locality_path"],
        phone=values["phone"],
        email=values["email"],
        availability=AVAILABILITY_TEXT[values["availability"]],
        max_load=values["max_load"] or "",
        cv=values["cv"],
    )
    return [
        (header, str(before[key]), str(after[key]))
        for key, header in COLUMNS
        if key != "code" and normalize(str(before[key])) != normalize(str(after[key]))
    ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file is checked or applied, and resumed after (if it ran before).

    Checking and applying keep every row alive to the end (values, records, history records: hundreds of
    thousands of objects for 10,000 rows), and each full collection walked all of them again: a third of the
    time of applying 10,000 rows. Reference counting still frees whatever the import drops."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    """Slices of at most `size` items: what one `IN (...)` query may list on every database."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_import(union: Union, data: BinaryIO) -> ImportPlan:
    """Check every row; when none is wrong, say what applying the file would create and change."""
    with _collector_paused():
        return _plan_import(union, data)


def _plan_import(union: Union, data: BinaryIO) -> ImportPlan:
    plan = ImportPlan()
    try:
        raw_rows = read_rows(data)
    except ImportFileError as exc:
        plan.errors.append(RowError(1, "", str(exc)))
        return plan
    if not raw_rows:
        plan.errors.append(RowError(2, "", _("The file has no expert rows.")))
        return plan
    codes = [_text(raw.get("code")).upper() for raw in raw_rows]
    lookups = _Lookups(union, set(codes))
    checked = []  # (raw row, its values, what is wrong in them), each row's problems in the order of its cells
    for raw in raw_rows:
        value_errors: list[RowError] = []
        checked.append((raw, _values_of(raw, lookups, value_errors), value_errors))
    localities = sorted({values["locality"] for _raw, values, _errors in checked if values["locality"]})
    paths = {}
    for chunk in _chunks(localities):
        paths |= {u.pk: u.full_path() for u in AdminUnit.objects.filter(pk__in=chunk).select_related("parent__parent")}
    seen_codes: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    new_workplaces: set[str] = set()
    for (raw, values, value_errors), code in zip(checked, codes, strict=True):
        number = raw["row"]
        before = len(plan.errors)
        plan.errors.extend(value_errors)
        values["locality_path"] = paths.get(values["locality"], "")
        expert = None
        if code:
            if code in seen_codes:
                plan.errors.append(
                    RowError(
                        number,
                        HEADER["code"],
                        _("code %(code)s is already used in row %(row)s") % {"code": code, "row": seen_codes[code]},
                    )
                )
            seen_codes[code] = number
            expert = lookups.experts.get(code)
            if expert is None:
                plan.errors.append(
                    RowError(
                        number,
                        HEADER["code"],
                        _("no expert has the code %s; leave the cell empty to add a new expert") % code,
                    )
                )
        identity = (fold(values["name"]), values["birth_year"])
        if values["name"]:
            if identity in seen_people:
                plan.errors.append(
                    RowError(
                        number,
                        HEADER["name"],
                        _("the same person (name and birth year) is already in row %s") % seen_people[identity],
                    )
                )
            seen_people[identity] = number
            twin = lookups.by_name_year.get(identity)
            if not code and twin is not None:
                plan.errors.append(
                    RowError(
                        number,
                        HEADER["code"],
                        _("%(name)s (born %(year)s) is already registered as %(code)s; write that code to update it")
                        % {"name": twin.name, "year": twin.birth_year or "?", "code": twin.code},
                    )
                )
        if len(plan.errors) > before:
            continue
        if values["workplace"] and fold(values["workplace"]) not in lookups.agencies:
            new_workplaces.add(values["workplace"])
        if expert is None:
            plan.rows.append(PlannedRow(number, "", values["name"], "create", values=values))
        else:
            changes = _changes(expert, values)
            action = "update" if changes else "unchanged"
            plan.rows.append(PlannedRow(number, code, values["name"], action, changes, values, expert))
    plan.new_workplaces = sorted(new_workplaces, key=fold)
    if plan.errors:
        plan.rows = []
    return plan


# Applying -------------------------------------------------------------------------------------------------


BATCH = 1000  # rows an INSERT writes, or UPDATEs sent at once


def _update_with_history(objs: list[Model], model: type[Model], field_names: list[str]) -> None:
    """What simple-history's bulk_update_with_history writes (the fields, then a "~" history record per row), with
    one parametrised UPDATE per row sent in batches (executemany) instead of Django's bulk_update, whose CASE of
    one WHEN per row and field took 2.5 ms a row to build (a re-imported registry of 1,667: 4.1 s, now 0.6 s)."""
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        for chunk in _chunks(params, BATCH):
            cursor.executemany(sql, chunk)
    get_history_manager_for_model(model).bulk_history_create(
        objs, batch_size=BATCH, update=True, default_change_reason=None
    )


@transaction.atomic
def apply_plan(union: Union, plan: ImportPlan, *, actor: User) -> dict[str, int]:
    """Apply a checked plan in one transaction: all rows or none. People, experts, their history records (as
    save() would write them: search form, sort key, who and when) and their fields are written in batches."""
    if not plan.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    with _collector_paused():
        return _apply_plan(union, plan, actor=actor)


def _apply_plan(union: Union, plan: ImportPlan, *, actor: User) -> dict[str, int]:
    agencies = list(Agency.objects.filter(union=union))
    lookups_agencies = {fold(a.name): a for a in agencies}
    lookups_agencies |= {fold(a.short_name): a for a in agencies if a.short_name}
    for name in plan.new_workplaces:
        if fold(name) not in lookups_agencies:
            agency = Agency(union=union, name=name, kind=Agency.Kind.OTHER)
            agency.save()
            lookups_agencies[fold(name)] = agency

    def fill_person(person: Person, values: dict) -> Person:
        for key in ("name", "birth_year", "gender", "academic_title", "degree", "position", "phone", "email"):
            setattr(person, key, values[key])
        person.agency = lookups_agencies.get(fold(values["workplace"])) if values["workplace"] else None
        person.association = values["association"]
        person.fill_search_fields()
        return person

    def fill_expert(expert: Expert, values: dict) -> Expert:
        for key in ("keywords", "cv", "availability", "max_load"):
            setattr(expert, key, values[key])
        expert.locality_id = values["locality"]
        expert.refresh_search([f.name for f in values["fields"]])
        return expert

    creates = [r for r in plan.rows if r.action == "create"]
    updates = [r for r in plan.rows if r.action == "update"]
    people = bulk_create_with_history(
        [fill_person(Person(union=union), r.values) for r in creates], Person, batch_size=BATCH
    )
    first = int(Expert.next_code(union)[3:])
    new_experts = [
        fill_expert(Expert(union=union, person=person, code=f"CG-{first + i:04d}"), row.values)
        for i, (row, person) in enumerate(zip(creates, people, strict=True))
    ]
    new_experts = bulk_create_with_history(new_experts, Expert, batch_size=BATCH)
    if updates:
        person_fields = [
            "name",
            "birth_year",
            "gender",
            "academic_title",
            "degree",
            "position",
            "phone",
            "email",
            "agency",
            "association",
            "name_folded",
            "sort_key",
        ]
        _update_with_history([fill_person(r.expert.person, r.values) for r in updates], Person, person_fields)
        _update_with_history(
            [fill_expert(r.expert, r.values) for r in updates],
            Expert,
            ["keywords", "cv", "availability", "max_load", "locality", "search_folded"],
        )
    Through = Expert.fields.through
    for chunk in _chunks([r.expert.pk for r in updates]):
        Through.objects.filter(expert_id__in=chunk).delete()
    Through.objects.bulk_create(
        [
            Through(expert_id=e.pk, field_id=f.pk)
            for e, r in zip(new_experts, creates, strict=True)
            for f in r.values["fields"]
        ]
        + [Through(expert_id=r.expert.pk, field_id=f.pk) for r in updates for f in r.values["fields"]],
        batch_size=BATCH,
    )
    counts = {
        "created": len(creates),
        "updated": len(updates),
        "unchanged": plan.count("unchanged"),
        "workplaces": len(plan.new_workplaces),
    }
    log_activity(
        union=union,
        actor=actor,
        verb="experts.import.applied",
        message=_("Experts imported from Excel: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
        % counts,
    )
    return counts
