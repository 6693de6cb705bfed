"""The 0–1 programme for both rules: LP relaxation with column generation, integer programme as last resort."""

from __future__ import annotations

import time

import numpy
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, linprog, milp

from .instance import MAX_PRICING_ROUNDS, SCALE, Instance


class Programme:
    """The 0–1 programme over the pairs in ``mask`` (rows: items, non-field, (item, workplace), candidates)."""

    def __init__(self, inst: Instance, mask: numpy.ndarray):
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
        self.value_cost = numpy.concatenate([inst.cost_at(ii, cc) / SCALE, ucost])

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
        base = -numpy.ones((len(rows), inst.m)) if phase == 1 else inst.cost_rows(rows) / SCALE
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


def _price(inst: Instance, prog: Programme, phase: int, duals, mask: numpy.ndarray, top_k: int) -> int:
    """Add to ``mask`` each item's most negative reduced-cost pairs; how many were added."""
    added = 0
    for rows in inst.row_blocks():
        red = prog.reduced_costs(phase, duals, rows)
        bad = (red < -1e-7) & inst.eligible[rows] & ~mask[rows]
        for r in numpy.flatnonzero(bad.any(axis=1)):
            cols = numpy.flatnonzero(bad[r])
            if len(cols) > top_k:
                cols = cols[numpy.argsort(red[r, cols], kind="stable")[:top_k]]
            mask[rows[r], cols] = True
            added += len(cols)
    return added


def solve_milp(
    inst: Instance,
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
            prog = Programme(inst, mask)
            res, duals = prog.lp(phase, seats)
            if duals is None:
                lp_ok = False
                break
            if phase == 1 and seed is not None and -res.fun >= len(seed) - 1e-9:
                break  # as many seats as the relaxation: no pricing can add more
            if rounds > MAX_PRICING_ROUNDS or not _price(inst, prog, phase, duals, mask, top_k):
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
    priced = lp_ok and rounds <= MAX_PRICING_ROUNDS
    prog = Programme(inst, mask)
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


def _integer(prog: Programme, time_limit: float) -> tuple[numpy.ndarray, int]:
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
