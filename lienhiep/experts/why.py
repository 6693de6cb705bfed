"""Why the matching engine proposed an expert, in words staff read: how well they match («rất phù hợp»), their
rank among the experts considered, the shared fields by name, and the keywords and phrases both texts share as
they were written (``matching/terms.py``), never the engine's syllable n-grams or a bare score.

Worked out once, when a proposal is made (``reasons``), stored on the seat as JSON, and read back by ``Why.of``
for every page that shows a proposal: the advisory council, a batch, a contest round, the quick search."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy
from django.utils.translation import gettext_lazy as _

from lienhiep.experts import matching

# How well an expert matches, from the engine's score (text similarity in [0, 1] plus 0.2 for a shared field):
# the one place these thresholds live. A shared field alone gives 0.2; a shared field and a clear overlap of
# the texts, or a strong overlap alone, reaches 0.35.
FIT_LEVELS = (
    (0.35, "high", _("very good match")),
    (0.2, "medium", _("good match")),
    (0.0, "low", _("weak match")),
)
BADGES = {"high": "text-bg-success", "medium": "text-bg-primary", "low": "text-bg-secondary"}
SHOWN_TERMS = 5


def fit_level(score: float) -> tuple[str, str]:
    """(level, words) for an engine score: ``("high", "rất phù hợp")``..."""
    for threshold, level, words in FIT_LEVELS:
        if score >= threshold:
            return level, str(words)
    return FIT_LEVELS[-1][1], str(FIT_LEVELS[-1][2])


def ranks(scores: numpy.ndarray) -> numpy.ndarray:
    """The rank of each score in its row (1 = best; equal scores share a rank)."""
    ordered = numpy.sort(scores)
    return len(scores) - numpy.searchsorted(ordered, scores, side="right") + 1


def rank_in(row: numpy.ndarray, index: int) -> int:
    """The rank of ``row[index]`` in its row (1 = best)."""
    row = numpy.asarray(row, dtype=numpy.float64)
    return int((row > row[index]).sum()) + 1


def field_names(experts) -> dict[str, str]:
    """{field code: name} of the experts' fields (prefetched)."""
    return {f.code: f.name for e in experts for f in e.fields.all()}


def reasons(
    source: matching.AffinitySource,
    item: matching.Item,
    candidate: matching.Candidate,
    *,
    names: Mapping[str, str],
    rank: int | None = None,
    pool: int | None = None,
    **extra: object,
) -> dict:
    """What a proposal stores about one (item, expert) pair: the score before any load penalty (``fit``), the
    shared fields by name, the shared keywords and phrases, and the rank among the ``pool`` experts scored."""
    why = source.explain(item, candidate, top=20)
    terms = matching.shared_terms(item.text, candidate.text, candidate.keywords, dict(why.terms), top=SHOWN_TERMS)
    out = {"fit": round(float(why.score), 4), "fields": [names.get(c, c) for c in why.fields], "terms": terms}
    if rank is not None and pool:
        out.update(rank=int(rank), pool=int(pool))
    return {**out, **extra}


def summary(whys) -> list[tuple[int, str]]:
    """(how many, words) per level, best first, levels nobody reached left out: «5 rất phù hợp, 1 phù hợp»."""
    counts = {}
    for w in whys:
        if w is not None:
            counts[w.level] = counts.get(w.level, 0) + 1
    return [(counts[level], str(words)) for _t, level, words in FIT_LEVELS if counts.get(level)]


@dataclass(frozen=True)
class Why:
    """A proposal's reasons as a page shows them."""

    level: str
    label: str
    fields: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    rank: int | None = None
    pool: int | None = None
    load: int = 0

    @property
    def badge(self) -> str:
        return BADGES[self.level]

    @classmethod
    def of(cls, reasons: Mapping | None, affinity: float = 0.0) -> Why | None:
        """From what a proposal stored; None for a seat placed by hand (nothing stored). Reasons stored before
        the match was told in words (no ``fit``) held the engine's n-grams: their terms are not shown."""
        if not reasons:
            return None
        fit = reasons.get("fit", affinity)
        level, label = fit_level(float(fit if isinstance(fit, int | float) else affinity))
        return cls(
            level=level,
            label=label,
            fields=tuple(str(f) for f in reasons.get("fields") or ()),
            terms=tuple(str(t) for t in reasons.get("terms") or ()) if "fit" in reasons else (),
            rank=reasons.get("rank"),
            pool=reasons.get("pool"),
            load=int(reasons.get("load") or 0),
        )
