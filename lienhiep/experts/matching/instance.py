"""Arrays of one assignment instance, shared by the flow, the programme and the diagnosis."""

from __future__ import annotations

import numpy

from .affinity import shared_fields
from .values import Problem

SCALE = 100_000  # affinities enter the solvers as round(affinity · SCALE)
MAX_PRICING_ROUNDS = 100


class Instance:
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
