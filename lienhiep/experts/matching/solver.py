"""Assign experts to items: exact min-cost flow (OR-Tools), or an integer programme (HiGHS) for both rules.

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
  Large instances are solved on a pruned graph (each item's ``top_k`` candidates by affinity) and then
  *priced*: dual potentials of the pruned optimum are computed (Bellman–Ford on the residual graph, with a
  return arc sink → source of cost −BIG so that "maximum flow" is part of the certificate), every pruned
  pair's reduced cost is checked on the full dense matrix, negative ones are added and the flow re-solved
  until none is left. At the end the pruned optimum is *proven* optimal for the full instance
  (``stats["exact"] is True``); pruning changes speed, not the result.
* Both rules together do not fit a flow (the workplace groups cross the field/non-field split). First the
  workplaces-only flow above is solved exactly: it is a relaxation, so when its optimum already keeps the
  field rule (the usual case: field experts score higher through the field bonus) it is optimal for both
  rules, and proven so (``stats["field_rule_binding"] is False``). Otherwise the 0–1 programme
  (rows: seats per item, non-field experts ≤ need − 1, one per (item, workplace), load per candidate with
  convex unit variables) is attacked in two stages, each lexicographic in two solves (maximum seats, then best
  objective with that many seats):

  1. its LP relaxation (scipy.optimize.linprog, HiGHS) with column generation: the LP starts from each item's
     ``top_k`` candidates + ``top_k`` field experts; the duals price every eligible pair of the full dense
     matrix and negative reduced costs are added until none is left, so the LP optimum is the LP optimum of
     the *full* instance. If it is integral (the usual case here; every instance of the tests and the
     benchmark was) it is a proven optimum of the full integer problem: ``solver="lp"``, ``exact=True``.
  2. if the LP is fractional: the integer programme (scipy.optimize.milp, HiGHS, ``time_limit``) on the
     priced pairs. Exact when no eligible pair was left out (small instances) and HiGHS reports optimal;
     otherwise restricting to the priced pairs is a heuristic (``exact=False``, ``pruned=True``).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Collection, Sequence

import numpy
import scipy.sparse as sp
from ortools.graph.python import min_cost_flow
from scipy.optimize import LinearConstraint, linprog, milp

from .affinity import shared_fields
from .values import Assignment, Candidate, Item, Problem, Rules

SCALE = 100_000
_MAX_PRICING_ROUNDS = 100
_LP_SEED_K = 5


class _Instance:
    """Arrays shared by the solvers and the diagnosis (indices follow the given sequences' order)."""

    def __init__(self, items, candidates, affinity, conflicts, rules, fixed, problems):
        n, m = len(items), len(candidates)
        self.n, self.m, self.rules = n, m, rules
        self.items, self.candidates = items, candidates
        self.aff = numpy.asarray(affinity, dtype=numpy.float64)
        if self.aff.shape != (n, m):
            raise ValueError(f"affinity has shape {self.aff.shape}, expected {(n, m)}")
        self.cost = -numpy.rint(self.aff * SCALE).astype(numpy.int64)
        item_index = {it.key: i for i, it in enumerate(items)}
        cand_index = {c.key: j for j, c in enumerate(candidates)}
        if len(item_index) != n or len(cand_index) != m:
            raise ValueError("item and candidate keys must be unique")
        self.need = numpy.array([max(0, it.need) for it in items], dtype=numpy.int64)
        unlimited = max(n, 1)
        self.max_load = numpy.array(
            [
                max(0, c.max_load if c.max_load is not None else rules.default_max_load)
                if (c.max_load is not None or rules.default_max_load is not None)
                else unlimited
                for c in candidates
            ],
            dtype=numpy.int64,
        )
        self.conflict = numpy.zeros((n, m), dtype=bool)
        for ik, ck in conflicts:
            if ik in item_index and ck in cand_index:
                self.conflict[item_index[ik], cand_index[ck]] = True
        self.field_match = shared_fields(items, candidates) > 0
        self.field_applies = numpy.array([rules.require_field_expert and bool(it.fields) for it in items], dtype=bool)
        workplaces: dict[str, int] = {}
        self.wid = numpy.array(
            [
                workplaces.setdefault(c.workplace, len(workplaces)) if c.workplace is not None else -1
                for c in candidates
            ],
            dtype=numpy.int64,
        )
        self.n_workplaces = len(workplaces)

        # Fixed pairs: forced in, capacities reduced; irregular ones reported.
        self.fixed: list[tuple[int, int]] = []
        self.fixed_mask = numpy.zeros((n, m), dtype=bool)
        self.fixed_load = numpy.zeros(m, dtype=numpy.int64)
        fixed_count = numpy.zeros(n, dtype=numpy.int64)
        fixed_field = numpy.zeros(n, dtype=numpy.int64)
        self.fixed_workplace: set[tuple[int, int]] = set()
        for ik, ck in sorted(fixed):
            if ik not in item_index or ck not in cand_index:
                problems.append(Problem(ik, "fixed_unknown", {"candidate": ck}))
                continue
            i, c = item_index[ik], cand_index[ck]
            if self.conflict[i, c]:
                problems.append(Problem(ik, "fixed_conflict", {"candidate": ck}))
                continue
            self.fixed.append((i, c))
            self.fixed_mask[i, c] = True
            self.fixed_load[c] += 1
            fixed_count[i] += 1
            fixed_field[i] += int(self.field_match[i, c])
            if self.fixed_load[c] == self.max_load[c] + 1:
                problems.append(
                    Problem(ik, "fixed_over_load", {"candidate": ck, "load": 0, "max_load": int(self.max_load[c])})
                )
            if rules.distinct_workplaces and self.wid[c] >= 0:
                if (i, int(self.wid[c])) in self.fixed_workplace:
                    problems.append(Problem(ik, "fixed_workplaces", {"candidate": ck}))
                self.fixed_workplace.add((i, int(self.wid[c])))
        # fill in the final fixed load of over-loaded candidates
        for k, p in enumerate(problems):
            if p.code == "fixed_over_load":
                c = cand_index[p.numbers["candidate"]]
                problems[k] = Problem(p.item_key, p.code, {**p.numbers, "load": int(self.fixed_load[c])})
        for i in numpy.flatnonzero(fixed_count > self.need):
            problems.append(
                Problem(items[i].key, "fixed_over_need", {"need": int(self.need[i]), "fixed": int(fixed_count[i])})
            )
        fixed_nonfield = fixed_count - fixed_field
        for i in numpy.flatnonzero(
            self.field_applies & (fixed_field == 0) & (fixed_nonfield >= self.need) & (self.need > 0)
        ):
            problems.append(
                Problem(
                    items[i].key, "fixed_no_field_expert", {"need": int(self.need[i]), "fixed": int(fixed_count[i])}
                )
            )

        self.need_rem = numpy.maximum(self.need - fixed_count, 0)
        self.cap_rem = numpy.maximum(self.max_load - self.fixed_load, 0)
        nonfield = numpy.where(fixed_field > 0, self.need_rem, numpy.maximum(self.need - 1 - fixed_nonfield, 0))
        self.nonfield_cap = numpy.where(self.field_applies, numpy.minimum(nonfield, self.need_rem), self.need_rem)
        self.eligible = ~self.conflict & ~self.fixed_mask
        self.eligible &= (self.cap_rem > 0)[None, :]
        self.eligible &= (self.need_rem > 0)[:, None]
        for i, w in self.fixed_workplace:
            self.eligible[i, self.wid == w] = False

    def pen(self, k: numpy.ndarray) -> numpy.ndarray:
        """Integer cost of the k-th unit (1-based, counting fixed pairs) of one candidate's load."""
        return numpy.rint(self.rules.load_balance * SCALE * (numpy.asarray(k) - 1)).astype(numpy.int64)

    def top_arcs(self, top_k: int, field_extra: int = 0) -> numpy.ndarray:
        """Mask of each item's ``top_k`` eligible candidates by affinity (+ ``field_extra`` best field experts)."""
        keep = numpy.zeros((self.n, self.m), dtype=bool)
        if self.m == 0 or self.n == 0:
            return keep
        for masks in ([self.eligible], [self.eligible & self.field_match] if field_extra else []):
            for mask in masks:
                k = top_k if mask is self.eligible else field_extra
                if k >= self.m:
                    keep |= mask
                    continue
                scored = numpy.where(mask, self.aff, -1.0)
                top = numpy.argpartition(-scored, k - 1, axis=1)[:, :k]
                rows = numpy.repeat(numpy.arange(self.n), k)
                sel = numpy.zeros_like(keep)
                sel[rows, top.ravel()] = True
                keep |= sel & mask
        return keep


def _bellman_ford(n_nodes: int, u: numpy.ndarray, v: numpy.ndarray, w: numpy.ndarray) -> numpy.ndarray | None:
    """Potentials d with d[v] ≤ d[u] + w on every edge (virtual root at 0 to every node); None on a negative cycle."""
    d = numpy.zeros(n_nodes, dtype=numpy.int64)
    order = numpy.argsort(v, kind="stable")
    u, v, w = u[order], v[order], w[order]
    heads, starts = numpy.unique(v, return_index=True)
    for _ in range(n_nodes + 1):
        best = numpy.minimum.reduceat(d[u] + w, starts)
        improved = best < d[heads]
        if not improved.any():
            return d
        d[heads[improved]] = best[improved]
    return None


class _Flow:
    """One min-cost-flow model over the arcs in ``mask`` (see the module docstring for the network)."""

    def __init__(self, inst: _Instance, mask: numpy.ndarray):
        self.inst = inst
        n, m = inst.n, inst.m
        rules = inst.rules
        ii, cc = numpy.nonzero(mask)
        self.ii, self.cc = ii, cc
        self.s, self.t = 0, 1
        item_node = 2 + numpy.arange(n)
        cand_node = 2 + n + numpy.arange(m)
        nxt = 2 + n + m
        tails_l, heads_l, caps_l, costs_l = [], [], [], []

        def arcs(t, h, cap, cost):
            tails_l.append(numpy.asarray(t, dtype=numpy.int64))
            heads_l.append(numpy.asarray(h, dtype=numpy.int64))
            caps_l.append(numpy.asarray(cap, dtype=numpy.int64))
            costs_l.append(numpy.asarray(cost, dtype=numpy.int64))

        live = numpy.flatnonzero(inst.need_rem > 0)
        arcs(numpy.zeros(len(live)), item_node[live], inst.need_rem[live], numpy.zeros(len(live)))
        tail = item_node[ii].copy()
        self.nf_node = None
        if inst.field_applies.any():
            self.nf_node = nxt + numpy.arange(n)
            nxt += n
            fa = numpy.flatnonzero(inst.field_applies & (inst.need_rem > 0))
            arcs(item_node[fa], self.nf_node[fa], inst.nonfield_cap[fa], numpy.zeros(len(fa)))
            nonfield = inst.field_applies[ii] & ~inst.field_match[ii, cc]
            tail[nonfield] = self.nf_node[ii[nonfield]]
        self.groups = None
        if rules.distinct_workplaces:
            has_w = inst.wid[cc] >= 0
            keys = ii[has_w] * max(inst.n_workplaces, 1) + inst.wid[cc[has_w]]
            uniq, inverse = numpy.unique(keys, return_inverse=True)
            g_node = nxt + numpy.arange(len(uniq))
            nxt += len(uniq)
            g_item = uniq // max(inst.n_workplaces, 1)
            self.groups = (g_item, uniq % max(inst.n_workplaces, 1), g_node)
            arcs(
                tail[has_w][numpy.unique(inverse, return_index=True)[1]],
                g_node,
                numpy.ones(len(uniq)),
                numpy.zeros(len(uniq)),
            )
            tail[has_w] = g_node[inverse]
        self.pair_first = sum(len(a) for a in tails_l)
        arcs(tail, cand_node[cc], numpy.ones(len(ii)), inst.cost[ii, cc])
        # candidate → sink, one arc per unit of load (convex costs), or one arc when λ = 0
        deg = numpy.bincount(cc, minlength=m)
        self.units = numpy.minimum(inst.cap_rem, deg)
        has = numpy.flatnonzero(self.units > 0)
        if rules.load_balance == 0:
            arcs(cand_node[has], numpy.full(len(has), self.t), self.units[has], numpy.zeros(len(has)))
        else:
            rep = numpy.repeat(has, self.units[has])
            j = numpy.arange(len(rep)) - numpy.repeat(numpy.cumsum(self.units[has]) - self.units[has], self.units[has])
            arcs(
                cand_node[rep],
                numpy.full(len(rep), self.t),
                numpy.ones(len(rep)),
                inst.pen(inst.fixed_load[rep] + j + 1),
            )
        self.tails = numpy.concatenate(tails_l)
        self.heads = numpy.concatenate(heads_l)
        self.caps = numpy.concatenate(caps_l)
        self.costs = numpy.concatenate(costs_l)
        self.n_nodes = nxt
        self.item_node, self.cand_node = item_node, cand_node

    def solve(self) -> numpy.ndarray:
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, self.caps, self.costs)
        supply = int(self.inst.need_rem.sum())
        smcf.set_node_supply(self.s, supply)
        smcf.set_node_supply(self.t, -supply)
        smcf.set_node_supply(self.n_nodes - 1, 0)  # every node exists even if it has no arc
        status = smcf.solve_max_flow_with_min_cost() if len(self.tails) else smcf.OPTIMAL
        if status != smcf.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed: {status}")
        self.flows = smcf.flows(numpy.arange(len(self.tails))) if len(self.tails) else numpy.zeros(0, numpy.int64)
        self.flows = numpy.asarray(self.flows, dtype=numpy.int64)
        return self.flows[self.pair_first : self.pair_first + len(self.ii)] > 0

    def potentials(self) -> numpy.ndarray | None:
        """Dual potentials of the full instance's residual graph at this flow (None: not optimal, never expected)."""
        inst = self.inst
        f, cap = self.flows, self.caps
        fw = f < cap
        bw = f > 0
        u = [self.tails[fw], self.heads[bw]]
        v = [self.heads[fw], self.tails[bw]]
        w = [self.costs[fw], -self.costs[bw]]
        # the next (pruned-away) unit of load of every candidate that has more capacity than arcs in the model
        more = numpy.flatnonzero(self.units < inst.cap_rem)
        u.append(self.cand_node[more])
        v.append(numpy.full(len(more), self.t))
        w.append(inst.pen(inst.fixed_load[more] + self.units[more] + 1))
        # BIG exceeds the cost of any simple path of the *full* network, so a negative cycle through the
        # return arc sink → source (cost −BIG) is exactly an augmenting path: "maximum flow" is certified too.
        biggest = max(int(numpy.abs(inst.cost).max(initial=0)), int(inst.pen(inst.max_load.max(initial=1)).max()))
        big = (biggest + 1) * (3 + 2 * inst.n + inst.m + inst.n * inst.m)
        total = int(f[self.tails == self.s].sum())
        u.append(numpy.array([self.t] + ([self.s] if total else [])))
        v.append(numpy.array([self.s] + ([self.t] if total else [])))
        w.append(numpy.array([-big] + ([big] if total else [])))
        return _bellman_ford(
            self.n_nodes,
            numpy.concatenate(u).astype(numpy.int64),
            numpy.concatenate(v).astype(numpy.int64),
            numpy.concatenate(w).astype(numpy.int64),
        )

    def tail_potential(self, d: numpy.ndarray, rows: numpy.ndarray) -> numpy.ndarray:
        """For item rows × all candidates: the potential of the node a new pair arc would leave from."""
        inst = self.inst
        base = d[self.item_node[rows]][:, None]
        out = numpy.broadcast_to(base, (len(rows), inst.m)).copy()
        if self.nf_node is not None:
            nonfield = inst.field_applies[rows][:, None] & ~inst.field_match[rows]
            out = numpy.where(nonfield, d[self.nf_node[rows]][:, None], out)
        if self.groups is not None:
            g_item, g_w, g_node = self.groups
            nw = max(inst.n_workplaces, 1)
            table = numpy.empty((len(rows), nw + 1), dtype=numpy.int64)
            table[:] = base
            pos = numpy.full(inst.n, -1)
            pos[rows] = numpy.arange(len(rows))
            sel = pos[g_item] >= 0
            table[pos[g_item[sel]], g_w[sel]] = d[g_node[sel]]
            out = table[:, numpy.where(inst.wid >= 0, inst.wid, nw)]
        return out


def _solve_flow(inst: _Instance, top_k: int, stats: dict) -> list[tuple[int, int]]:
    mask = inst.top_arcs(top_k, field_extra=int(inst.need.max(initial=0)) if inst.field_applies.any() else 0)
    rounds = 0
    exact = False
    chunk = max(1, 2_000_000 // max(inst.m, 1))
    while True:
        rounds += 1
        flow = _Flow(inst, mask)
        used = flow.solve()
        if not (~mask & inst.eligible).any():
            exact = True
            break
        d = flow.potentials()
        if d is None:
            raise RuntimeError("min-cost flow returned a non-optimal flow")
        added = 0
        for start in range(0, inst.n, chunk):
            rows = numpy.arange(start, min(start + chunk, inst.n))
            rc = inst.cost[rows] + flow.tail_potential(d, rows) - d[flow.cand_node][None, :]
            bad = (rc < 0) & inst.eligible[rows] & ~mask[rows]
            if not bad.any():
                continue
            counts = bad.sum(axis=1)
            for r in numpy.flatnonzero(counts):
                cols = numpy.flatnonzero(bad[r])
                if len(cols) > top_k:
                    cols = cols[numpy.argsort(rc[r, cols], kind="stable")[:top_k]]
                mask[rows[r], cols] = True
                added += len(cols)
        if not added:
            exact = True
            break
        if rounds >= _MAX_PRICING_ROUNDS:
            break
    stats.update(
        solver="flow",
        arcs=int(mask.sum()),
        eligible_pairs=int(inst.eligible.sum()),
        pricing_rounds=rounds,
        exact=exact,
        pruned=bool((~mask & inst.eligible).any()),
        nodes=flow.n_nodes,
    )
    return list(zip(flow.ii[used].tolist(), flow.cc[used].tolist(), strict=True))


class _Programme:
    """The 0–1 programme over the pairs in ``mask`` (rows: items, non-field, (item, workplace), candidates)."""

    def __init__(self, inst: _Instance, mask: numpy.ndarray):
        self.inst = inst
        ii, cc = numpy.nonzero(mask)
        self.ii, self.cc = ii, cc
        E = self.E = len(ii)
        lam = inst.rules.load_balance
        deg = numpy.bincount(cc, minlength=inst.m)
        # one spare unit per candidate, so the candidate row's dual also prices a pair that is not yet in
        units = numpy.minimum(inst.cap_rem, deg + 1) if lam else numpy.zeros(inst.m, dtype=numpy.int64)
        U = self.U = int(units.sum())
        rows, cols, vals, ub = [], [], [], []
        r = 0

        def add(row_ids, col_ids, values, bounds):
            nonlocal r
            rows.append(numpy.asarray(row_ids, dtype=numpy.int64) + r)
            cols.append(numpy.asarray(col_ids, dtype=numpy.int64))
            vals.append(numpy.asarray(values, dtype=float))
            ub.append(numpy.asarray(bounds, dtype=float))
            r += len(bounds)
            return r - len(bounds)

        e = numpy.arange(E)
        self.item_row0 = add(ii, e, numpy.ones(E), inst.need_rem)
        self.nf_row = numpy.full(inst.n, -1)
        fa = numpy.flatnonzero(inst.field_applies)
        if len(fa):
            pos = numpy.full(inst.n, -1)
            pos[fa] = numpy.arange(len(fa))
            nonfield = inst.field_applies[ii] & ~inst.field_match[ii, cc]
            first = add(pos[ii[nonfield]], e[nonfield], numpy.ones(int(nonfield.sum())), inst.nonfield_cap[fa])
            self.nf_row[fa] = first + numpy.arange(len(fa))
        has_w = inst.wid[cc] >= 0
        nw = max(inst.n_workplaces, 1)
        keys = ii[has_w] * nw + inst.wid[cc[has_w]]
        uniq, inverse = numpy.unique(keys, return_inverse=True)
        first = add(inverse, e[has_w], numpy.ones(int(has_w.sum())), numpy.ones(len(uniq)))
        self.groups = (uniq // nw, uniq % nw, first + numpy.arange(len(uniq)))
        if lam:
            ucand = numpy.repeat(numpy.arange(inst.m), units)
            self.cand_row0 = add(
                numpy.concatenate([cc, ucand]),
                numpy.concatenate([e, E + numpy.arange(U)]),
                numpy.concatenate([numpy.ones(E), -numpy.ones(U)]),
                numpy.zeros(inst.m),
            )
            j = numpy.arange(U) - numpy.repeat(numpy.cumsum(units) - units, units)
            ucost = inst.pen(inst.fixed_load[ucand] + j + 1) / SCALE
        else:
            self.cand_row0 = add(cc, e, numpy.ones(E), inst.cap_rem)
            ucost = numpy.zeros(0)
        self.rows = r
        self.A = sp.csr_matrix(
            (numpy.concatenate(vals), (numpy.concatenate(rows), numpy.concatenate(cols))), shape=(r, E + U)
        )
        self.b = numpy.concatenate(ub)
        self.seat_cost = numpy.concatenate([-numpy.ones(E), numpy.zeros(U)])
        self.value_cost = numpy.concatenate([inst.cost[ii, cc] / SCALE, ucost])

    def lp(self, phase: int, seats: float | None):
        """LP relaxation: (result, duals of every row) or (result, None) if HiGHS failed."""
        A, b = self.A, self.b
        if phase == 2:
            A = sp.vstack([A, sp.csr_matrix(self.seat_cost[None, :])]).tocsr()  # −Σx ≤ −seats
            b = numpy.concatenate([b, [-seats]])
        c = self.seat_cost if phase == 1 else self.value_cost
        res = linprog(c, A_ub=A, b_ub=b, bounds=(0, 1), method="highs")
        if res.status != 0:
            return res, None
        return res, res.ineqlin.marginals

    def reduced_costs(self, phase: int, duals: numpy.ndarray, rows: numpy.ndarray) -> numpy.ndarray:
        """Reduced costs of every (item in rows, candidate) pair as a new column of the LP."""
        inst = self.inst
        base = -numpy.ones((len(rows), inst.m)) if phase == 1 else inst.cost[rows] / SCALE
        red = base - duals[self.item_row0 + rows][:, None] - duals[self.cand_row0 + numpy.arange(inst.m)][None, :]
        nf = self.nf_row[rows]
        nonfield = (nf >= 0)[:, None] & ~inst.field_match[rows]
        red -= numpy.where(nonfield, duals[numpy.maximum(nf, 0)][:, None], 0.0)
        g_item, g_w, g_row = self.groups
        nw = max(inst.n_workplaces, 1)
        table = numpy.zeros((len(rows), nw + 1))
        pos = numpy.full(inst.n, -1)
        pos[rows] = numpy.arange(len(rows))
        sel = pos[g_item] >= 0
        table[pos[g_item[sel]], g_w[sel]] = duals[g_row[sel]]
        red -= table[:, numpy.where(inst.wid >= 0, inst.wid, nw)]
        if phase == 2:
            red += duals[self.rows]  # the seats row has coefficient −1
        return red


def _price(inst: _Instance, prog: _Programme, phase: int, duals, mask: numpy.ndarray, top_k: int) -> int:
    """Add to ``mask`` each item's most negative reduced-cost pairs; how many were added."""
    added = 0
    chunk = max(1, 2_000_000 // max(inst.m, 1))
    for start in range(0, inst.n, chunk):
        rows = numpy.arange(start, min(start + chunk, inst.n))
        red = prog.reduced_costs(phase, duals, rows)
        bad = (red < -1e-7) & inst.eligible[rows] & ~mask[rows]
        for r in numpy.flatnonzero(bad.any(axis=1)):
            cols = numpy.flatnonzero(bad[r])
            if len(cols) > top_k:
                cols = cols[numpy.argsort(red[r, cols], kind="stable")[:top_k]]
            mask[rows[r], cols] = True
            added += len(cols)
    return added


def _solve_milp(
    inst: _Instance,
    top_k: int,
    time_limit: float,
    stats: dict,
    use_lp: bool = True,
    seed: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """LP relaxation with column generation over all eligible pairs, then integer only if the LP is fractional.

    ``seed``: pairs to start the LP with besides the top_k: the optimum of the workplaces-only relaxation, whose
    number of seats also bounds phase 1 from above.
    """
    started = time.perf_counter()
    mask = inst.top_arcs(top_k, field_extra=top_k)
    if seed:
        si, sc = numpy.array(seed).T
        mask[si, sc] = True
    rounds = 0
    seats = None
    solution = None
    lp_ok = use_lp
    for phase in (1, 2) if use_lp else ():
        while True:
            rounds += 1
            prog = _Programme(inst, mask)
            res, duals = prog.lp(phase, seats)
            if duals is None:
                lp_ok = False
                break
            if phase == 1 and seed is not None and -res.fun >= len(seed) - 1e-9:
                break  # as many seats as the relaxation: no pricing can add more
            if rounds > _MAX_PRICING_ROUNDS or not _price(inst, prog, phase, duals, mask, top_k):
                break
        if not lp_ok:
            break
        if phase == 1:
            seats = -res.fun
            if abs(seats - round(seats)) > 1e-6:
                lp_ok = False  # fractional bound: no integer assignment reaches it
                break
            seats = float(round(seats))
        else:
            solution = res.x
    priced = lp_ok and rounds <= _MAX_PRICING_ROUNDS
    prog = _Programme(inst, mask)
    integral = solution is not None and bool(numpy.all(numpy.minimum(solution, 1 - solution)[: prog.E] < 1e-6))
    if integral:
        chosen = solution[: prog.E] > 0.5
        stats.update(solver="lp", exact=priced, pruned=not priced, milp_status=None)
    else:
        chosen, status = _integer(prog, max(1.0, time_limit - (time.perf_counter() - started)))
        pruned = bool((~mask & inst.eligible).any())
        stats.update(solver="milp", exact=status == 0 and not pruned, pruned=pruned, milp_status=status)
    stats.update(arcs=prog.E, eligible_pairs=int(inst.eligible.sum()), pricing_rounds=rounds)
    return list(zip(prog.ii[chosen].tolist(), prog.cc[chosen].tolist(), strict=True))


def _integer(prog: _Programme, time_limit: float) -> tuple[numpy.ndarray, int]:
    """Two integer solves (maximum seats, then best value with that many seats) on the programme's pairs."""
    start = time.perf_counter()
    E, U = prog.E, prog.U
    integrality = numpy.concatenate([numpy.ones(E), numpy.zeros(U)])
    bounds = (numpy.zeros(E + U), numpy.ones(E + U))
    res1 = milp(
        prog.seat_cost,
        constraints=[LinearConstraint(prog.A, -numpy.inf, prog.b)],
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": time_limit},
    )
    if res1.x is None:
        raise RuntimeError(f"integer programme failed: {res1.message}")
    seats = int(round(-res1.fun))
    remaining = max(1.0, time_limit - (time.perf_counter() - start))
    A2 = sp.vstack([prog.A, sp.csr_matrix(-prog.seat_cost[None, :])]).tocsr()  # Σx ≥ seats
    res2 = milp(
        prog.value_cost,
        constraints=[
            LinearConstraint(
                A2,
                numpy.concatenate([numpy.full(prog.rows, -numpy.inf), [seats]]),
                numpy.concatenate([prog.b, [numpy.inf]]),
            )
        ],
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": remaining, "mip_rel_gap": 1e-9},
    )
    res = res2 if res2.x is not None else res1
    status = int(res2.status) if res2.x is not None else 1
    return res.x[:E] > 0.5, (0 if res1.status == 0 and status == 0 else status or 1)


def _solve_both(inst: _Instance, top_k: int, time_limit: float, stats: dict) -> list[tuple[int, int]]:
    """Both rules: the workplaces-only flow is a relaxation; if its optimum keeps the field rule, it is optimal."""
    relaxed = copy.copy(inst)
    relaxed.field_applies = numpy.zeros(inst.n, dtype=bool)
    relaxed.nonfield_cap = inst.need_rem
    pairs = _solve_flow(relaxed, top_k, stats)
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
    return _solve_milp(inst, min(top_k, _LP_SEED_K), time_limit, stats, seed=pairs)


def _diagnose(inst: _Instance, assigned: numpy.ndarray, load: numpy.ndarray, problems: list[Problem]) -> None:
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
    inst = _Instance(list(items), list(candidates), affinity, conflicts, rules, fixed, problems)
    stats: dict[str, object] = {}
    solve_started = time.perf_counter()
    if inst.n and inst.m and inst.eligible.any():
        both = rules.distinct_workplaces and inst.field_applies.any()
        if both and method != "auto":
            pairs = _solve_milp(inst, top_k, time_limit, stats, use_lp=method == "lp")
        elif both:
            pairs = _solve_both(inst, top_k, time_limit, stats)
        else:
            pairs = _solve_flow(inst, top_k, stats)
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
    per_item = [inst.aff[i, assigned[i]].mean() for i in range(inst.n) if assigned[i].any()]
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
