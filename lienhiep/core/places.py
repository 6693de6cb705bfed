"""Administrative units: import from a spreadsheet (CSV/XLSX) or from the `vietnamadminunits` package.

The row format
--------------
One row is one unit over one period (`UnitRow`). A unit is identified by (level, code, valid_from); an empty
valid_from means "since before the records start". Links are written with codes only and resolved by period:

- parent: the unit of the parent level with that code that has the same valid_from as the child, or else
  whose validity covers the child's valid_from. The parent level is derived: a district's parent is a
  province; a commune's parent is a district before the 2025 reform and a province from it (a commune whose
  valid_from is 1 July 2025 or later).
- successors: the units with those codes valid on the day after the row's valid_to. They are of the row's
  level, except a district that lasted until the reform: its successors are communes (districts were
  abolished on 1 July 2025).

National codes are digits of fixed width (province 2, district 3, commune 5); shorter digit strings (Excel
drops leading zeros) are padded to that width.

A parent code left out (None) leaves the parent as it is; an empty one removes it. Likewise a successor list
left out (None) leaves the links as they are; a list (even empty) replaces them.

Spreadsheet columns (header on row 1; matched ignoring case and diacritics): Mã, Tên, Tên ngắn, Loại, Cấp
(tỉnh/huyện/xã or province/district/commune), Mã đơn vị cấp trên, Hiệu lực từ, Hiệu lực đến (dd/mm/yyyy,
yyyy-mm-dd or Excel dates), Mã đơn vị kế thừa (codes separated by ; or ,). Tên ngắn and Loại are derived
from Tên when absent ("Huyện Đăk Tô" → "Huyện", "Đăk Tô").

`import_units` checks every row before writing anything: one bad row and nothing is imported.
"""

import csv
import datetime
import importlib.resources
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
from django.db import transaction
from django.db.models import Q, QuerySet
from openpyxl.utils.datetime import from_excel
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lienhiep.core.models import AdminUnit
from lienhiep.core.sheets import rows_without_formulas
from lienhiep.core.text import fold, normalize

LEGACY_VALID_TO = date(2025, 6, 30)
REFORM_DATE = date(2025, 7, 1)

PROVINCE = AdminUnit.Level.PROVINCE.value
DISTRICT = AdminUnit.Level.DISTRICT.value
COMMUNE = AdminUnit.Level.COMMUNE.value
LEVELS = (PROVINCE, DISTRICT, COMMUNE)
LEVEL_LABELS = {PROVINCE: "tỉnh", DISTRICT: "huyện", COMMUNE: "xã"}
CODE_WIDTHS = {PROVINCE: 2, DISTRICT: 3, COMMUNE: 5}

# Type prefixes of unit names, longest first so "Thành phố" wins over shorter words.
KINDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")

# Kon Tum's own documents (and its newspaper) write "Đăk" where the national list has "Đắk".
LOCAL_SPELLINGS: dict[tuple[str, str], tuple[str, str]] = {
    (DISTRICT, "610"): ("Huyện Đăk Glei", "Đăk Glei"),
    (DISTRICT, "612"): ("Huyện Đăk Tô", "Đăk Tô"),
    (DISTRICT, "615"): ("Huyện Đăk Hà", "Đăk Hà"),
}

COLUMNS = {  # field → header as the user sees it
    "code": "Mã",
    "name": "Tên",
    "short_name": "Tên ngắn",
    "kind": "Loại",
    "level": "Cấp",
    "parent_code": "Mã đơn vị cấp trên",
    "valid_from": "Hiệu lực từ",
    "valid_to": "Hiệu lực đến",
    "successor_codes": "Mã đơn vị kế thừa",
}
REQUIRED_COLUMNS = ("code", "name", "level")
MAX_ROWS = 30_000  # the whole country before and after the 2025 reform is about 15,000 units
_HEADERS = {fold(header): name for name, header in COLUMNS.items()} | {name: name for name in COLUMNS}
_LEVEL_WORDS = {
    "tinh": PROVINCE,
    "province": PROVINCE,
    "huyen": DISTRICT,
    "district": DISTRICT,
    "xa": COMMUNE,
    "commune": COMMUNE,
}
_CODE_SEPARATORS = re.compile(r"[;,]")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
CHANGE_REASON = "Nhập danh mục đơn vị hành chính"

Key = tuple[str, str, date | None]


class UnitsFileError(ValueError):
    """The file cannot be read as a list of units (wrong type, no header, a required column missing)."""


class RowError(NamedTuple):
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột «{self.column}»: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        total = self.created + self.updated + self.unchanged
        return (
            f"Đã nhập {total} đơn vị hành chính: {self.created} mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi."
        )


@dataclass
class UnitRow:
    """One unit over one period; see the module docstring for how parent and successors are resolved."""

    code: str
    name: str
    level: str
    short_name: str = ""
    kind: str = ""
    parent_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successor_codes: list[str] | None = None
    row_number: int = 0

    @property
    def key(self) -> Key:
        return (self.level, self.code, self.valid_from)

    @property
    def parent_level(self) -> str | None:
        if self.level == PROVINCE:
            return None
        if self.level == DISTRICT:
            return PROVINCE
        return PROVINCE if self.valid_from is not None and self.valid_from >= REFORM_DATE else DISTRICT

    @property
    def successor_level(self) -> str:
        if self.level == DISTRICT and self.valid_to is not None and self.valid_to >= LEGACY_VALID_TO:
            return COMMUNE
        return self.level


def split_kind(name: str) -> tuple[str, str]:
    """'Huyện Đắk Tô' → ('Huyện', 'Đắk Tô'); 'Thành Phố Bắc Kạn' → ('Thành phố', 'Bắc Kạn'); no prefix → ('', name)."""
    name = normalize(name)
    lowered = name.lower()
    for kind in KINDS:
        if lowered.startswith(kind.lower() + " "):
            return kind, name[len(kind) + 1 :].strip()
    return "", name


def pad_code(code: str, level: str | None) -> str:
    """'1' → '01' for a province: national codes have a fixed width per level."""
    width = CODE_WIDTHS.get(level or "", 0)
    return code.zfill(width) if code.isascii() and code.isdigit() and len(code) < width else code


def format_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


# ---------------------------------------------------------------------------------------------------- reading


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def _header_map(header: Iterable[Any]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        name = _HEADERS.get(fold(_cell_text(title)))
        if name and name not in columns.values():
            columns[index] = name
    missing = [COLUMNS[name] for name in REQUIRED_COLUMNS if name not in columns.values()]
    if missing:
        raise UnitsFileError(
            "Thiếu cột: "
            + ", ".join(f"«{m}»" for m in missing)
            + ". Các cột cần có: "
            + ", ".join(f"«{h}»" for h in COLUMNS.values())
            + "."
        )
    return columns


def _rows_from_table(table: Iterable[Iterable[Any]]) -> list[dict[str, Any]]:
    iterator = iter(table)
    header = next(iterator, None)
    if header is None:
        raise UnitsFileError("Tệp trống.")
    columns = _header_map(header)
    rows = []
    for row_number, values in enumerate(iterator, start=2):
        values = list(values)
        if all(_cell_text(v) == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnitsFileError(f"Tệp có hơn {MAX_ROWS:,} dòng; hãy chia thành nhiều tệp.".replace(",", "."))
        row: dict[str, Any] = {"row_number": row_number}
        for index, name in columns.items():
            row[name] = values[index] if index < len(values) else None
        rows.append(row)
    return rows


def read_units_file(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8, with or without BOM, comma/semicolon/tab) or XLSX file (first sheet).

    Each row is a dict of raw cell values keyed by field name (code, name, ... as in `COLUMNS`; columns the
    file lacks are absent) plus `row_number`, the row as numbered in the spreadsheet (the header is row 1).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise UnitsFileError(f"Không đọc được tệp Excel: {exc}") from exc
        try:
            return _rows_from_table(rows_without_formulas(workbook.worksheets[0], UnitsFileError))
        finally:
            workbook.close()
    if suffix in (".csv", ".txt"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnitsFileError("Tệp CSV phải được lưu với bảng mã UTF-8.") from exc
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        return _rows_from_table(csv.reader(text.splitlines(), delimiter=delimiter))
    raise UnitsFileError("Chỉ nhận tệp .csv hoặc .xlsx.")


# ---------------------------------------------------------------------------------------------------- parsing


def _parse_date(value: Any) -> date | None:
    """None for an empty cell; ValueError for a value that is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (OverflowError, TypeError) as exc:
            raise ValueError(value) from exc
    text = _cell_text(value)
    if not text:
        return None
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    if match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    raise ValueError(text)


def _parse_level(value: Any) -> str | None:
    word = fold(_cell_text(value))
    word = word.removeprefix("cap ").strip()
    return _LEVEL_WORDS.get(word)


def _parse_codes(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        parts = [_cell_text(v) for v in value]
    else:
        parts = _CODE_SEPARATORS.split(_cell_text(value))
    return [p.strip() for p in parts if p.strip()]


def _row_from_mapping(raw: Mapping[str, Any], row_number: int) -> tuple[UnitRow | None, list[RowError]]:
    """A file row (raw cell values) → UnitRow and the problems found reading it.

    The row is built whenever it has a code and a level, even with other problems, so that other rows naming
    it as parent or successor are not reported as well.
    """
    found: list[RowError] = []

    def error(name: str, message: str) -> None:
        found.append(RowError(row_number, COLUMNS[name], message))

    code = _cell_text(raw.get("code"))
    name = _cell_text(raw.get("name"))
    if not code:
        error("code", "Thiếu mã đơn vị.")
    level_text = _cell_text(raw.get("level"))
    level = _parse_level(level_text)
    if not level_text:
        error("level", "Thiếu cấp (tỉnh, huyện hoặc xã).")
    elif level is None:
        error("level", f"Cấp «{level_text}» không hợp lệ; ghi tỉnh, huyện hoặc xã.")
    dates: dict[str, date | None] = {}
    for column in ("valid_from", "valid_to"):
        try:
            dates[column] = _parse_date(raw.get(column))
        except ValueError:
            error(
                column,
                f"Ngày «{_cell_text(raw.get(column))}» không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 30/06/2025.",
            )
            dates[column] = None
    if not code or level is None:
        if not name:
            error("name", "Thiếu tên đơn vị.")
        return None, found
    kind_from_name, rest = split_kind(name)
    kind = _cell_text(raw.get("kind")) or kind_from_name
    short_name = _cell_text(raw.get("short_name"))
    if not short_name:
        short_name = rest if kind_from_name and fold(kind) == fold(kind_from_name) else name
    row = UnitRow(
        code=pad_code(code, level),
        name=name,
        level=level,
        short_name=short_name,
        kind=kind,
        valid_from=dates["valid_from"],
        valid_to=dates["valid_to"],
        row_number=row_number,
    )
    if "parent_code" in raw:
        row.parent_code = pad_code(_cell_text(raw.get("parent_code")), row.parent_level)
    if "successor_codes" in raw:
        row.successor_codes = [pad_code(c, row.successor_level) for c in _parse_codes(raw.get("successor_codes"))]
    return row, found


def _check_row(row: UnitRow) -> list[RowError]:
    """What every row must satisfy on its own, whether read from a file or built in code."""
    found = []
    if row.level not in LEVELS:
        found.append(RowError(row.row_number, COLUMNS["level"], f"Cấp «{row.level}» không hợp lệ."))
    if not row.code:
        found.append(RowError(row.row_number, COLUMNS["code"], "Thiếu mã đơn vị."))
    if not row.name:
        found.append(RowError(row.row_number, COLUMNS["name"], "Thiếu tên đơn vị."))
    if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
        found.append(
            RowError(
                row.row_number,
                COLUMNS["valid_to"],
                f"Ngày hết hiệu lực ({format_date(row.valid_to)}) trước ngày bắt đầu hiệu lực "
                f"({format_date(row.valid_from)}).",
            )
        )
    return found


# ---------------------------------------------------------------------------------------------------- checking


@dataclass
class _Period:
    valid_from: date | None
    valid_to: date | None

    def covers(self, day: date | None) -> bool:
        """Whether the unit is valid on day; day None means "since before the records start"."""
        if day is None:
            return self.valid_from is None
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class _Index:
    """Every unit known (the database, overridden by the file's rows), by level and code."""

    def __init__(self) -> None:
        self.periods: dict[tuple[str, str], dict[date | None, _Period]] = defaultdict(dict)

    def add(self, level: str, code: str, valid_from: date | None, valid_to: date | None) -> None:
        self.periods[(level, code)][valid_from] = _Period(valid_from, valid_to)

    def find(self, level: str, code: str, day: date | None, same_start_first: bool = False) -> Key | None:
        candidates = self.periods.get((level, code), {})
        if same_start_first and day in candidates:
            return (level, code, day)
        covering = [start for start, period in candidates.items() if period.covers(day)]
        if not covering:
            return None
        latest = max(covering, key=lambda start: start or date.min)
        return (level, code, latest)


def _check_links(rows: list[UnitRow], index: _Index, errors: list[RowError]) -> None:
    for row in rows:
        parent_level = row.parent_level
        if row.parent_code:
            if parent_level is None:
                errors.append(
                    RowError(
                        row.row_number,
                        COLUMNS["parent_code"],
                        "Đơn vị cấp tỉnh không có đơn vị cấp trên; để trống ô này.",
                    )
                )
            elif index.find(parent_level, row.parent_code, row.valid_from, same_start_first=True) is None:
                when = f"có hiệu lực ngày {format_date(row.valid_from)}" if row.valid_from else "hiệu lực từ trước"
                message = (
                    f"Không có đơn vị cấp {LEVEL_LABELS[parent_level]} mã {row.parent_code} ({when}), "
                    "trong tệp cũng như trong cơ sở dữ liệu."
                )
                errors.append(RowError(row.row_number, COLUMNS["parent_code"], message))
        if row.successor_codes:
            if row.valid_to is None:
                errors.append(
                    RowError(row.row_number, COLUMNS["valid_to"], "Đơn vị có đơn vị kế thừa phải có ngày hết hiệu lực.")
                )
                continue
            day_after = row.valid_to + datetime.timedelta(days=1)
            level = row.successor_level
            for code in row.successor_codes:
                if index.find(level, code, day_after) is None:
                    errors.append(
                        RowError(
                            row.row_number,
                            COLUMNS["successor_codes"],
                            f"Không có đơn vị cấp {LEVEL_LABELS[level]} mã {code} có hiệu lực ngày "
                            f"{format_date(day_after)} (ngày sau ngày hết hiệu lực), trong tệp cũng như trong "
                            "cơ sở dữ liệu.",
                        )
                    )


# ---------------------------------------------------------------------------------------------------- writing


_FIELDS = ("name", "short_name", "kind", "valid_to")


def import_units(rows: Iterable[UnitRow | Mapping[str, Any]]) -> ImportReport:
    """Check every row, then (only if none is wrong) create or update the units, their parents and successors.

    Rows are UnitRow objects or dicts as read by `read_units_file`. Returns counts, or the errors (row as the
    user numbers it, column header, Vietnamese message) with nothing written.
    """
    report = ImportReport()
    with transaction.atomic():
        checked = _read_and_check(rows, report.errors)
        if report.errors:
            report.errors.sort(key=lambda e: e.row)
            return report
        _apply(*checked, report)
    return report


def _read_and_check(
    rows: Iterable[UnitRow | Mapping[str, Any]], errors: list[RowError]
) -> tuple[list[UnitRow], dict[Key, AdminUnit], _Index]:
    """The rows to write, the units already in the database and the index of both; problems go to errors."""
    candidates: list[tuple[UnitRow, bool]] = []  # (row, read without problems)
    for position, raw in enumerate(rows, start=2):
        if isinstance(raw, UnitRow):
            row, found = raw, []
            row.row_number = row.row_number or position
        else:
            row, found = _row_from_mapping(raw, int(raw.get("row_number") or position))
        if row is not None:
            found += _check_row(row)
        errors.extend(found)
        if row is not None and row.level in LEVELS:
            candidates.append((row, not found))

    seen: dict[Key, int] = {}
    unique: list[tuple[UnitRow, bool]] = []
    for row, good in candidates:
        if row.key in seen:
            message = (
                f"Trùng với dòng {seen[row.key]}: cùng cấp, mã {row.code} và ngày hiệu lực từ "
                f"{format_date(row.valid_from)}."
            )
            errors.append(RowError(row.row_number, COLUMNS["code"], message))
        else:
            seen[row.key] = row.row_number
            unique.append((row, good))

    existing: dict[Key, AdminUnit] = {
        (unit.level, unit.code, unit.valid_from): unit for unit in AdminUnit.objects.all()
    }
    index = _Index()
    for unit in existing.values():
        index.add(unit.level, unit.code, unit.valid_from, unit.valid_to)
    for row, _good in unique:
        index.add(row.level, row.code, row.valid_from, row.valid_to)
    good_rows = [row for row, good in unique if good]
    _check_links(good_rows, index, errors)
    return good_rows, existing, index


def _apply(rows: list[UnitRow], existing: dict[Key, AdminUnit], index: _Index, report: ImportReport) -> None:
    ids: dict[Key, int] = {key: unit.pk for key, unit in existing.items()}
    changed: set[Key] = set()
    created: set[Key] = set()
    for level in LEVELS:  # parents are always of a higher level, so they have ids by the time they're needed
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for row in rows:
            if row.level != level:
                continue
            parent_id: int | None = None
            if row.parent_code and row.parent_level:
                parent_key = index.find(row.parent_level, row.parent_code, row.valid_from, same_start_first=True)
                parent_id = ids[parent_key]
            unit = existing.get(row.key)
            if unit is None:
                unit = AdminUnit(
                    code=row.code,
                    level=row.level,
                    name=row.name,
                    short_name=row.short_name,
                    kind=row.kind,
                    valid_from=row.valid_from,
                    valid_to=row.valid_to,
                    parent_id=parent_id,
                )
                unit.fill_search_fields()
                to_create.append(unit)
                created.add(row.key)
                continue
            values = {
                "name": normalize(row.name),
                "short_name": row.short_name,
                "kind": row.kind,
                "valid_to": row.valid_to,
            }
            if row.parent_code is not None:
                values["parent_id"] = parent_id
            if any(getattr(unit, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(unit, name, value)
                unit.fill_search_fields()
                to_update.append(unit)
                changed.add(row.key)
        if to_create:
            bulk_create_with_history(to_create, AdminUnit, batch_size=500, default_change_reason=CHANGE_REASON)
            for unit in to_create:
                ids[(unit.level, unit.code, unit.valid_from)] = unit.pk
        if to_update:
            bulk_update_with_history(
                to_update,
                AdminUnit,
                [*_FIELDS, "parent", "name_folded", "sort_key"],
                batch_size=500,
                default_change_reason=CHANGE_REASON,
            )

    changed |= _apply_successors(rows, ids, index)
    report.created = len(created)
    report.updated = len(changed - created)
    report.unchanged = len(rows) - report.created - report.updated


def _apply_successors(rows: list[UnitRow], ids: dict[Key, int], index: _Index) -> set[Key]:
    """Replace the successor links of the rows that list them; the keys whose links changed."""
    through = AdminUnit.successors.through
    wanted: dict[int, tuple[Key, set[int]]] = {}
    for row in rows:
        if row.successor_codes is None:
            continue
        targets: set[int] = set()
        if row.successor_codes:
            day_after = row.valid_to + datetime.timedelta(days=1)
            for code in row.successor_codes:
                targets.add(ids[index.find(row.successor_level, code, day_after)])
        wanted[ids[row.key]] = (row.key, targets)
    if not wanted:
        return set()
    current: dict[int, dict[int, int]] = defaultdict(dict)  # from id → {to id: link id}
    for link_id, from_id, to_id in through.objects.values_list("pk", "from_adminunit_id", "to_adminunit_id"):
        if from_id in wanted:
            current[from_id][to_id] = link_id
    stale: list[int] = []
    new: list[Any] = []
    changed: set[Key] = set()
    for from_id, (key, targets) in wanted.items():
        have = current.get(from_id, {})
        if set(have) == targets:
            continue
        changed.add(key)
        stale.extend(link_id for to_id, link_id in have.items() if to_id not in targets)
        new.extend(through(from_adminunit_id=from_id, to_adminunit_id=to_id) for to_id in targets - set(have))
    for start in range(0, len(stale), 500):
        through.objects.filter(pk__in=stale[start : start + 500]).delete()
    through.objects.bulk_create(new, batch_size=500)
    return changed


# ---------------------------------------------------------------------------------------------------- package


def package_data_dir() -> Path:
    return Path(str(importlib.resources.files("vietnamadminunits") / "data"))


def _unit_parts(name: str) -> tuple[str, str, str]:
    """Package name → (full name with the kind's usual capitals, kind, short name)."""
    kind, short = split_kind(name)
    return (f"{kind} {short}" if kind else short), kind, short


def _package_row(
    name: str,
    code: str,
    level: str,
    parent_code: str,
    successor_codes: list[str],
    *,
    valid_from: date | None = None,
    valid_to: date | None = None,
    local: tuple[str, str] | None = None,
) -> UnitRow:
    """One unit of the package as a row; `local` overrides the (full name, short name) with local spelling."""
    full, kind, short = _unit_parts(local[0] if local else name)
    return UnitRow(
        code=code,
        name=full,
        short_name=local[1] if local else short,
        kind=kind,
        level=level,
        parent_code=parent_code,
        valid_from=valid_from,
        valid_to=valid_to,
        successor_codes=successor_codes,
    )


def package_rows(provinces: list[str] | None = None) -> list[UnitRow]:
    """Rows for the units before and after the 1 July 2025 reform, from the vietnamadminunits package.

    Before: provinces, districts and communes, valid until 30/06/2025 (valid_from empty: the package keeps no
    earlier history). After: provinces and communes from 01/07/2025, communes directly under provinces.
    Successors: old province → its new province, old commune → the new commune(s) it went to (a divided
    commune lists every new commune that took a part), old district → every new commune its communes went to
    (the five island districts without communes → their special zone).

    provinces filters by old or new province name (short or full, ignoring case and diacritics) and takes
    whole merger groups: ["Kon Tum"] gives the old Kon Tum and old Quảng Ngãi trees and the new Quảng Ngãi
    tree, so every new commune comes with all its predecessors. Kon Tum's district names get LOCAL_SPELLINGS.
    """
    data_dir = package_data_dir()
    connection = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    try:
        legacy = connection.execute(
            "SELECT provinceCode, province, provinceKey, districtCode, district, districtKey, wardCode, ward, "
            "wardKey FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
        current = connection.execute(
            "SELECT provinceCode, province, provinceKey, wardCode, ward, wardKey FROM admin_units "
            "ORDER BY provinceCode, wardCode"
        ).fetchall()
    finally:
        connection.close()
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    old_provinces: dict[str, tuple[str, str]] = {}  # key → (code, name)
    old_districts: dict[tuple[str, str], tuple[str, str, str]] = {}  # (prov key, key) → (code, name, prov code)
    old_communes: dict[str, tuple[str, str, str, str]] = {}  # full key → (code, name, district code, prov key)
    for p_code, p_name, p_key, d_code, d_name, d_key, w_code, w_name, w_key in legacy:
        old_provinces[p_key] = (p_code, p_name)
        old_districts[(p_key, d_key)] = (d_code, d_name, p_code)
        if w_code:
            old_communes[f"{p_key}_{d_key}_{w_key}"] = (w_code, w_name, d_code, p_key)
    new_provinces: dict[str, tuple[str, str]] = {}
    new_communes: dict[tuple[str, str], tuple[str, str, str]] = {}  # (prov key, key) → (code, name, prov code)
    for p_code, p_name, p_key, w_code, w_name, w_key in current:
        new_provinces[p_key] = (p_code, p_name)
        new_communes[(p_key, w_key)] = (w_code, w_name, p_code)

    merged_into = {old: new for new, olds in converter["DICT_PROVINCE"].items() for old in olds}
    if provinces:
        wanted = {fold(p) for p in provinces}

        def matches(name: str) -> bool:
            return fold(name) in wanted or fold(split_kind(name)[1]) in wanted

        chosen_new = {key for key, (_c, name) in new_provinces.items() if matches(name)}
        chosen_new |= {merged_into[key] for key, (_c, name) in old_provinces.items() if matches(name)}
        if not chosen_new:
            raise ValueError(
                "Không có tỉnh nào tên " + ", ".join(f"«{p}»" for p in provinces) + " trong gói vietnamadminunits."
            )
    else:
        chosen_new = set(new_provinces)
    chosen_old = {old for old, new in merged_into.items() if new in chosen_new}

    commune_successors: dict[str, set[str]] = defaultdict(set)  # old full key → new commune codes
    district_successors: dict[tuple[str, str], set[str]] = defaultdict(set)

    def link(old_key: str, new_province_key: str, new_ward_key: str) -> None:
        new_code = new_communes[(new_province_key, new_ward_key)][0]
        province_key, district_key, ward_key = old_key.split("_")
        district_successors[(province_key, district_key)].add(new_code)
        if ward_key:
            commune_successors[old_key].add(new_code)

    for new_province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            for old_key in old_keys:
                link(old_key, new_province_key, new_ward_key)
    for new_province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, options in divided.items():
            for option in options:
                link(old_key, new_province_key, option["newWardKey"])

    old = {"valid_to": LEGACY_VALID_TO}
    new = {"valid_from": REFORM_DATE}
    rows = [
        _package_row(name, code, PROVINCE, "", [new_provinces[merged_into[key]][0]], **old)
        for key, (code, name) in old_provinces.items()
        if key in chosen_old
    ]
    rows += [
        _package_row(name, code, PROVINCE, "", [], **new)
        for key, (code, name) in new_provinces.items()
        if key in chosen_new
    ]
    rows += [
        _package_row(
            name,
            code,
            DISTRICT,
            province_code,
            sorted(district_successors[(province_key, district_key)]),
            local=LOCAL_SPELLINGS.get((DISTRICT, code)),
            **old,
        )
        for (province_key, district_key), (code, name, province_code) in old_districts.items()
        if province_key in chosen_old
    ]
    rows += [
        _package_row(name, code, COMMUNE, district_code, sorted(commune_successors[old_key]), **old)
        for old_key, (code, name, district_code, province_key) in old_communes.items()
        if province_key in chosen_old
    ]
    rows += [
        _package_row(name, code, COMMUNE, province_code, [], **new)
        for (province_key, _ward_key), (code, name, province_code) in new_communes.items()
        if province_key in chosen_new
    ]
    for number, row in enumerate(rows, start=2):
        row.row_number = number
    return rows


# ---------------------------------------------------------------------------------------------------- pages

CHILDREN_PAGE_SIZE = 100  # a province after the reform holds up to ~170 communes


@dataclass
class UnitLinks:
    """What a unit became and what it was formed from, each unit with its ancestors loaded (for `full_path`)."""

    successors: list[AdminUnit]
    predecessors: list[AdminUnit]


def unit_links(unit: AdminUnit) -> UnitLinks:
    """Successors and predecessors of a unit in two queries however many there are (a district abolished in 2025
    lists dozens of communes): the links by their indexed ends, then the units by primary key with their parents.
    (One query joining the links to the units and their parents lets PostgreSQL hash-join the whole table of
    units when its statistics are missing, as after an import: 26 ms instead of 1.)"""
    through = AdminUnit.successors.through
    links = through.objects.filter(Q(from_adminunit_id=unit.pk) | Q(to_adminunit_id=unit.pk)).values_list(
        "from_adminunit_id", "to_adminunit_id"
    )
    successor_ids, predecessor_ids = set(), set()
    for from_id, to_id in links:
        if from_id == unit.pk:
            successor_ids.add(to_id)
        else:
            predecessor_ids.add(from_id)
    units = AdminUnit.objects.filter(pk__in=successor_ids | predecessor_ids).select_related("parent__parent")
    successors, predecessors = [], []
    for other in units if successor_ids or predecessor_ids else []:
        (successors if other.pk in successor_ids else predecessors).append(other)
    return UnitLinks(successors=successors, predecessors=predecessors)


def children_of(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The units directly within a unit, in name order: only what a list of links shows."""
    return unit.children.only("pk", "name", "sort_key")
