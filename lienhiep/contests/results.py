"""Results of a round, computed from the submitted score sheets:

- an entry's score is the MEAN of its judges' totals (never the sum: an entry with fewer judges is not
  penalised), rounded to 0.01 — the figure shown is the figure ranked;
- the spread is the largest minus the smallest total; above the edition's gap the entry is flagged disputed;
- z-score normalisation per judge: each sheet's total becomes (total − judge's mean) / judge's standard
  deviation (population) over the sheets that judge submitted in the round; a judge with fewer than two sheets
  or no spread is measured against all sheets of the round instead. An entry's normalised score is the round's
  mean total plus the round's standard deviation times the mean of its z-scores, in points, rounded to 0.01;
- ranking is per field, by score, then by the edition's tie-break criteria in order (the mean points of that
  criterion, higher first); entries still equal share a rank ("3=") and are shown as a tie for the board;
- the award proposal takes the tiers from the highest: an entry gets the highest tier whose minimum score it
  reaches while the tier's quotas (per field, in the edition) have room; a group of tied entries that does not
  fit in the room left gets nothing from that tier and is flagged for the board (nobody below them in that
  field, or in the edition for the edition-wide quota, passes them).

The results are stored (models/results.py: ResultTable, ResultRow) by `store_results`, in the transaction of every
change that alters them, and the pages read them from there (`stored_table`, `field_counts`, `stored_rows`): a
514-entry round takes a few hundred milliseconds to compute, too much for each view of the page. Notes are stored
as message ids with their arguments (Note) and said in the reader's language."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from lienhiep.contests.models import (
    Assignment,
    AwardTier,
    ContestField,
    Edition,
    Entry,
    Note,
    ResultRow,
    ResultTable,
    Round,
    Score,
)
from lienhiep.core.text import format_number

CENT = Decimal("0.01")

# What the notes say (translated when they are shown, in the reader's language: see Note)
PLACED_BY = gettext_noop("equal score, placed by criterion %s")
TIE_REMAINS = gettext_noop("tie remains after the tie-break rules: the board decides")
NOT_SCORED = gettext_noop("not scored")
BELOW_MINIMUM = gettext_noop("below the minimum score of %s")
TIED_AT_QUOTA = gettext_noop("tied at the quota of %s: the board decides")
QUOTA_FULL = gettext_noop("quota of %s full")
REASON = gettext_noop("%(tier)s: score %(score)s ≥ %(min)s")
NO_AWARD = gettext_noop("no award")


def cents(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Sheet:
    judge: int  # expert id
    total: Decimal
    points: dict[str, Decimal]  # criterion code → points


@dataclass(eq=False)  # a row is itself: `in` and `remove` compare identity, not every field (O(n) → O(1))
class Row:
    entry: Entry
    sheets: list[Sheet] = field(default_factory=list)
    mean: Decimal | None = None
    spread: Decimal | None = None
    disputed: bool = False
    criterion_means: dict[str, Decimal] = field(default_factory=dict)
    z: float | None = None
    normalised: Decimal | None = None
    rank: int | None = None
    rank_label: str = ""
    tied: bool = False
    tie_note: Note = field(default_factory=Note)
    rank_norm: int | None = None
    rank_norm_label: str = ""
    tier: AwardTier | None = None
    note: Note = field(default_factory=Note)
    tier_norm: AwardTier | None = None
    note_norm: Note = field(default_factory=Note)

    @property
    def judges(self) -> int:
        return len(self.sheets)

    @property
    def changed(self) -> bool:
        """Normalisation changes this entry's rank in its field or its proposed award."""
        return self.normalised is not None and (self.rank != self.rank_norm or self.tier != self.tier_norm)


@dataclass
class FieldRows:
    """The rows of one field, as the results page shows them on their own tab."""

    field: object
    rows: list[Row]

    @property
    def disputed(self) -> int:
        return sum(r.disputed for r in self.rows)

    @property
    def ties(self) -> int:
        return sum(r.tied for r in self.rows)


@dataclass
class Table:
    round: Round
    rows: list[Row]
    tie_codes: list[str]

    def by_field(self) -> list[FieldRows]:
        groups: dict[int, list[Row]] = defaultdict(list)
        fields = {}
        for row in self.rows:
            groups[row.entry.field_id].append(row)
            fields[row.entry.field_id] = row.entry.field
        return [FieldRows(fields[k], groups[k]) for k in sorted(groups, key=lambda k: fields[k].code)]

    @property
    def disputed(self) -> list[Row]:
        return [r for r in self.rows if r.disputed]

    @property
    def ties(self) -> list[Row]:
        return [r for r in self.rows if r.tied]


def sheets_of(round: Round) -> dict[int, list[Sheet]]:
    """Submitted sheets of a round per entry (one query of plain values, whatever the size)."""
    by_sheet: dict[int, Sheet] = {}
    entry_of: dict[int, int] = {}
    rows = Score.objects.filter(
        assignment__round=round, assignment__status=Assignment.Status.SUBMITTED
    ).values_list(
        "assignment_id", "assignment__entry_id", "assignment__expert_id", "criterion__code", "criterion__weight",
        "points",
    )  # fmt: skip
    for sheet_id, entry_id, judge, code, weight, points in rows.order_by("assignment_id"):
        sheet = by_sheet.get(sheet_id)
        if sheet is None:
            sheet = by_sheet[sheet_id] = Sheet(judge=judge, total=Decimal(0), points={})
            entry_of[sheet_id] = entry_id
        sheet.points[code] = points
        sheet.total += points * weight
    out: dict[int, list[Sheet]] = defaultdict(list)
    for sheet_id, sheet in by_sheet.items():
        out[entry_of[sheet_id]].append(sheet)
    return out


def _stats(values: list[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def aggregate(rows: list[Row], gap: Decimal) -> None:
    """Mean, spread, disagreement flag, per-criterion means and the normalised score of every row."""
    all_totals = [float(s.total) for r in rows for s in r.sheets]
    by_judge: dict[int, list[float]] = defaultdict(list)
    for r in rows:
        for s in r.sheets:
            by_judge[s.judge].append(float(s.total))
    round_mean, round_sd = _stats(all_totals) if all_totals else (0.0, 0.0)
    judge_stats = {j: _stats(v) for j, v in by_judge.items() if len(v) >= 2}
    for r in rows:
        if not r.sheets:
            continue
        totals = [s.total for s in r.sheets]
        r.mean = cents(sum(totals, Decimal(0)) / len(totals))
        r.spread = max(totals) - min(totals)
        r.disputed = len(totals) > 1 and r.spread > gap
        codes = {c for s in r.sheets for c in s.points}
        r.criterion_means = {
            c: cents(sum((s.points.get(c, Decimal(0)) for s in r.sheets), Decimal(0)) / len(r.sheets)) for c in codes
        }
        zs = []
        for s in r.sheets:
            mean, sd = judge_stats.get(s.judge, (0.0, 0.0))
            if sd > 0:
                zs.append((float(s.total) - mean) / sd)
            elif round_sd > 0:
                zs.append((float(s.total) - round_mean) / round_sd)
            else:
                zs.append(0.0)
        r.z = sum(zs) / len(zs)
        r.normalised = cents(round_mean + round_sd * r.z)


def _key(row: Row, score: Decimal, codes: list[str]) -> tuple:
    return (score, *(row.criterion_means.get(c, Decimal(0)) for c in codes))


def rank(rows: list[Row], codes: list[str], normalised: bool = False) -> list[Row]:
    """Rank the rows of one field (in place: rank/rank_label or rank_norm/rank_norm_label); returns them sorted.
    Ties after every tie-break criterion share a rank and are flagged (raw ranking only)."""
    scored = [r for r in rows if (r.normalised if normalised else r.mean) is not None]
    unscored = [r for r in rows if (r.normalised if normalised else r.mean) is None]

    def score(r: Row) -> Decimal:
        return r.normalised if normalised else r.mean

    scored.sort(key=lambda r: tuple(-v for v in _key(r, score(r), codes)) + (r.entry.number,))
    position = 0
    previous = None
    counts = Counter(_key(r, score(r), codes) for r in scored)
    with_score: dict[Decimal, list[Row]] = defaultdict(list)  # rows by score: ties found without a scan per row
    for r in scored:
        with_score[score(r)].append(r)
    remains = Note.of(TIE_REMAINS)
    for index, r in enumerate(scored):
        key = _key(r, score(r), codes)
        if key != previous:
            position = index + 1
            previous = key
        label = f"{position}=" if counts[key] > 1 else str(position)
        if normalised:
            r.rank_norm, r.rank_norm_label = position, label
        else:
            r.rank, r.rank_label = position, label
            r.tied = counts[key] > 1
            same_score = [o for o in with_score[score(r)] if o is not r]
            if same_score and not r.tied:
                decided_by = next(
                    (c for c in codes if all(o.criterion_means.get(c) != r.criterion_means.get(c) for o in same_score)),
                    codes[-1] if codes else "",
                )
                r.tie_note = Note.of(PLACED_BY, decided_by)
            elif r.tied:
                r.tie_note = remains
    return scored + unscored


def propose(rows: list[Row], tiers: list[AwardTier], codes: list[str], normalised: bool = False) -> None:
    """Award proposal under thresholds and quotas (see the module docstring). Sets tier/note (or the _norm
    pair)."""
    tiers = [t for t in tiers if not t.special]

    def score(r: Row) -> Decimal | None:
        return r.normalised if normalised else r.mean

    def put(r: Row, tier: AwardTier | None, note: Note) -> None:
        if normalised:
            r.tier_norm, r.note_norm = tier, note
        else:
            r.tier, r.note = tier, note

    waiting = [r for r in rows if score(r) is not None]
    waiting.sort(key=lambda r: tuple(-v for v in _key(r, score(r), codes)))
    notes: dict[int, Note] = {}
    passed_over: set[int] = set()  # entries that reached a tier's score but not its quota
    empty, not_scored = Note(), Note.of(NOT_SCORED)  # each note is made once per tier, not once per row
    for r in rows:
        put(r, None, empty if score(r) is not None else not_scored)
    for tier in tiers:
        below = Note.of(BELOW_MINIMUM, tier.name)
        tied_at_quota = Note.of(TIED_AT_QUOTA, tier.name, tie=True)
        quota_full = Note.of(QUOTA_FULL, tier.name)
        minimum = format_number(float(tier.min_score), 2) if tier.min_score is not None else "—"
        used_field: Counter = Counter()
        used_all = 0
        blocked_fields: set[int] = set()
        blocked_all = False
        given = set()
        groups: list[list[Row]] = []
        for r in waiting:
            if tier.min_score is not None and score(r) < tier.min_score:
                if r.entry.pk not in passed_over:
                    notes[r.entry.pk] = below
                continue
            if groups and _key(groups[-1][0], score(groups[-1][0]), codes) == _key(r, score(r), codes):
                groups[-1].append(r)
            else:
                groups.append([r])
        for group in groups:
            per_field = Counter(r.entry.field_id for r in group)
            fits_field = tier.quota_per_field is None or all(
                used_field[f] + n <= tier.quota_per_field for f, n in per_field.items()
            )
            fits_all = tier.quota_overall is None or used_all + len(group) <= tier.quota_overall
            if blocked_all or any(f in blocked_fields for f in per_field) or not (fits_field and fits_all):
                for r in group:
                    if len(group) > 1 and not blocked_all and not (set(per_field) & blocked_fields):
                        notes[r.entry.pk] = tied_at_quota
                    elif not (r.entry.pk in notes and notes[r.entry.pk].tie):
                        notes[r.entry.pk] = quota_full
                    passed_over.add(r.entry.pk)
                if not fits_all:
                    blocked_all = True
                if not fits_field:
                    blocked_fields |= set(per_field)
                continue
            for r in group:
                reason = Note.of(REASON, tier=tier.name, score=format_number(float(score(r)), 2), min=minimum)
                if r.entry.pk in passed_over:
                    reason = reason.then(notes[r.entry.pk])
                put(r, tier, reason)
                given.add(r.entry.pk)
                used_field[r.entry.field_id] += 1
            used_all += len(group)
        waiting = [r for r in waiting if r.entry.pk not in given]
    no_award = Note.of(NO_AWARD)
    for r in waiting:
        put(r, None, notes.get(r.entry.pk, no_award))


def compute(round: Round) -> Table:
    """The full results table of a round: aggregation, both rankings and both award proposals."""
    edition = round.edition
    entries = list(
        Entry.objects.filter(edition=edition, status=Entry.Status.ACCEPTED, reached_round__gte=round.order)
        .select_related("field")  # what the ranking, the pages and the exports read of an entry
        .order_by("number")
    )
    sheets = sheets_of(round)
    rows = [Row(entry=e, sheets=sheets.get(e.pk, [])) for e in entries]
    aggregate(rows, edition.disagreement_gap)
    codes = [c for c in edition.tie_break_codes() if round.criteria.filter(code=c).exists()]
    tiers = list(edition.tiers.all())
    ordered = []
    by_field: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        by_field[r.entry.field_id].append(r)
    for field_rows in by_field.values():
        rank(field_rows, codes, normalised=True)
        ordered.extend(rank(field_rows, codes))
    propose(ordered, tiers, codes)
    propose(ordered, tiers, codes, normalised=True)
    ordered.sort(key=lambda r: (r.entry.field.code, r.rank or 10**6, r.entry.number))
    return Table(round=round, rows=ordered, tie_codes=codes)


# The stored results ----------------------------------------------------------------------------------------------


def stored_values(row: Row) -> dict:
    """A computed row's figures as ResultRow stores them (tests compare a stored table with a fresh one by these)."""
    return {
        "entry_id": row.entry.pk,
        "field_id": row.entry.field_id,
        "judges": row.judges,
        "mean": row.mean,
        "spread": row.spread,
        "disputed": row.disputed,
        "means": {code: str(points) for code, points in sorted(row.criterion_means.items())},
        "z": row.z,
        "normalised": row.normalised,
        "rank": row.rank,
        "rank_label": row.rank_label,
        "tied": row.tied,
        "tie_note_data": row.tie_note.data(),
        "rank_norm": row.rank_norm,
        "rank_norm_label": row.rank_norm_label,
        "tier_id": row.tier.pk if row.tier else None,
        "note_data": row.note.data(),
        "tier_norm_id": row.tier_norm.pk if row.tier_norm else None,
        "note_norm_data": row.note_norm.data(),
    }


@transaction.atomic
def store_results(round: Round) -> Table:
    """Compute the round's results and store them in place of the previous ones, in the caller's transaction; returns
    the computed table. The one writer of the stored results: every change that alters them calls it (the list is
    in models/results.py). The table's row is locked first, so two changes at once compute one after the other,
    the second seeing the first's sheets; it is the last lock any caller takes (no deadlock with their own)."""
    stored, _created = ResultTable.objects.select_for_update().get_or_create(round_id=round.pk)
    table = compute(Round.objects.select_related("edition").get(pk=round.pk))
    ResultRow.objects.filter(table=stored).delete()
    ResultRow.objects.bulk_create(
        [ResultRow(table=stored, position=n, **stored_values(row)) for n, row in enumerate(table.rows)],
        batch_size=500,
    )
    stored.version += 1
    stored.computed_at = timezone.now()
    stored.tie_codes = table.tie_codes
    stored.save()
    return table


def store_edition_results(edition: Edition) -> None:
    """After a change of an edition's set-up (gap, tie-break, fields, tiers, rubric) or of which entries a round
    holds: every round of it already stored is computed again (a round not stored yet is computed when first read)."""
    for round in Round.objects.filter(edition_id=edition.pk, result_table__isnull=False).order_by("order"):
        store_results(round)


def stored_table(round: Round) -> ResultTable:
    """The round's stored results (read with `select_related("result_table")` this costs no query); a round without
    them — judged before they were stored, or written in bulk by a data generator — is computed and stored now."""
    try:
        return round.result_table
    except ResultTable.DoesNotExist:
        store_results(round)
    stored = ResultTable.objects.get(round=round)
    stored.round = round
    return stored


@dataclass
class FieldCount:
    """A field of the stored results with its number of entries, of disputed entries and of unresolved ties."""

    field: ContestField
    entries: int
    disputed: int
    ties: int


def field_counts(stored: ResultTable) -> list[FieldCount]:
    """Each field of the round by code, with its counts (one query, whatever the number of entries)."""
    rows = (
        ResultRow.objects.filter(table=stored)
        .values("field_id", "field__code", "field__name")
        .annotate(
            entries=Count("pk"), disputed=Count("pk", filter=Q(disputed=True)), ties=Count("pk", filter=Q(tied=True))
        )
        .order_by("field__code")
    )
    return [
        FieldCount(
            ContestField(
                pk=r["field_id"], edition_id=stored.round.edition_id, code=r["field__code"], name=r["field__name"]
            ),
            r["entries"],
            r["disputed"],
            r["ties"],
        )
        for r in rows
    ]


def stored_rows(stored: ResultTable, field_id: int | None = None) -> QuerySet[ResultRow]:
    """The stored rows of the round (or of one field) in the order of the results: field, rank, number."""
    rows = ResultRow.objects.filter(table=stored).select_related("entry", "field", "tier", "tier_norm")
    if field_id is not None:
        rows = rows.filter(field_id=field_id)
    return rows.order_by("position")
