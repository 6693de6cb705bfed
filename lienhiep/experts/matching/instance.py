"""Arrays of one assignment instance, shared by the flow, the programme and the diagnosis.

The affinity is the one dense float array (the caller's); the masks are dense booleans (one byte a pair); integer
costs are computed where they are needed (the arcs of a model, a block of rows being priced), never for every pair.
"""

from __future__ import annotations

from itertools import repeat

import numpy

from .affinity import field_matrices
from .values import Problem

SCALE = 100_000  # affinities enter the solvers as round(affinity · SCALE)
MAX_PRICING_ROUNDS = 100
BLOCK_CELLS = 250_000  # pairs per block of rows (2 MB of float64): small enough to stay in cache


def _pair_indices(pairs, item_index: dict, cand_index: dict) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(item index, candidate index) arrays of the (item_key, candidate_key) pairs whose keys are both known."""
    pairs = list(pairs)
    if not pairs:
        return numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)
    item_keys, cand_keys = zip(*pairs, strict=True)
    ii = numpy.fromiter(map(item_index.get, item_keys, repeat(-1)), dtype=numpy.int64, count=len(item_keys))
    cc = numpy.fromiter(map(cand_index.get, cand_keys, repeat(-1)), dtype=numpy.int64, count=len(cand_keys))
    known = (ii >= 0) & (cc >= 0)
    return ii[known], cc[known]


class Instance:
    """Arrays shared by the solvers and the diagnosis (indices follow the given sequences' order)."""

    def __init__(self, items, candidates, affinity, conflicts, rules, fixed, problems):
        n, m = len(items), len(candidates)
        self.n, self.m, self.rules = n, m, rules
        self.items, self.candidates = items, candidates
        self.aff = numpy.asarray(affinity, dtype=numpy.float64)
        if self.aff.shape != (n, m):
            raise ValueError(f"affinity has shape {self.aff.shape}, expected {(n, m)}")
        # the largest |integer cost| of any pair, as cost_at / cost_rows compute them
        self.max_abs_cost = int(numpy.rint(max(self.aff.max(initial=0.0), -self.aff.min(initial=0.0)) * SCALE))
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
        ci, cc = _pair_indices(conflicts, item_index, cand_index)
        self.conflict[ci, cc] = True
        self.field_match = numpy.zeros((n, m), dtype=bool)
        fi, fc = field_matrices(items, candidates)
        shared = (fi @ fc.T).tocoo()  # sparse: the pairs sharing a field
        self.field_match[shared.row, shared.col] = True
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
        self.eligible = numpy.logical_or(self.conflict, self.fixed_mask)
        numpy.logical_not(self.eligible, out=self.eligible)
        self.eligible &= (self.cap_rem > 0)[None, :]
        self.eligible &= (self.need_rem > 0)[:, None]
        for i, w in self.fixed_workplace:
            self.eligible[i, self.wid == w] = False

    def cost_at(self, ii: numpy.ndarray, cc: numpy.ndarray) -> numpy.ndarray:
        """Integer cost ``−round(affinity · SCALE)`` of the pairs (ii[k], cc[k])."""
        return -numpy.rint(self.aff[ii, cc] * SCALE).astype(numpy.int64)

    def cost_rows(self, rows: numpy.ndarray) -> numpy.ndarray:
        """Integer costs of every pair of the item rows ``rows`` (shape (len(rows), m))."""
        block = self.aff[rows]
        numpy.multiply(block, -SCALE, out=block)  # rint(−x) = −rint(x): the same integers, fewer temporaries
        numpy.rint(block, out=block)
        return block.astype(numpy.int64)

    def row_blocks(self):
        """Consecutive blocks of item rows, about ``BLOCK_CELLS`` pairs each: the dense float and integer
        temporaries of ranking and pricing are of one block, never of the whole (items, candidates) matrix."""
        step = max(1, BLOCK_CELLS // max(self.m, 1))
        for start in range(0, self.n, step):
            yield numpy.arange(start, min(start + step, self.n))

    def pen(self, k: numpy.ndarray) -> numpy.ndarray:
        """Integer cost of the k-th unit (1-based, counting fixed pairs) of one candidate's load."""
        return numpy.rint(self.rules.load_balance * SCALE * (numpy.asarray(k) - 1)).astype(numpy.int64)

    def top_arcs(
        self, top_k: int, field_extra: int = 0, offset: numpy.ndarray | None = None, into: numpy.ndarray | None = None
    ) -> numpy.ndarray:
        """Mask of each item's ``top_k`` eligible candidates by affinity (+ ``field_extra`` best field experts);
        with ``offset`` (one value per candidate), by affinity − offset; added to the mask ``into`` if given.

        Computed a block of rows at a time: each row's selection is its own, so the blocks give the same mask
        as one pass over the whole matrix, without its dense float and index temporaries."""
        keep = numpy.zeros((self.n, self.m), dtype=bool) if into is None else into
        if self.m == 0 or self.n == 0:
            return keep
        for rows in self.row_blocks():
            eligible = self.eligible[rows]
            masks = [(eligible, top_k)] + ([(eligible & self.field_match[rows], field_extra)] if field_extra else [])
            for mask, k in masks:
                if k >= self.m:
                    keep[rows] |= mask
                    continue
                if k <= 0:
                    continue
                scored = self.aff[rows] if offset is None else self.aff[rows] - offset[None, :]
                numpy.negative(scored, out=scored)
                numpy.copyto(scored, numpy.inf, where=~mask)
                top = numpy.argpartition(scored, k - 1, axis=1)[:, :k]
                chosen = numpy.take_along_axis(mask, top, axis=1)  # fewer than k eligible: only those
                keep[numpy.broadcast_to(rows[:, None], top.shape)[chosen], top[chosen]] = True
        return keep
