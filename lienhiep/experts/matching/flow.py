"""Exact min-cost flow (OR-Tools) on a pruned graph, priced against every eligible pair (see solver.py)."""

from __future__ import annotations

import numpy
from ortools.graph.python import min_cost_flow

from .instance import MAX_PRICING_ROUNDS, Instance


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


def solve_flow(inst: Instance, top_k: int, stats: dict) -> list[tuple[int, int]]:
    mask = inst.top_arcs(top_k, field_extra=int(inst.need.max(initial=0)) if inst.field_applies.any() else 0)
    rounds = 0
    exact = False
    chunk = max(1, 2_000_000 // max(inst.m, 1))
    while True:
        rounds += 1
        flow = Flow(inst, mask)
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
        if rounds >= MAX_PRICING_ROUNDS:
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
