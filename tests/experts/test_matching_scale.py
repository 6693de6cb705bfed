"""The matching engine at scale (issue 21): the affinity and the assignment without dense (items, candidates)
temporaries, the both-rules case from one flow when that flow already proves optimality.

Plain pytest, no database. Each result is checked against an independent computation: the affinity against the
dense formula it replaces, the assignment against the unpruned flow and the exact integer programme.
"""

import random
import tracemalloc
from collections import Counter

import numpy
import pytest
import scipy.sparse as sp

from lienhiep.experts.matching import Candidate, Item, Rules, TfidfAffinity, assign, instance, shared_fields
from lienhiep.experts.matching.affinity import TfidfVectors, _syllable_ngrams_any, syllable_ngrams
from lienhiep.experts.matching.flow import _bellman_ford, initial_arcs
from tests.experts.test_matching import _check_valid, _objective

WORDS = (
    "nông nghiệp giống lúa chịu mặn chăn nuôi bò sữa y tế trạm xá cơ sở giáo dục trường nội trú thủy lợi hồ chứa "
    "rừng phòng hộ keo lai du lịch cộng đồng phần mềm dữ liệu mở chuyển đổi số tỉnh Kon Tum và của các"
).split()
FIELDS = ["NN", "YT", "GD", "MT", "CNTT"]


def _text(rng, words):
    """Vietnamese-looking text with punctuation, upper case and stop syllables."""
    out = []
    for _ in range(words):
        out.append(rng.choice(WORDS))
        if rng.random() < 0.15:
            out[-1] += rng.choice([".", ",", ";", " –"])
    return " ".join(out).capitalize()


def _instance(seed, n_items, n_cands, words=(6, 12), need=3):
    rng = random.Random(seed)
    candidates = [
        Candidate(
            1000 + j,
            _text(rng, rng.randint(*words)),
            frozenset(rng.sample(FIELDS, rng.randint(0, 2))),
            rng.randint(3, 6),
            rng.choice([None] + [f"W{w}" for w in range(max(2, n_cands // 4))]),
        )
        for j in range(n_cands)
    ]
    items = [
        Item(j, _text(rng, rng.randint(*words)), frozenset(rng.sample(FIELDS, rng.randint(0, 2))), need)
        for j in range(n_items)
    ]
    conflicts = {(it.key, c.key) for it in items for c in candidates if rng.random() < 0.05}
    return items, candidates, conflicts


def _dense_scores(affinity: TfidfAffinity, items, candidates) -> numpy.ndarray:
    """The affinity as it was computed before: the whole product made dense, then the dense field bonus."""
    vectors = affinity._new_vectorizer()
    try:
        vectors.fit([c.text for c in candidates] + [i.text for i in items])
        product = vectors.transform([i.text for i in items]) @ vectors.transform([c.text for c in candidates]).T
        out = numpy.asarray(product.toarray(), dtype=numpy.float64)
    except ValueError:
        out = numpy.zeros((len(items), len(candidates)))
    numpy.clip(out, 0.0, 1.0, out=out)
    if affinity.field_bonus:
        out += affinity.bonus(shared_fields(items, candidates))
    return out


@pytest.mark.parametrize(
    "options", [{}, {"field_bonus": 0}, {"field_bonus": 0.1, "per_field": True, "max_bonus": 0.15}], ids=repr
)
def test_scores_equal_the_dense_formula_to_the_bit(options):
    items, candidates, _ = _instance(1, 40, 23)
    expected = _dense_scores(TfidfAffinity(**options), items, candidates)
    for chunk in (1, 7, 500):
        got = TfidfAffinity(chunk=chunk, **options).scores(items, candidates)
        assert got.dtype == numpy.float64 and got.shape == (40, 23)
        assert numpy.array_equal(got, expected)
    assert TfidfAffinity(**options).scores([], candidates).shape == (0, 23)
    assert TfidfAffinity(**options).scores(items, []).shape == (40, 0)


def test_fit_transform_is_fit_then_transform():
    texts = ["bò sữa sữa", "", "bò, lúa. Lúa", "và của"]
    together = TfidfVectors(syllable_ngrams).fit_transform(texts)
    apart = TfidfVectors(syllable_ngrams).fit(texts)
    assert sp.isspmatrix_csr(together) and together.dtype == numpy.float32
    assert (together != apart.transform(texts)).nnz == 0
    assert together.has_sorted_indices


def test_syllable_ngrams_one_pass_equals_segment_by_segment():
    rng = random.Random(2)
    texts = [_text(rng, rng.randint(0, 30)) for _ in range(200)] + ["", " . ", "a|b c", "Kinh tế. xã hội", "x\u00a0y"]
    stops = [frozenset({"và", "của", "các"}), frozenset()]
    for text in texts:
        for stop in stops:
            for ngram_range in ((1, 2), (1, 1), (2, 2)):
                fast = syllable_ngrams(text, ngram_range, stop)
                assert Counter(fast) == Counter(_syllable_ngrams_any(text, ngram_range, stop))


def test_bellman_ford_by_rounds_of_changed_nodes():
    rng = numpy.random.default_rng(3)
    for _ in range(30):
        nodes, edges = int(rng.integers(2, 30)), int(rng.integers(1, 90))
        u, v = rng.integers(0, nodes, edges), rng.integers(0, nodes, edges)
        w = rng.integers(-3, 20, edges)
        d = _bellman_ford(nodes, u, v, w)
        # reference: relax every edge until nothing changes (or a negative cycle)
        ref = numpy.zeros(nodes, dtype=numpy.int64)
        for _ in range(nodes + 1):
            before = ref.copy()
            for a, b, c in zip(u, v, w, strict=True):
                ref[b] = min(ref[b], before[a] + c)
            if (ref == before).all():
                break
        else:
            ref = None
        if ref is None:
            assert d is None
        else:
            assert d is not None and (d == ref).all() and (d[v] <= d[u] + w).all()
    assert _bellman_ford(3, numpy.array([0, 1, 2]), numpy.array([1, 2, 0]), numpy.array([1, -2, 0])) is None


@pytest.mark.parametrize("field_bonus", [0.2, 0.0], ids=["field bonus", "no field bonus"])
@pytest.mark.parametrize("load_balance", [0.01, 0.0], ids=["λ=0.01", "λ=0"])
def test_both_rules_equal_the_unpruned_flow_and_the_integer_programme(field_bonus, load_balance):
    """The both-rules result (pruned and priced, one flow when it proves optimality) has the same objective as
    the flow over every pair and as the integer programme over every pair, and says it is proven optimal."""
    items, candidates, conflicts = _instance(7, 24, 16, need=2)
    rules = Rules(require_field_expert=True, distinct_workplaces=True, load_balance=load_balance)
    affinity = TfidfAffinity(field_bonus=field_bonus).scores(items, candidates)
    result = assign(items, candidates, affinity, conflicts, rules, top_k=3)
    _check_valid(items, candidates, conflicts, rules, result)
    assert result.stats["exact"] is True
    assert result.stats["solver"] in ("flow", "lp")
    assert (result.stats["solver"] == "flow") is (result.stats["field_rule_binding"] is False)
    pairs = lambda r: [(i, c) for i, c, _ in r.pairs]  # noqa: E731
    integer = assign(items, candidates, affinity, conflicts, rules, top_k=len(candidates), method="integer")
    assert integer.stats["exact"] is True
    expected = _objective(items, candidates, affinity, pairs(integer), rules)
    assert _objective(items, candidates, affinity, pairs(result), rules) == expected
    if result.stats["solver"] == "flow":  # the relaxation without pruning, solved at once
        unpruned = assign(items, candidates, affinity, conflicts, rules, top_k=len(candidates))
        assert unpruned.stats["pruned"] is False and unpruned.stats["pricing_rounds"] == 1
        assert _objective(items, candidates, affinity, pairs(unpruned), rules) == expected


def test_initial_arcs_add_load_balance_arcs_and_change_only_the_speed():
    """With λ > 0 the first flow also gets each item's best pairs by affinity less the candidate's expected load
    penalty (experts few items rank high, where the optimum spreads work); with λ = 0 only the top_k."""
    items, candidates, conflicts = _instance(11, 150, 60, need=3)
    candidates = [Candidate(c.key, c.text, c.fields, 9, None) for c in candidates]
    affinity = TfidfAffinity().scores(items, candidates)
    pairs = lambda r: [(i, c) for i, c, _ in r.pairs]  # noqa: E731
    for load_balance in (0.0, 0.01, 0.1):
        rules = Rules(load_balance=load_balance)
        inst = instance.Instance(items, candidates, affinity, conflicts, rules, frozenset(), [])
        top = inst.top_arcs(6)
        first = initial_arcs(inst, 6)
        assert (first & ~inst.eligible).sum() == 0 and (top & ~first).sum() == 0
        if load_balance:
            added = first & ~top
            assert added.sum() > 0
            # the added pairs go to experts that fewer items rank among their best
            assert top.sum(axis=0)[added.nonzero()[1]].mean() < top.sum(axis=0).mean()
        else:
            assert (first == top).all()
        result = assign(items, candidates, affinity, conflicts, rules, top_k=6)
        full = assign(items, candidates, affinity, conflicts, rules, top_k=len(candidates))
        assert result.stats["exact"] is True and result.stats["pruned"] is True
        assert _objective(items, candidates, affinity, pairs(result), rules) == _objective(
            items, candidates, affinity, pairs(full), rules
        )


def test_no_dense_float_temporary_of_every_pair(monkeypatch):
    """Traced allocations per (item, candidate) pair: the affinity's result is the one float array of every
    pair (8 bytes), the assignment keeps boolean masks (1 byte each); blocks of rows bound the rest. The
    dense implementation took 22 and 53 bytes a pair on this instance, this one 11 and 14."""
    monkeypatch.setattr(instance, "BLOCK_CELLS", 3000)
    items, candidates, conflicts = _instance(5, 600, 400, words=(4, 8))
    candidates = [Candidate(c.key, c.text, c.fields, 9, c.workplace) for c in candidates]
    pairs = len(items) * len(candidates)
    tracemalloc.start()
    try:
        affinity = TfidfAffinity(chunk=20).scores(items, candidates)
        scores_peak = tracemalloc.get_traced_memory()[1] / pairs
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        # the flow with workplaces: the both-rules case when the field rule does not bind
        result = assign(items, candidates, affinity, conflicts, Rules(distinct_workplaces=True), top_k=10)
        assign_peak = (tracemalloc.get_traced_memory()[1] - base) / pairs
    finally:
        tracemalloc.stop()
    assert result.stats["exact"] is True and result.stats["solver"] == "flow"
    assert scores_peak < 12, scores_peak
    assert assign_peak < 20, assign_peak
