"""Value types of the matching engine (no Django, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy


@dataclass(frozen=True)
class Candidate:
    """An expert who may be assigned.

    ``max_load`` is the most items this expert may take in one assignment run; ``None`` means "use
    ``Rules.default_max_load``" (and no limit if that is ``None`` too). ``workplace`` is any stable key of the
    workplace, used by ``Rules.distinct_workplaces``; ``None`` means "shares a workplace with nobody".
    ``keywords``: the expert's own keywords as written, shown when an item's text holds them (never scored apart:
    they are in ``text`` too).
    """

    key: int
    text: str
    fields: frozenset[str] = frozenset()
    max_load: int | None = None
    workplace: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """A draft under critique or a contest entry that needs ``need`` experts."""

    key: int
    text: str
    fields: frozenset[str] = frozenset()
    need: int = 1


@dataclass(frozen=True)
class Explanation:
    """Why a candidate scores what it scores on an item.

    ``terms``: the shared 1–2-gram terms with their contribution to the cosine (largest first, ties by term);
    ``fields``: the shared field codes (sorted); ``score = text_score + field_bonus``.
    """

    item_key: int
    candidate_key: int
    score: float
    text_score: float
    field_bonus: float
    terms: tuple[tuple[str, float], ...]
    fields: tuple[str, ...]


class AffinitySource(Protocol):
    """Anything that scores items against candidates; a semantic model may replace TF-IDF later."""

    def scores(self, items: Sequence[Item], candidates: Sequence[Candidate]) -> numpy.ndarray:
        """Dense float array of shape (len(items), len(candidates)), values in [0, 1 + bonus]."""
        ...

    def explain(self, item: Item, candidate: Candidate, top: int = 5) -> Explanation: ...


@dataclass(frozen=True)
class Rules:
    """Composition rules and the load-balancing weight.

    ``load_balance`` (λ, in affinity units): the k-th item given to one expert costs λ·(k−1). The solver
    maximises filled seats first, then ``total_affinity − λ·Σ_c load_c(load_c−1)/2``. Hence, with A* the best
    total affinity, the returned total affinity A satisfies A* − A ≤ λ·(P(x*) − P(x)) where P is that load
    penalty: λ = 0 maximises affinity exactly (ties broken deterministically), a small λ trades at most λ of
    affinity per unit of load moved from a busier to a less busy expert.
    """

    default_max_load: int | None = None
    require_field_expert: bool = False
    distinct_workplaces: bool = False
    load_balance: float = 0.01


@dataclass(frozen=True)
class Problem:
    """Why an item is not (fully) staffed, or why a fixed pair was refused / is irregular.

    No human language here: ``code`` plus ``numbers`` are rendered by the caller. Codes:

    * ``not_enough_candidates`` — fewer candidates in the pool than needed. numbers: need, assigned, candidates.
    * ``conflicts`` — enough candidates but too many in conflict. numbers: need, assigned, candidates,
      conflicted, eligible (= candidates − conflicted).
    * ``workplaces`` — (distinct_workplaces) the eligible candidates come from fewer workplaces than needed,
      or the only candidates with spare load share a workplace already on the item. numbers: need, assigned,
      eligible, workplaces (distinct workplaces among eligible; experts without workplace count one each),
      and when load is involved at_max_load, same_workplace.
    * ``no_field_expert`` — (require_field_expert) no eligible candidate shares a field with the item; the
      "field seat" stays empty, the other seats are filled. numbers: need, assigned, field_candidates,
      field_conflicted.
    * ``load_exhausted`` — the item could be staffed, but every eligible candidate not already on it is at
      maximum load (used by other items). numbers: need, assigned, eligible, at_max_load; with
      require_field_expert and the field seat empty also field_eligible, field_at_max_load.
    * ``unresolved`` — a seat is empty for none of the reasons above: only possible when the integer
      programme (both rules at once) hit its time limit or pruned candidates. numbers: need, assigned.
    * fixed pairs: ``fixed_conflict`` (refused; numbers: candidate), ``fixed_unknown`` (item or candidate not
      in the instance; numbers: candidate), ``fixed_over_load`` (kept; numbers: candidate, load, max_load),
      ``fixed_over_need`` (kept; numbers: need, fixed), ``fixed_workplaces`` (kept; numbers: candidate),
      ``fixed_no_field_expert`` (kept; numbers: need, fixed).
    """

    item_key: int
    code: str
    numbers: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    """The result of :func:`assign`.

    ``pairs``: (item_key, candidate_key, affinity), in item order then by affinity (desc) then candidate order.
    ``min_item_affinity``: the smallest, over items with at least one expert, of the mean affinity of the
    item's experts (``None`` if nothing is assigned); ``min_pair_affinity`` the smallest single pair.
    ``stats``: seconds, solver used, arcs, pricing rounds, whether optimality is proven (``exact``) …
    """

    pairs: list[tuple[int, int, float]]
    problems: list[Problem]
    total_affinity: float
    min_item_affinity: float | None
    min_pair_affinity: float | None
    load: dict[int, int]
    seats: int
    filled: int
    stats: dict[str, object]

    @property
    def complete(self) -> bool:
        """Every seat is filled."""
        return self.filled == self.seats
