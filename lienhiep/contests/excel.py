"""Excel of the contests: exports (entries; scores by judge and criterion; results; payouts) and the import of
paper score sheets — every row checked first (row, column, reason in Vietnamese), then all applied in one
transaction, or nothing."""

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from lienhiep.contests import judging, results
from lienhiep.contests.awards import winners
from lienhiep.contests.models import Assignment, Contributor, Edition, Entry, Round
from lienhiep.contests.services import percent
from lienhiep.core.models import User
from lienhiep.core.services import check, log_activity
from lienhiep.core.sheets import rows_without_formulas
from lienhiep.core.text import fold, forbidden_character, normalize

FORMULA_STARTS = ("=", "+", "-", "@")
MAX_ROWS = 20_000


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _workbook(title: str, headers: list[str], rows, widths: dict[int, int] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a live formula
    for index in range(1, len(headers) + 1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = (widths or {}).get(index, 16)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def entries_workbook(edition: Edition) -> bytes:
    entries = (
        Entry.objects.filter(edition=edition)
        .exclude(status=Entry.Status.DRAFT)
        .select_related("field", "locality__parent", "school", "age_group")
        .prefetch_related("contributors__person__agency")
        .order_by("number")
    )
    rows = []
    for e in entries:
        people = list(e.contributors.all())
        rows.append(
            [
                e.number,
                e.title,
                e.field.code,
                e.field.name,
                "; ".join(
                    f"{c.person.name} ({percent(c.share)}%)" for c in people if c.role == Contributor.Role.AUTHOR
                ),
                "; ".join(c.person.name for c in people if c.role == Contributor.Role.MENTOR),
                e.school.name if e.school_id else "",
                e.age_group.name if e.age_group_id else "",
                e.locality.full_path() if e.locality_id else "",
                e.get_status_display(),
                timezone.localtime(e.submitted_at).strftime("%d/%m/%Y %H:%M:%S") if e.submitted_at else "",
                "x" if e.on_paper else "",
                e.summary,
            ]
        )
    headers = [
        "Số đăng ký", "Tên giải pháp", "Mã lĩnh vực", "Lĩnh vực", "Tác giả (tỷ lệ đóng góp)", "Người hướng dẫn",
        "Trường", "Bảng tuổi", "Địa phương", "Trạng thái", "Nộp lúc", "Hồ sơ giấy", "Tóm tắt",
    ]  # fmt: skip
    return _workbook("Bài dự thi", headers, rows, {2: 50, 5: 40, 9: 40, 13: 60})


def scores_workbook(round: Round) -> bytes:
    """Every sheet of the round: one row per judge and entry, one column per criterion (staff only)."""
    criteria = list(round.criteria.all())
    assignments = (
        Assignment.objects.filter(round=round)
        .exclude(status=Assignment.Status.PROPOSED)
        .select_related("entry", "expert__person")
        .prefetch_related("scores__criterion")
        .order_by("entry__number", "expert__code")
    )
    rows = []
    for a in assignments:
        points = {s.criterion_id: s.points for s in a.scores.all()}
        rows.append(
            [a.entry.number, a.entry.title, a.expert.code, a.expert.person.name, a.get_status_display()]
            + [points.get(c.pk) for c in criteria]
            + [judging.total_of(a, list(a.scores.all())) if points else None, a.comment]
        )
    headers = ["Số đăng ký", "Tên giải pháp", "Mã giám khảo", "Giám khảo", "Trạng thái"]
    headers += [f"{c.code} (tối đa {percent(c.max_points)})" for c in criteria] + ["Tổng", "Nhận xét"]
    return _workbook("Điểm chấm", headers, rows, {2: 40, 4: 24})


def results_workbook(round: Round) -> bytes:
    """The round's stored results, every field (results.stored_table: computed when the sheets changed)."""
    rows = [
        [
            r.field.code,
            r.rank_label,
            r.entry.number,
            r.entry.title,
            r.judges,
            r.mean,
            r.spread,
            "x" if r.disputed else "",
            r.normalised,
            r.rank_norm_label,
            r.tier.name if r.tier else "",
            r.note,
            r.tier_norm.name if r.tier_norm else "",
            r.tie_note,
        ]
        for r in results.stored_rows(results.stored_table(round))
    ]
    headers = [
        "Lĩnh vực", "Hạng", "Số đăng ký", "Tên giải pháp", "Số giám khảo", "Điểm trung bình", "Chênh lệch",
        "Chênh lệch lớn", "Điểm chuẩn hóa", "Hạng (chuẩn hóa)", "Giải đề xuất", "Căn cứ", "Giải (chuẩn hóa)",
        "Ghi chú về đồng điểm",
    ]  # fmt: skip
    return _workbook("Kết quả", headers, rows, {4: 50, 12: 40, 14: 40})


def payouts_workbook(edition: Edition) -> bytes:
    """Prize money per author, split by contribution share (the last author takes the rounding remainder)."""
    rows = []
    for award in winners(edition):
        authors = [c for c in award.entry.contributors.all() if c.role == Contributor.Role.AUTHOR]
        amount = award.tier.prize_amount
        paid = 0
        for index, c in enumerate(authors):
            share = c.share or Decimal(0)
            part = amount - paid if index == len(authors) - 1 else int(amount * share / 100)
            paid += part
            rows.append(
                [award.entry.number, award.entry.title, award.tier.name, amount, c.person.name, share, part, ""]
            )
    headers = ["Số đăng ký", "Tên giải pháp", "Giải", "Tiền thưởng (đồng)", "Người nhận", "Tỷ lệ (%)",
               "Số tiền nhận (đồng)", "Ký nhận"]  # fmt: skip
    return _workbook("Chi trả", headers, rows, {2: 44, 5: 26})


# Paper score sheets ---------------------------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ScoreImport:
    rows: list[dict] = field(default_factory=list)  # {"assignment", "points": {criterion pk: Decimal}, "comment"}
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def template_workbook(round: Round) -> bytes:
    """The paper-sheet template: one row per confirmed, unsubmitted seat of the round."""
    criteria = list(round.criteria.all())
    seats = (
        Assignment.objects.filter(round=round, status=Assignment.Status.CONFIRMED)
        .select_related("entry", "expert__person")
        .order_by("entry__number", "expert__code")
    )
    rows = [[a.entry.number, a.expert.code, a.expert.person.name] + [None] * len(criteria) + [""] for a in seats]
    headers = ["Số đăng ký", "Mã giám khảo", "Giám khảo"] + [c.code for c in criteria] + ["Nhận xét"]
    return _workbook("Phiếu chấm", headers, rows, {3: 26})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def _character_errors(number: int, entry_no: str, judge_code: str, comment: str) -> list[RowError]:
    """No bidirectional, invisible or control characters, no U+FFFD in a row's cells (core.text's rule)."""
    errors = []
    for column, text, multiline in (
        ("Số đăng ký", entry_no, False),
        ("Mã giám khảo", judge_code, False),
        ("Nhận xét", comment, True),
    ):
        problem = forbidden_character(text, multiline=multiline)
        if problem is not None:
            errors.append(RowError(number, column, problem.message()))
    return errors


def check_score_file(round: Round, data: BinaryIO) -> ScoreImport:
    """Read and check every row of a paper score-sheet workbook; nothing is written."""
    try:
        workbook = openpyxl.load_workbook(data, read_only=True, data_only=False)
    except Exception as exc:  # a damaged or foreign file
        raise ImportFileError(_("The file cannot be read as an Excel (XLSX) workbook.")) from exc
    criteria = {c.code.upper(): c for c in round.criteria.all()}
    try:
        sheet = workbook.worksheets[0]
        lines = rows_without_formulas(sheet, ImportFileError)
        header = [fold(_text(h)) for h in (next(lines, None) or [])]
        columns = {"entry": "so dang ky", "judge": "ma giam khao", "comment": "nhan xet"}
        index = {key: header.index(title) for key, title in columns.items() if title in header}
        code_index = {code: header.index(fold(code)) for code in criteria if fold(code) in header}
        missing = [t for k, t in (("entry", "Số đăng ký"), ("judge", "Mã giám khảo")) if k not in index]
        missing += [code for code in criteria if code not in code_index]
        if missing:
            raise ImportFileError(
                _("Columns missing: %s. Use the template of this round.") % ", ".join(f"«{m}»" for m in missing)
            )
        raw_rows = []
        for number, values in enumerate(lines, start=2):
            if all(_text(v) == "" for v in values):
                continue
            if len(raw_rows) >= MAX_ROWS:
                raise ImportFileError(_("The file has too many rows."))
            raw_rows.append((number, values))
    finally:
        workbook.close()
    seats = {
        (a.entry.number.upper(), a.expert.code.upper()): a
        for a in Assignment.objects.filter(round=round)
        .exclude(status__in=[Assignment.Status.PROPOSED, Assignment.Status.RECUSED])
        .select_related("entry", "expert")
    }
    report = ScoreImport()
    seen = set()

    def cell(values, position):
        return values[position] if position is not None and position < len(values) else None

    for number, values in raw_rows:
        entry_no = _text(cell(values, index["entry"])).upper()
        judge_code = _text(cell(values, index["judge"])).upper()
        refused = _character_errors(number, entry_no, judge_code, _text(cell(values, index.get("comment"))))
        if refused:
            report.errors += refused
            continue
        assignment = seats.get((entry_no, judge_code))
        if not entry_no:
            report.errors.append(RowError(number, "Số đăng ký", _("empty")))
            continue
        if assignment is None:
            report.errors.append(
                RowError(
                    number,
                    "Mã giám khảo",
                    _("%(judge)s is not a judge of %(entry)s in this round")
                    % {"judge": judge_code or "—", "entry": entry_no},
                )
            )
            continue
        if (entry_no, judge_code) in seen:
            report.errors.append(RowError(number, "Số đăng ký", _("this judge and entry appear twice in the file")))
            continue
        seen.add((entry_no, judge_code))
        if assignment.status == Assignment.Status.SUBMITTED:
            report.errors.append(RowError(number, "Mã giám khảo", _("this sheet is already submitted and locked")))
            continue
        points, bad = {}, False
        for code, criterion in criteria.items():
            raw = cell(values, code_index[code])
            try:
                value = judging._parse_points(criterion, raw)
            except ValidationError as error:
                report.errors.append(RowError(number, code, " ".join(error.messages)))
                bad = True
                continue
            if value is None:
                report.errors.append(RowError(number, code, _("empty: every criterion must be scored")))
                bad = True
                continue
            points[criterion.pk] = value
        if not bad:
            comment = _text(cell(values, index.get("comment")))
            report.rows.append({"assignment": assignment, "points": points, "comment": comment})
    if not raw_rows:
        report.errors.append(RowError(1, "—", _("the file has no rows")))
    return report


@transaction.atomic
def apply_score_file(round: Round, *, actor: User, data: BinaryIO) -> ScoreImport:
    """Check the whole file; if every row is right, store and submit every sheet in it (else nothing)."""
    check(actor, "contests.manage_contests", round.edition.union)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status != Round.Status.OPEN:
        raise ValidationError(_("Scoring of this round is closed."))
    report = check_score_file(round, data)
    if not report.ok:
        return report
    for row in report.rows:
        judging.enter_paper_sheet(
            actor=actor, assignment=row["assignment"], points=row["points"], comment=row["comment"], store=False
        )
    results.store_results(round)  # once for the whole file, in its transaction
    log_activity(
        union=round.edition.union,
        actor=actor,
        verb="contests.sheets.imported",
        message=_("%(n)s paper score sheets entered for %(round)s") % {"n": len(report.rows), "round": round},
        target=round.edition,
    )
    return report
