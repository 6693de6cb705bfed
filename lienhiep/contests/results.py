"""Results of a round, computed from the submitted score sheets (nothing stored, so a late sheet is always
counted):

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
  field, or in the edition for the edition-wide quota, passes them)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lienhiep.contests.models import Assignment, AwardTier, Entry, Round, Score
from lienhiep.core.text import format_number

CENT = Decimal("0.01")
TIE_MARK = "⚖ "  # starts a note about a tie the board must decide


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
    tie_note: str = ""
    rank_norm: int | None = None
    rank_norm_label: str = ""
    tier: AwardTier | None = None
    note: str = ""
    tier_norm: AwardTier | None = None
    note_norm: str = ""

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
                r.tie_note = _("equal score, placed by criterion %s") % decided_by
            elif r.tied:
                r.tie_note = _("tie remains after the tie-break rules: the board decides")
    return scored + unscored


def propose(rows: list[Row], tiers: list[AwardTier], codes: list[str], normalised: bool = False) -> None:
    """Award proposal under thresholds and quotas (see the module docstring). Sets tier/note (or the _norm
    pair)."""
    tiers = [t for t in tiers if not t.special]

    def score(r: Row) -> Decimal | None:
        return r.normalised if normalised else r.mean

    def put(r: Row, tier: AwardTier | None, note: str) -> None:
        if normalised:
            r.tier_norm, r.note_norm = tier, note
        else:
            r.tier, r.note = tier, note

    waiting = [r for r in rows if score(r) is not None]
    waiting.sort(key=lambda r: tuple(-v for v in _key(r, score(r), codes)))
    notes: dict[int, str] = {}
    passed_over: set[int] = set()  # entries that reached a tier's score but not its quota
    not_scored = _("not scored")  # each message is translated once per tier, not once per row
    for r in rows:
        put(r, None, "" if score(r) is not None else not_scored)
    for tier in tiers:
        below = _("below the minimum score of %s") % tier.name
        tied_at_quota = TIE_MARK + _("tied at the quota of %s: the board decides") % tier.name
        quota_full = _("quota of %s full") % tier.name
        reason_of = _("%(tier)s: score %(score)s ≥ %(min)s")
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
                    elif not notes.get(r.entry.pk, "").startswith(TIE_MARK):
                        notes[r.entry.pk] = quota_full
                    passed_over.add(r.entry.pk)
                if not fits_all:
                    blocked_all = True
                if not fits_field:
                    blocked_fields |= set(per_field)
                continue
            for r in group:
                reason = reason_of % {"tier": tier.name, "score": format_number(float(score(r)), 2), "min": minimum}
                if r.entry.pk in passed_over:
                    reason = f"{reason} ({notes[r.entry.pk].removeprefix(TIE_MARK)})"
                put(r, tier, reason)
                given.add(r.entry.pk)
                used_field[r.entry.field_id] += 1
            used_all += len(group)
        waiting = [r for r in waiting if r.entry.pk not in given]
    no_award = _("no award")
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
