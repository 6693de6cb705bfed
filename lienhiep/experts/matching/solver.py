"""Assign experts to items: exact min-cost flow (OR-Tools); for both rules an LP / integer programme (HiGHS).

Modules: instance.py (arrays), flow.py (the flow and its pricing), programme.py (LP and integer programme).

Objective, lexicographic: (1) fill as many seats as possible; (2) minimise
``−Σ affinity + λ·Σ_c pen(load_c)``, with the convex penalty ``pen`` (the k-th item of one expert costs
λ·(k−1), λ = ``Rules.load_balance``). Affinities enter as integers (``round(affinity·SCALE)``, SCALE = 1e5), so
"exact" means exact for affinities rounded to 1e-5.

What is exact:

* No rule, ``distinct_workplaces`` alone, or ``require_field_expert`` alone: a min-cost flow, exact.
  source → item (capacity need) → [(item, workplace) node, capacity 1] → candidate (capacity 1 per pair) →
  sink through unit arcs of increasing cost (convex load cost). ``require_field_expert`` is the flow
  item → "non-field" node (capacity need − 1) → candidates not sharing a field, while candidates sharing a
  field hang directly on the item: with every seat filled at least one is a field expert; when no field
  expert can be had, exactly that one "field seat" stays empty and the item reports ``no_field_expert``.
  Items without fields are exempt from the rule.
  A workplace with a single arc of the item in the model gets no (item, workplace) node (the pair arc has
  capacity 1 already). Large instances are solved on a pruned graph (each item's ``top_k`` candidates by
  affinity, and with λ > 0 its ``2·top_k/3`` best by affinity less an estimate of each candidate's load
  penalty, see flow.initial_arcs) and then *priced*: dual potentials of the pruned optimum are computed
  (Bellman–Ford on the residual graph, with a return arc sink → source of cost −BIG so that "maximum flow"
  is part of the certificate), every pruned pair's reduced cost is checked against every eligible pair (a
  block of item rows at a time, integer costs computed for the block), negative ones are added and the flow
  re-solved until none is left. At the end the pruned optimum is *proven* optimal for the full instance
  (``stats["exact"] is True``); pruning changes speed, not the result. Usually the first flow is already
  proven optimal (``stats["pricing_rounds"] == 1``): no second flow is solved.
* Both rules together do not fit a flow (the workplace groups cross the field/non-field split). First the
  workplaces-only flow above is solved exactly: it is a relaxation, so when its optimum already keeps the
  field rule (the usual case: field experts score higher through the field bonus) it is optimal for both
  rules, and proven so (``stats["field_rule_binding"] is False``): nothing more is solved. Otherwise the 0–1
  programme (rows: seats per item, non-field experts ≤ need − 1, one per (item, workplace), load per
  candidate with convex unit variables) is attacked in two stages, each lexicographic in two solves (maximum
  seats, then best objective with that many seats):

  1. its LP relaxation (scipy.optimize.linprog, HiGHS) with column generation: the LP starts from the
     relaxation's optimum plus each item's 5 best candidates and 5 best field experts (``method="lp"``: its
     ``top_k`` + ``top_k``), and phase 1 stops at the relaxation's number of seats, an upper bound; the
     duals price every eligible pair (a block of item rows at a time) and negative reduced costs are added until
     none is left, so the LP optimum is the LP optimum of the *full* instance. If it is integral (the usual
     case: every instance of the tests and the benchmark was) it is a proven optimum of the full integer
     problem: ``solver="lp"``, ``exact=True``.
  2. if the LP is fractional: the integer programme (scipy.optimize.milp, HiGHS, ``time_limit``) on the
     priced pairs. Exact when no eligible pair was left out (small instances) and HiGHS reports optimal;
     otherwise restricting to the priced pairs is a heuristic (``exact=False``, ``pruned=True``).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Collection, Sequence

import numpy

from .flow import solve_flow
from .instance import SCALE, Instance
from .programme import solve_milp
from .values import Assignment, Candidate, Item, Problem, Rules

__all__ = ["SCALE", "assign"]

_LP_SEED_K = 5


def _solve_both(inst: Instance, top_k: int, time_limit: float, stats: dict) -> list[tuple[int, int]]:
    """Both rules: the workplaces-only flow is a relaxation; if its optimum keeps the field rule, it is optimal."""
    relaxed = copy.copy(inst)
    relaxed.field_applies = numpy.zeros(inst.n, dtype=bool)
    relaxed.nonfield_cap = inst.need_rem
    pairs = solve_flow(relaxed, top_k, stats)
    if pairs:
        ii, cc = numpy.array(pairs).T
        nonfield = inst.field_applies[ii] & ~inst.field_match[ii, cc]
        count = numpy.bincount(ii[nonfield], minlength=inst.n)
    else:
        count = numpy.zeros(inst.n, dtype=numpy.int64)
    if (count <= inst.nonfield_cap).all():
        stats["field_rule_binding"] = False
        return pairs
    stats.clear()
    stats["field_rule_binding"] = True
    # the LP starts from the relaxation's optimum plus a few best (field) experts per item; pricing adds the rest
    return solve_milp(inst, min(top_k, _LP_SEED_K), time_limit, stats, seed=pairs)


def _diagnose(inst: Instance, assigned: numpy.ndarray, load: numpy.ndarray, problems: list[Problem]) -> None:
    rules = inst.rules
    count = assigned.sum(axis=1)
    for i in numpy.flatnonzero(count < inst.need):
        key = inst.items[i].key
        need, got = int(inst.need[i]), int(count[i])
        conflicted = int(inst.conflict[i].sum())
        eligible_mask = ~inst.conflict[i]
        eligible = inst.m - conflicted
        base = {"need": need, "assigned": got}
        if inst.m < need:
            problems.append(Problem(key, "not_enough_candidates", {**base, "candidates": inst.m}))
            continue
        if eligible < need:
            problems.append(
                Problem(
                    key, "conflicts", {**base, "candidates": inst.m, "conflicted": conflicted, "eligible": eligible}
                )
            )
            continue
        workplaces = len(numpy.unique(inst.wid[eligible_mask & (inst.wid >= 0)])) + int(
            (eligible_mask & (inst.wid < 0)).sum()
        )
        if rules.distinct_workplaces and workplaces < need:
            problems.append(Problem(key, "workplaces", {**base, "eligible": eligible, "workplaces": workplaces}))
            continue
        full = load >= inst.max_load
        others = eligible_mask & ~assigned[i]
        same = numpy.zeros(inst.m, dtype=bool)
        if rules.distinct_workplaces:
            used = inst.wid[assigned[i] & (inst.wid >= 0)]
            same = others & (inst.wid >= 0) & numpy.isin(inst.wid, used)
        if inst.field_applies[i] and not (assigned[i] & inst.field_match[i]).any():
            fm = inst.field_match[i]
            field_candidates, field_conflicted = int(fm.sum()), int((fm & inst.conflict[i]).sum())
            if field_candidates == field_conflicted:
                problems.append(
                    Problem(
                        key,
                        "no_field_expert",
                        {**base, "field_candidates": field_candidates, "field_conflicted": field_conflicted},
                    )
                )
                continue
            pool = others & fm
            extra = {
                "field_eligible": field_candidates - field_conflicted,
                "field_at_max_load": int((pool & full).sum()),
            }
        else:
            pool = others
            extra = {}
        if (pool & ~full & ~same).any():
            problems.append(Problem(key, "unresolved", base))
        elif (pool & ~full & same).any():
            problems.append(
                Problem(
                    key,
                    "workplaces",
                    {
                        **base,
                        "eligible": eligible,
                        "workplaces": workplaces,
                        "at_max_load": int((pool & full).sum()),
                        "same_workplace": int((pool & ~full & same).sum()),
                        **extra,
                    },
                )
            )
        else:
            problems.append(
                Problem(
                    key,
                    "load_exhausted",
                    {**base, "eligible": eligible, "at_max_load": int((others & full).sum()), **extra},
                )
            )


def _item_means(inst: Instance, pairs: list[tuple[int, int]]) -> list[float]:
    """Mean affinity of each item's experts (items with at least one, in item order), as ``numpy.mean`` of the
    item's values in candidate order computes it: the items with k experts are averaged together, row by row."""
    if not pairs:
        return []
    ii, cc = numpy.array(sorted(pairs)).T
    values = inst.aff[ii, cc]
    count = numpy.bincount(ii, minlength=inst.n)
    first = numpy.concatenate([[0], numpy.cumsum(count)[:-1]])
    means = numpy.zeros(inst.n)
    for k in numpy.unique(count[count > 0]):
        rows = numpy.flatnonzero(count == k)
        means[rows] = values[first[rows][:, None] + numpy.arange(k)].mean(axis=1)
    return means[count > 0].tolist()


def assign(
    items: Sequence[Item],
    candidates: Sequence[Candidate],
    affinity: numpy.ndarray,
    conflicts: Collection[tuple[int, int]] = frozenset(),
    rules: Rules | None = None,
    fixed: Collection[tuple[int, int]] = frozenset(),
    *,
    top_k: int = 30,
    time_limit: float = 120.0,
    method: str = "auto",
) -> Assignment:
    """Best assignment of ``candidates`` to ``items`` (see the module docstring for the objective and exactness).

    ``affinity[i, c]`` scores ``items[i]`` against ``candidates[c]``; ``conflicts`` and ``fixed`` are
    (item_key, candidate_key) pairs. Conflicted pairs are never assigned (a conflicted fixed pair is refused
    with a ``fixed_conflict`` problem); other fixed pairs are always kept, counted in loads and rules, and
    reported if they break a limit. An infeasible instance still gets its best partial assignment (most seats,
    then best objective) and one :class:`Problem` per item explaining each empty seat. Deterministic.

    ``top_k``: initial candidates per item (flow: pruning with exact pricing; integer programme: the kept set).
    ``time_limit``: seconds for the integer programme. ``method`` matters only when both
    rules are on: ``"auto"`` tries the workplaces flow (a relaxation) first, then the LP, then the integer
    programme; ``"lp"`` starts at the LP, ``"integer"`` goes straight to the integer programme (tests, benchmarks).
    """
    if method not in ("auto", "lp", "integer"):
        raise ValueError(f"unknown method {method!r}")
    started = time.perf_counter()
    rules = rules if rules is not None else Rules()
    problems: list[Problem] = []
    inst = Instance(list(items), list(candidates), affinity, conflicts, rules, fixed, problems)
    stats: dict[str, object] = {}
    solve_started = time.perf_counter()
    if inst.n and inst.m and inst.eligible.any():
        both = rules.distinct_workplaces and inst.field_applies.any()
        if both and method != "auto":
            pairs = solve_milp(inst, top_k, time_limit, stats, use_lp=method == "lp")
        elif both:
            pairs = _solve_both(inst, top_k, time_limit, stats)
        else:
            pairs = solve_flow(inst, top_k, stats)
    else:
        pairs = []
        stats.update(solver="none", arcs=0, exact=True, pruned=False)
    stats["solve_seconds"] = time.perf_counter() - solve_started
    pairs = sorted(set(pairs) | set(inst.fixed))
    assigned = numpy.zeros((inst.n, inst.m), dtype=bool)
    if pairs:
        pi, pc = numpy.array(pairs).T
        assigned[pi, pc] = True
    load = assigned.sum(axis=0)
    _diagnose(inst, assigned, load, problems)
    pairs.sort(key=lambda p: (p[0], -inst.aff[p], p[1]))
    out = [(inst.items[i].key, inst.candidates[c].key, float(inst.aff[i, c])) for i, c in pairs]
    per_item = _item_means(inst, pairs)
    stats["seconds"] = time.perf_counter() - started
    return Assignment(
        pairs=out,
        problems=problems,
        total_affinity=float(sum(a for _, _, a in out)),
        min_item_affinity=float(min(per_item)) if per_item else None,
        min_pair_affinity=float(min(a for _, _, a in out)) if out else None,
        load={c.key: int(load[j]) for j, c in enumerate(inst.candidates)},
        seats=int(inst.need.sum()),
        filled=int(numpy.minimum(assigned.sum(axis=1), inst.need).sum()),
        stats=stats,
    )
