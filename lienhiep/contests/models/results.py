"""The stored results of a round: what contests/results.py computes from the submitted score sheets, kept so that
the results page, its Excel export, the award proposal and the closing of a round read it instead of computing it
on every request.

One writer: `results.store_results`, called in the transaction of every change that alters the figures (a sheet
submitted or typed in from paper, a paper-sheet import, a recusal and the judge seated instead, an extra judge, an
entry accepted, rejected or reopened, entries advancing from the round before, the edition's set-up: gap,
tie-break, fields, tiers, rubric). A round without a stored table (judged before the table existed, or written in
bulk by a data generator) is computed on its first read. Nothing here is a record: it can always be computed
again from the sheets, and tests check that it equals a fresh computation after every change."""

from decimal import Decimal
from functools import cached_property

from django.db import models
from django.utils.translation import gettext

from lienhiep.contests.models.editions import POINTS, AwardTier, ContestField, Round
from lienhiep.contests.models.entries import Entry

TIE_MARK = "⚖ "  # starts a note about a tie the board must decide

# A weighted total holds points (2 decimals) times weights (2 decimals): its spread has up to 4 decimals.
TOTALS = {"max_digits": 12, "decimal_places": 4}
# The stored results point at rounds, entries, fields and tiers without a foreign-key constraint in the database:
# a constraint makes each insert take a share lock on the row it points at, and the services that change an entry
# or a round hold that row locked while they store the results, so two of them at once would deadlock (one holds
# the entry and waits for the table, the other holds the table and waits for the entry). The rows are a computed
# copy, written in one place and deleted with what they point at (Django cascades), so nothing is lost.
NO_LOCK = {"db_constraint": False}


class Note(str):
    """A note of the results (why an entry got its award or none, how a tie was decided), as text in the language
    active when it was made, that keeps what it says — message ids (marked for translation where they are written)
    and their arguments — so that the stored table says it again in the reader's language.

    `parts`: ((msgid, arguments), ...): the first is said, the others follow in brackets; `tie`: the note is about
    a tie the board decides (shown with TIE_MARK)."""

    parts: tuple
    tie: bool

    def __new__(cls, parts=(), *, tie: bool = False) -> "Note":
        parts = tuple((msgid, args) for msgid, args in parts)
        said = [_say(msgid, args) for msgid, args in parts]
        text = (TIE_MARK if tie and said else "") + (said[0] if said else "")
        text += "".join(f" ({more})" for more in said[1:])
        note = super().__new__(cls, text)
        note.parts, note.tie = parts, tie
        return note

    @classmethod
    def of(cls, msgid: str, *args, tie: bool = False, **kwargs) -> "Note":
        """One message with its positional or named arguments."""
        return cls([(msgid, dict(kwargs) if kwargs else list(args) or None)], tie=tie)

    def then(self, other: "Note") -> "Note":
        """This note followed by another in brackets (without its tie mark)."""
        return Note(self.parts + other.parts, tie=self.tie)

    def data(self) -> dict | None:
        """What is stored (JSON)."""
        return {"parts": [[msgid, args] for msgid, args in self.parts], "tie": self.tie} if self.parts else None

    @classmethod
    def from_data(cls, data: dict | None) -> "Note":
        return cls(data["parts"], tie=data["tie"]) if data else cls()


def _say(msgid: str, args) -> str:
    text = gettext(msgid)
    if isinstance(args, dict):
        return text % args
    return text % tuple(args) if args else text


class ResultTable(models.Model):
    """The stored results of one round: the version raised by each computation, when, and the tie-break criteria
    that the round's rubric has (the page's columns). Its row is also the lock that orders the computations of a
    round (two judges submitting at once: the second computes after the first has committed)."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, primary_key=True, related_name="result_table", **NO_LOCK
    )
    version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    tie_codes = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.round} (v{self.version})"


class ResultRow(models.Model):
    """One entry's line of a round's results, as the results page and the Excel export show it (see
    contests/results.py for how each figure is computed); its notes are said in the reader's language."""

    table = models.ForeignKey(ResultTable, on_delete=models.CASCADE, related_name="rows")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+", **NO_LOCK)
    field = models.ForeignKey(ContestField, on_delete=models.CASCADE, related_name="+", **NO_LOCK)
    position = models.PositiveIntegerField(help_text="Order in the round: field code, rank, registration number")
    judges = models.PositiveSmallIntegerField(default=0, help_text="Submitted sheets")
    mean = models.DecimalField(null=True, blank=True, **POINTS)
    spread = models.DecimalField(null=True, blank=True, **TOTALS)
    disputed = models.BooleanField(default=False)
    means = models.JSONField(default=dict, blank=True, help_text="Criterion code → mean points, as text")
    z = models.FloatField(null=True, blank=True)
    normalised = models.DecimalField(null=True, blank=True, **POINTS)
    rank = models.PositiveIntegerField(null=True, blank=True)
    rank_label = models.CharField(max_length=12, blank=True)
    tied = models.BooleanField(default=False)
    tie_note_data = models.JSONField(null=True, blank=True)
    rank_norm = models.PositiveIntegerField(null=True, blank=True)
    rank_norm_label = models.CharField(max_length=12, blank=True)
    tier = models.ForeignKey(AwardTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", **NO_LOCK)
    note_data = models.JSONField(null=True, blank=True)
    tier_norm = models.ForeignKey(
        AwardTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", **NO_LOCK
    )
    note_norm_data = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["table", "position"]
        constraints = [models.UniqueConstraint(fields=["table", "entry"], name="contests_resultrow_unique")]
        indexes = [models.Index(fields=["table", "field", "position"], name="contests_resultrow_field")]

    def __str__(self) -> str:
        return f"{self.table_id}: {self.entry_id} {self.rank_label}"

    @cached_property
    def criterion_means(self) -> dict[str, Decimal]:
        return {code: Decimal(points) for code, points in self.means.items()}

    @property
    def tie_note(self) -> Note:
        return Note.from_data(self.tie_note_data)

    @property
    def note(self) -> Note:
        return Note.from_data(self.note_data)

    @property
    def note_norm(self) -> Note:
        return Note.from_data(self.note_norm_data)

    @property
    def changed(self) -> bool:
        """Normalisation changes this entry's rank in its field or its proposed award."""
        return self.normalised is not None and (self.rank != self.rank_norm or self.tier_id != self.tier_norm_id)
