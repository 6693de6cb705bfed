"""Exact min-cost flow (OR-Tools) on a pruned graph, priced against every eligible pair (see solver.py)."""

from __future__ import annotations

import numpy
from ortools.graph.python import min_cost_flow

from .instance import MAX_PRICING_ROUNDS, Instance


def _bellman_ford(n_nodes: int, u: numpy.ndarray, v: numpy.ndarray, w: numpy.ndarray) -> numpy.ndarray | None:
    """Potentials d with d[v] ≤ d[u] + w on every edge (virtual root at 0 to every node); None on a negative cycle.

    Bellman–Ford by rounds, each round relaxing only the edges out of the nodes whose distance fell in the
    previous round (an edge out of an unchanged node cannot improve anything): the same distances, round after
    round, as relaxing every edge, for a fraction of the work."""
    d = numpy.zeros(n_nodes, dtype=numpy.int64)
    order = numpy.argsort(u, kind="stable")
    u, v, w = u[order], v[order], w[order]
    degree = numpy.bincount(u, minlength=n_nodes)
    first = numpy.concatenate([[0], numpy.cumsum(degree)[:-1]])
    active = numpy.flatnonzero(degree)
    for _ in range(n_nodes + 1):
        counts = degree[active]
        total = int(counts.sum())
        if total == 0:
            return d
        # the edges out of the active nodes: their ranges [first, first + degree) laid end to end
        edges = numpy.repeat(first[active] - numpy.cumsum(counts) + counts, counts) + numpy.arange(total)
        heads = v[edges]
        reach = d[u[edges]] + w[edges]
        better = reach < d[heads]
        if not better.any():
            return d
        heads, reach = heads[better], reach[better]
        numpy.minimum.at(d, heads, reach)
        active = numpy.unique(heads)
        active = active[degree[active] > 0]
    return None


class Flow:
    """One min-cost-flow model over the arcs in ``mask`` (see the module docstring for the network)."""

    def __init__(self, inst: Instance, mask: numpy.ndarray):
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
        self.groups = self.singles = None
        if rules.distinct_workplaces:
            # one node (item, workplace) of capacity 1 for each workplace with two or more of the item's arcs; a
            # workplace with a single arc needs none (the pair arc has capacity 1): see tail_potential for pricing
            nw = max(inst.n_workplaces, 1)
            with_w = numpy.flatnonzero(inst.wid[cc] >= 0)
            keys = ii[with_w] * nw + inst.wid[cc[with_w]]
            uniq, first, inverse, counts = numpy.unique(
                keys, return_index=True, return_inverse=True, return_counts=True
            )
            multi = counts >= 2
            g_node = numpy.full(len(uniq), -1)
            g_node[multi] = nxt + numpy.arange(int(multi.sum()))
            nxt += int(multi.sum())
            self.groups = (uniq[multi] // nw, uniq[multi] % nw, g_node[multi])
            self.singles = (uniq[~multi] // nw, uniq[~multi] % nw, with_w[first[~multi]])
            arcs(tail[with_w[first[multi]]], g_node[multi], numpy.ones(int(multi.sum())), numpy.zeros(int(multi.sum())))
            grouped = multi[inverse]
            tail[with_w[grouped]] = g_node[inverse[grouped]]
        self.pair_first = sum(len(a) for a in tails_l)
        self.pair_cost = inst.cost_at(ii, cc)
        self.pair_tail = tail
        arcs(tail, cand_node[cc], numpy.ones(len(ii)), self.pair_cost)
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
        biggest = max(inst.max_abs_cost, int(inst.pen(inst.max_load.max(initial=1)).max()))
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
        """For item rows × all candidates: the potential of the node a new pair arc would leave from.

        With workplaces, a new pair of (item, workplace) hangs on that group's node: its potential if the model
        has the node; for a workplace with a single arc in the model (no node), the potential the node would
        have: d[candidate] − cost if that arc carries the unit, else the item's (both keep every residual arc of
        the node at a non-negative reduced cost); for a workplace without arcs, the item's."""
        inst = self.inst
        base = d[self.item_node[rows]][:, None]
        out = numpy.broadcast_to(base, (len(rows), inst.m)).copy()
        if self.nf_node is not None:
            nonfield = inst.field_applies[rows][:, None] & ~inst.field_match[rows]
            out = numpy.where(nonfield, d[self.nf_node[rows]][:, None], out)
        if self.groups is not None:
            nw = max(inst.n_workplaces, 1)
            table = numpy.empty((len(rows), nw + 1), dtype=numpy.int64)
            table[:] = base
            pos = numpy.full(inst.n, -1)
            pos[rows] = numpy.arange(len(rows))
            g_item, g_w, g_node = self.groups
            sel = pos[g_item] >= 0
            table[pos[g_item[sel]], g_w[sel]] = d[g_node[sel]]
            s_item, s_w, s_arc = self.singles
            sel = pos[s_item] >= 0
            arc = s_arc[sel]
            used = self.flows[self.pair_first + arc] > 0
            table[pos[s_item[sel]], s_w[sel]] = numpy.where(
                used, d[self.cand_node[self.cc[arc]]] - self.pair_cost[arc], d[self.pair_tail[arc]]
            )
            out = table[:, numpy.where(inst.wid >= 0, inst.wid, nw)]
        return out


def initial_arcs(inst: Instance, top_k: int) -> numpy.ndarray:
    """The pairs the first flow starts from: each item's ``top_k`` candidates by affinity (+ its best field
    experts under the field rule) and, with a load penalty, its ``2·top_k/3`` best by affinity less each
    candidate's expected load penalty (λ · load, the load estimated from how many items rank the candidate
    high): the optimum spreads work to experts few items rank high, whose pairs pricing would otherwise add
    in a second flow. A guess: pricing makes the result exact whatever these arcs are."""
    mask = inst.top_arcs(top_k, field_extra=int(inst.need.max(initial=0)) if inst.field_applies.any() else 0)
    extra = 2 * top_k // 3
    arcs = int(mask.sum())
    if inst.rules.load_balance and extra and arcs:
        per_arc = inst.need_rem.sum() / arcs
        load = inst.fixed_load + numpy.minimum(inst.cap_rem, mask.sum(axis=0) * per_arc)
        inst.top_arcs(extra, offset=inst.rules.load_balance * load, into=mask)
    return mask


def solve_flow(inst: Instance, top_k: int, stats: dict) -> list[tuple[int, int]]:
    mask = initial_arcs(inst, top_k)
    eligible_pairs = int(inst.eligible.sum())  # the mask only ever holds eligible pairs
    rounds = 0
    exact = False
    while True:
        rounds += 1
        flow = Flow(inst, mask)
        used = flow.solve()
        if int(mask.sum()) == eligible_pairs:
            exact = True
            break
        d = flow.potentials()
        if d is None:
            raise RuntimeError("min-cost flow returned a non-optimal flow")
        added = 0
        d_cand = d[flow.cand_node][None, :]
        for rows in inst.row_blocks():
            rc = inst.cost_rows(rows)
            rc += flow.tail_potential(d, rows)
            rc -= d_cand
            bad = rc < 0
            bad &= inst.eligible[rows]
            bad &= ~mask[rows]
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
        if rounds >= MAX_PRICING_ROUNDS:
            break
    stats.update(
        solver="flow",
        arcs=int(mask.sum()),
        eligible_pairs=eligible_pairs,
        pricing_rounds=rounds,
        exact=exact,
        pruned=int(mask.sum()) < eligible_pairs,
        nodes=flow.n_nodes,
    )
    return list(zip(flow.ii[used].tolist(), flow.cc[used].tolist(), strict=True))
