"""The matching engine (lienhiep.experts.matching): TF-IDF affinity and the exact assignment, against brute force.

Plain pytest, no database.
"""

import itertools
import random
import unicodedata

import numpy
import pytest

from lienhiep.experts.matching import (
    SCALE,
    Candidate,
    Item,
    Rules,
    TfidfAffinity,
    assign,
    syllable_ngrams,
)

# ---------------------------------------------------------------------------------------------------------------
# brute force


def _objective(items, candidates, affinity, pairs, rules):
    """(seats filled, integer objective) exactly as the solver ranks assignments (affinity rounded to 1/SCALE)."""
    ii = {it.key: i for i, it in enumerate(items)}
    cc = {c.key: j for j, c in enumerate(candidates)}
    value = sum(int(round(affinity[ii[i], cc[c]] * SCALE)) for i, c, *_ in pairs)
    loads = {}
    for _, c, *_ in pairs:
        loads[c] = loads.get(c, 0) + 1
    for load in loads.values():
        value -= sum(int(round(rules.load_balance * SCALE * (k - 1))) for k in range(1, load + 1))
    seats = sum(min(it.need, sum(1 for i, *_ in pairs if i == it.key)) for it in items)
    return seats, value


def _max_load(c, rules, n):
    if c.max_load is not None:
        return c.max_load
    return rules.default_max_load if rules.default_max_load is not None else n


def _brute_force(items, candidates, affinity, conflicts, rules, fixed=frozenset()):
    """Best (seats, objective) over every valid assignment, by enumeration."""
    n = len(items)
    options = []
    for it in items:
        forced = {c for (i, c) in fixed if i == it.key}
        subsets = []
        free = [c for c in candidates if (it.key, c.key) not in conflicts and c.key not in forced]
        for size in range(0, it.need - len(forced) + 1):
            for extra in itertools.combinations(free, size):
                chosen = [c for c in candidates if c.key in forced] + list(extra)
                if rules.distinct_workplaces:
                    places = [c.workplace for c in chosen if c.workplace is not None]
                    if len(places) != len(set(places)):
                        continue
                if rules.require_field_expert and it.fields:
                    nonfield = sum(1 for c in chosen if not (c.fields & it.fields))
                    if nonfield > it.need - 1:
                        continue
                subsets.append(tuple(c.key for c in chosen))
        options.append(subsets)
    caps = {c.key: _max_load(c, rules, n) for c in candidates}
    best = None

    def walk(k, load, pairs):
        nonlocal best
        if k == n:
            score = _objective(items, candidates, affinity, pairs, rules)
            if best is None or score > best:
                best = score
            return
        for subset in options[k]:
            if all(load.get(c, 0) < caps[c] for c in subset):
                for c in subset:
                    load[c] = load.get(c, 0) + 1
                walk(k + 1, load, pairs + [(items[k].key, c) for c in subset])
                for c in subset:
                    load[c] -= 1

    walk(0, {}, [])
    return best


def _random_instance(rng, n_items, n_cands, with_fields=True, workplaces=3):
    fields = ["NN", "YT", "MT"]
    candidates = [
        Candidate(
            key=100 + j,
            text="",
            fields=frozenset(rng.sample(fields, rng.randint(0, 1))) if with_fields else frozenset(),
            max_load=rng.randint(1, 2),
            workplace=rng.choice([None] + [f"W{w}" for w in range(workplaces)]),
        )
        for j in range(n_cands)
    ]
    items = [
        Item(key=10 + i, text="", fields=frozenset(rng.sample(fields, rng.randint(0, 1))), need=rng.randint(1, 2))
        for i in range(n_items)
    ]
    affinity = numpy.array([[round(rng.random(), 3) for _ in candidates] for _ in items])
    conflicts = {(it.key, c.key) for it in items for c in candidates if rng.random() < 0.2}
    return items, candidates, affinity, conflicts


def _check_valid(items, candidates, conflicts, rules, result, fixed=frozenset()):
    n = len(items)
    caps = {c.key: _max_load(c, rules, n) for c in candidates}
    by_key = {c.key: c for c in candidates}
    for i, c, _ in result.pairs:
        assert (i, c) not in conflicts
    for c, load in result.load.items():
        assert load <= caps[c]
    got = {(i, c) for i, c, _ in result.pairs}
    assert {p for p in fixed if p not in conflicts} <= got
    assert len(got) == len(result.pairs)
    for it in items:
        chosen = [by_key[c] for i, c in got if i == it.key]
        assert len(chosen) <= it.need
        if rules.distinct_workplaces:
            places = [c.workplace for c in chosen if c.workplace is not None]
            assert len(places) == len(set(places))
        if rules.require_field_expert and it.fields:
            assert sum(1 for c in chosen if not (c.fields & it.fields)) <= it.need - 1


RULES = [
    Rules(load_balance=0),
    Rules(load_balance=0.05),
    Rules(distinct_workplaces=True, load_balance=0),
    Rules(require_field_expert=True, load_balance=0),
    Rules(require_field_expert=True, load_balance=0.05),
    Rules(require_field_expert=True, distinct_workplaces=True, load_balance=0),
    Rules(require_field_expert=True, distinct_workplaces=True, load_balance=0.05),
    Rules(distinct_workplaces=True, load_balance=0.1, default_max_load=1),
]


CASES = [(rules, top_k, "auto") for rules in RULES for top_k in (30, 1)] + [
    (rules, top_k, method)
    for rules in RULES
    if rules.require_field_expert and rules.distinct_workplaces
    for top_k in (30, 1)
    for method in ("lp", "integer")
]


@pytest.mark.parametrize("rules,top_k,method", CASES, ids=lambda v: repr(v))
def test_optimal_against_brute_force(rules, top_k, method):
    """top_k=1 prunes to one candidate per item: the flow and the LP must price their way to the optimum."""
    rng = random.Random(f"{rules}{top_k}{method}")
    for _ in range(40):
        items, candidates, affinity, conflicts = _random_instance(rng, rng.randint(3, 4), rng.randint(4, 5))
        if rules.default_max_load is not None:
            candidates = [Candidate(c.key, c.text, c.fields, None, c.workplace) for c in candidates]
        result = assign(items, candidates, affinity, conflicts, rules, top_k=top_k, method=method)
        _check_valid(items, candidates, conflicts, rules, result)
        if not result.stats["exact"]:
            # the integer programme kept only each item's top_k (+ top_k field experts): no exactness claimed
            assert result.stats["solver"] == "milp" and result.stats["pruned"] is True and top_k == 1
            continue
        expected = _brute_force(items, candidates, affinity, conflicts, rules)
        assert _objective(items, candidates, affinity, [(i, c) for i, c, _ in result.pairs], rules) == expected
        assert result.filled == expected[0]
        assert result.total_affinity == pytest.approx(sum(a for *_, a in result.pairs))
        assert result.stats["exact"] is True
        # every empty seat is explained, once per item
        short = {it.key for it in items if sum(1 for i, *_ in result.pairs if i == it.key) < it.need}
        assert {p.item_key for p in result.problems} == short


@pytest.mark.parametrize("rules", [RULES[0], RULES[3], RULES[5]], ids=repr)
def test_fixed_pairs_kept_and_optimal(rules):
    rng = random.Random(7)
    for _ in range(40):
        items, candidates, affinity, conflicts = _random_instance(rng, 3, 5)
        it = rng.choice(items)
        # a fixed pair that the rules allow (a staff choice against the rules is reported, not compared here)
        fits = [c for c in candidates if (it.key, c.key) not in conflicts and (not it.fields or c.fields & it.fields)]
        c = rng.choice(fits or candidates)
        fixed = {(it.key, c.key)} if (it.key, c.key) not in conflicts else set()
        result = assign(items, candidates, affinity, conflicts, rules, fixed)
        _check_valid(items, candidates, conflicts, rules, result, fixed)
        assert fixed <= {(i, c) for i, c, _ in result.pairs}
        expected = _brute_force(items, candidates, affinity, conflicts, rules, fixed)
        assert _objective(items, candidates, affinity, [(i, c) for i, c, _ in result.pairs], rules) == expected


def test_pricing_matches_unpruned_on_a_larger_instance():
    rng = random.Random(3)
    items, candidates, affinity, conflicts = _random_instance(rng, 80, 50, workplaces=12)
    for rules in (Rules(), Rules(distinct_workplaces=True), Rules(require_field_expert=True)):
        full = assign(items, candidates, affinity, conflicts, rules, top_k=1000)
        pruned = assign(items, candidates, affinity, conflicts, rules, top_k=2)
        assert full.stats["pruned"] is False
        assert pruned.stats["exact"] is True
        assert pruned.stats["arcs"] < full.stats["arcs"]
        pairs = lambda r: [(i, c) for i, c, _ in r.pairs]  # noqa: E731
        assert _objective(items, candidates, affinity, pairs(pruned), rules) == _objective(
            items, candidates, affinity, pairs(full), rules
        )


def test_load_balance_spreads_work_at_small_affinity_cost():
    items = [Item(k, "", frozenset(), 1) for k in range(4)]
    candidates = [Candidate(100, "", max_load=4), Candidate(101, "", max_load=4)]
    affinity = numpy.array([[0.50, 0.495]] * 4)
    greedy = assign(items, candidates, affinity, rules=Rules(load_balance=0))
    balanced = assign(items, candidates, affinity, rules=Rules(load_balance=0.01))
    assert greedy.load == {100: 4, 101: 0}
    assert balanced.load == {100: 2, 101: 2}
    # (4, 0) pays 0.06 of penalty, (3, 1) 0.03 + 0.005 lost, (2, 2) 0.02 + 0.01 lost: the best trade-off
    assert greedy.total_affinity - balanced.total_affinity == pytest.approx(0.01)


# ---------------------------------------------------------------------------------------------------------------
# infeasibility: the right code and numbers, and the best partial assignment


def _cands(n, **kw):
    return [
        Candidate(100 + j, "", kw.get("fields", frozenset()), kw.get("max_load", 5), kw.get("workplace"))
        for j in range(n)
    ]


def _codes(result):
    return {p.item_key: (p.code, p.numbers) for p in result.problems}


def test_not_enough_candidates():
    items = [Item(12, "", frozenset(), 3)]
    result = assign(items, _cands(2), numpy.ones((1, 2)), rules=Rules())
    assert _codes(result) == {12: ("not_enough_candidates", {"need": 3, "assigned": 2, "candidates": 2})}
    assert result.filled == 2 and result.seats == 3 and not result.complete


def test_only_two_candidates_without_conflict():
    items = [Item(12, "", frozenset(), 3)]
    result = assign(items, _cands(3), numpy.ones((1, 3)), {(12, 101)})
    assert _codes(result) == {
        12: ("conflicts", {"need": 3, "assigned": 2, "candidates": 3, "conflicted": 1, "eligible": 2})
    }
    assert {c for _, c, _ in result.pairs} == {100, 102}


def test_all_conflicted():
    items = [Item(12, "", frozenset(), 1), Item(13, "", frozenset(), 1)]
    result = assign(items, _cands(2), numpy.ones((2, 2)), {(12, 100), (12, 101)})
    assert _codes(result) == {
        12: ("conflicts", {"need": 1, "assigned": 0, "candidates": 2, "conflicted": 2, "eligible": 0})
    }
    assert result.filled == 1


def test_load_exhausted():
    items = [Item(1, "", frozenset(), 2), Item(2, "", frozenset(), 2)]
    candidates = _cands(3, max_load=1)
    affinity = numpy.array([[0.9, 0.8, 0.1], [0.5, 0.5, 0.5]])
    result = assign(items, candidates, affinity, rules=Rules(load_balance=0))
    assert result.filled == 3
    (problem,) = result.problems
    assert problem.code == "load_exhausted"
    assert problem.numbers["need"] == 2 and problem.numbers["assigned"] == 1
    assert problem.numbers["eligible"] == 3 and problem.numbers["at_max_load"] == 2


def test_default_max_load_applies_when_the_expert_has_none():
    items = [Item(1, "", frozenset(), 1), Item(2, "", frozenset(), 1)]
    candidates = [Candidate(100, "", max_load=None)]
    result = assign(items, candidates, numpy.ones((2, 1)), rules=Rules(default_max_load=1))
    assert result.filled == 1 and result.problems[0].code == "load_exhausted"
    assert assign(items, candidates, numpy.ones((2, 1)), rules=Rules()).filled == 2


@pytest.mark.parametrize("workplaces", [False, True])
def test_no_field_expert_leaves_only_the_field_seat_empty(workplaces):
    items = [Item(1, "", frozenset({"NN"}), 2)]
    candidates = [
        Candidate(100, "", frozenset({"YT"}), 3, "A"),
        Candidate(101, "", frozenset({"NN"}), 3, "B"),
        Candidate(102, "", frozenset(), 3, "C"),
    ]
    rules = Rules(require_field_expert=True, distinct_workplaces=workplaces)
    result = assign(items, candidates, numpy.ones((1, 3)), {(1, 101)}, rules)
    assert result.filled == 1
    assert _codes(result) == {
        1: ("no_field_expert", {"need": 2, "assigned": 1, "field_candidates": 1, "field_conflicted": 1})
    }
    assert result.stats["solver"] in (("lp", "milp") if workplaces else ("flow",))
    # without the conflict, the field expert takes a seat even with the lowest affinity
    affinity = numpy.array([[0.9, 0.1, 0.8]])
    result = assign(items, candidates, affinity, set(), rules)
    assert {c for _, c, _ in result.pairs} == {100, 101} and not result.problems


def test_field_experts_at_max_load():
    items = [Item(1, "", frozenset({"NN"}), 1), Item(2, "", frozenset({"NN"}), 1)]
    candidates = [Candidate(100, "", frozenset({"NN"}), 1), Candidate(101, "", frozenset(), 5)]
    result = assign(items, candidates, numpy.array([[0.9, 0.9], [0.5, 0.9]]), rules=Rules(require_field_expert=True))
    assert result.pairs == [(1, 100, 0.9)]
    assert _codes(result) == {
        2: (
            "load_exhausted",
            {"need": 1, "assigned": 0, "eligible": 2, "at_max_load": 1, "field_eligible": 1, "field_at_max_load": 1},
        )
    }


def test_workplaces():
    items = [Item(1, "", frozenset(), 2)]
    candidates = _cands(3, workplace="A")
    result = assign(items, candidates, numpy.ones((1, 3)), rules=Rules(distinct_workplaces=True))
    assert result.filled == 1
    assert _codes(result) == {1: ("workplaces", {"need": 2, "assigned": 1, "eligible": 3, "workplaces": 1})}


def test_workplaces_with_load():
    items = [Item(1, "", frozenset(), 2), Item(2, "", frozenset(), 1)]
    candidates = [
        Candidate(100, "", max_load=1, workplace="A"),
        Candidate(101, "", max_load=1, workplace="B"),
        Candidate(102, "", max_load=1, workplace="B"),
    ]
    result = assign(items, candidates, numpy.ones((2, 3)), rules=Rules(distinct_workplaces=True))
    assert result.filled == 3 and not result.problems
    result = assign(items, candidates, numpy.ones((2, 3)), {(2, 101), (2, 102)}, Rules(distinct_workplaces=True))
    # item 2 can only take 100; item 1 keeps one B expert, the other B expert is idle but same workplace
    assert result.filled == 2
    assert _codes(result)[1] == (
        "workplaces",
        {"need": 2, "assigned": 1, "eligible": 3, "workplaces": 2, "at_max_load": 1, "same_workplace": 1},
    )


def test_infeasible_instance_still_gets_the_best_partial_assignment():
    items = [Item(k, "", frozenset(), 3) for k in range(5)]
    candidates = _cands(4, max_load=2)
    rng = numpy.random.default_rng(1)
    affinity = rng.random((5, 4)).round(3)
    result = assign(items, candidates, affinity, rules=Rules(load_balance=0))
    assert result.filled == 8 and result.seats == 15
    assert {p.code for p in result.problems} == {"load_exhausted"}
    assert all(p.numbers["at_max_load"] == 4 - p.numbers["assigned"] for p in result.problems)
    assert _objective(items, candidates, affinity, [(i, c) for i, c, _ in result.pairs], Rules(load_balance=0)) == (
        _brute_force(items, candidates, affinity, set(), Rules(load_balance=0))
    )


def test_fixed_pairs():
    items = [Item(1, "", frozenset(), 1), Item(2, "", frozenset(), 1)]
    candidates = _cands(2, max_load=1)
    affinity = numpy.array([[0.9, 0.1], [0.9, 0.1]])
    result = assign(items, candidates, affinity, fixed={(1, 101)})
    assert sorted(result.pairs) == [(1, 101, 0.1), (2, 100, 0.9)]
    refused = assign(items, candidates, affinity, {(1, 101)}, fixed={(1, 101)})
    assert (1, 101) not in {(i, c) for i, c, _ in refused.pairs}
    assert ("fixed_conflict", {"candidate": 101}) in [(p.code, p.numbers) for p in refused.problems]
    over = assign(items, candidates, affinity, fixed={(1, 100), (2, 100)})
    assert ("fixed_over_load", {"candidate": 100, "load": 2, "max_load": 1}) in [
        (p.code, p.numbers) for p in over.problems
    ]


def test_no_conflict_is_ever_assigned_even_if_everything_else_is_full():
    rng = random.Random(11)
    items, candidates, affinity, conflicts = _random_instance(rng, 30, 12)
    for rules in RULES:
        result = assign(items, candidates, affinity, conflicts, rules)
        _check_valid(items, candidates, conflicts, rules, result)


def test_deterministic():
    rng = random.Random(5)
    items, candidates, affinity, conflicts = _random_instance(rng, 60, 30, workplaces=8)
    affinity = (affinity * 4).round(0) / 4  # many ties
    for rules in (Rules(), Rules(require_field_expert=True, distinct_workplaces=True)):
        runs = [assign(items, candidates, affinity, conflicts, rules, top_k=3) for _ in range(3)]
        assert runs[0].pairs == runs[1].pairs == runs[2].pairs
        assert runs[0].problems == runs[1].problems


# ---------------------------------------------------------------------------------------------------------------
# TF-IDF affinity


def test_tone_marks_are_kept_and_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", "bò")
    assert syllable_ngrams(decomposed) == ["bò"]
    items = [Item(1, "Chăn nuôi BÒ", frozenset(), 1)]
    candidates = [Candidate(100, "bò", frozenset()), Candidate(101, "bo", frozenset()), Candidate(102, decomposed)]
    scores = TfidfAffinity(field_bonus=0).scores(items, candidates)
    assert scores[0, 0] > 0 and scores[0, 1] == 0 and scores[0, 2] == pytest.approx(scores[0, 0])


def test_bigrams_within_punctuation_and_stop_syllables():
    grams = syllable_ngrams("Chăn nuôi bò sữa. Kinh tế và xã hội")
    assert {"chăn nuôi", "nuôi bò", "bò sữa", "kinh tế", "chăn", "sữa"} <= set(grams)
    assert "sữa kinh" not in grams  # no bigram across punctuation
    assert "và" not in grams and "tế và" not in grams


def test_scores_range_field_bonus_and_explanation():
    items = [Item(1, "Giống lúa chịu mặn cho đồng bằng", frozenset({"NN"}), 1)]
    candidates = [
        Candidate(100, "Nông nghiệp. Giống lúa chịu mặn, chọn tạo giống lúa", frozenset({"NN", "MT"})),
        Candidate(101, "Giống lúa chịu mặn", frozenset({"YT"})),
        Candidate(102, "Phần mềm quản lý bệnh viện", frozenset({"CNTT"})),
    ]
    affinity = TfidfAffinity(field_bonus=0.2)
    scores = affinity.scores(items, candidates)
    assert scores.shape == (1, 3)
    assert ((scores >= 0) & (scores <= 1.2 + 1e-9)).all()
    assert scores[0, 2] == 0
    explanation = affinity.explain(items[0], candidates[0], top=3)
    assert explanation.fields == ("NN",) and explanation.field_bonus == pytest.approx(0.2)
    assert explanation.score == pytest.approx(scores[0, 0], abs=1e-6)
    terms = [t for t, _ in explanation.terms]
    assert len(terms) == 3 and set(terms) <= {"giống", "lúa", "giống lúa", "chịu", "mặn", "chịu mặn", "lúa chịu"}
    weights = [w for _, w in explanation.terms]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    assert affinity.explain(items[0], candidates[2]).terms == ()
    per_field = TfidfAffinity(field_bonus=0.1, per_field=True, max_bonus=0.15)
    both = Item(2, "x", frozenset({"NN", "MT"}), 1)
    assert per_field.scores([both], candidates[:1])[0, 0] == pytest.approx(0.15)


def test_affinity_is_deterministic():
    items = [Item(k, f"đề tài {k} nông nghiệp lúa gạo", frozenset({"NN"}), 1) for k in range(5)]
    candidates = [Candidate(k, f"chuyên gia {k} lúa gạo thủy lợi", frozenset({"NN"})) for k in range(4)]
    first = TfidfAffinity().scores(items, candidates)
    assert (first == TfidfAffinity().scores(items, candidates)).all()


def test_empty_texts_score_only_the_field_bonus():
    items = [Item(1, "", frozenset({"NN"}), 1)]
    candidates = [Candidate(100, "", frozenset({"NN"})), Candidate(101, "  ", frozenset())]
    affinity = TfidfAffinity(field_bonus=0.2)
    assert affinity.scores(items, candidates).tolist() == [[0.2, 0.0]]
    explanation = TfidfAffinity().explain(items[0], candidates[0])
    assert explanation.terms == () and explanation.fields == ("NN",) and explanation.score == pytest.approx(0.2)


def test_fractional_lp_falls_back_to_the_integer_programme(monkeypatch):
    from lienhiep.experts.matching import programme

    def no_lp(self, phase, seats):
        return None, None  # as if HiGHS returned a fractional / failed LP: the integer programme takes over

    monkeypatch.setattr(programme.Programme, "lp", no_lp)
    rules = Rules(require_field_expert=True, distinct_workplaces=True, load_balance=0.05)
    rng = random.Random(13)
    for _ in range(20):
        items, candidates, affinity, conflicts = _random_instance(rng, 4, 5)
        result = assign(items, candidates, affinity, conflicts, rules, method="lp")
        if not any(it.fields for it in items):
            continue
        assert result.stats["solver"] == "milp" and result.stats["exact"] is True
        expected = _brute_force(items, candidates, affinity, conflicts, rules)
        assert _objective(items, candidates, affinity, [(i, c) for i, c, _ in result.pairs], rules) == expected


def test_tfidf_weights_by_hand():
    """The weighting the affinity rests on, computed by hand for three texts of unigrams: smoothed idf
    ln((1+n)/(1+df)) + 1, sublinear tf 1 + ln(tf), each row scaled to length 1; terms sorted; an unknown term
    and an empty text give nothing."""
    import math

    from lienhiep.experts.matching.affinity import TfidfVectors

    vectors = TfidfVectors(str.split).fit(["bò sữa sữa", "bò", "lúa"])
    assert vectors.names == ["bò", "lúa", "sữa"]
    idf = {"bò": math.log(4 / 3) + 1, "lúa": math.log(4 / 2) + 1, "sữa": math.log(4 / 2) + 1}
    assert vectors.idf.tolist() == pytest.approx([idf["bò"], idf["lúa"], idf["sữa"]], rel=1e-6)
    rows = vectors.transform(["bò sữa sữa", "cá", ""]).toarray()
    bo, sua = idf["bò"] * 1, idf["sữa"] * (1 + math.log(2))
    length = math.hypot(bo, sua)
    assert rows[0].tolist() == pytest.approx([bo / length, 0, sua / length], rel=1e-6)
    assert rows[1].tolist() == rows[2].tolist() == [0, 0, 0]
    assert rows.dtype == numpy.float32
    with pytest.raises(ValueError):
        TfidfVectors(str.split).fit(["", " "])
