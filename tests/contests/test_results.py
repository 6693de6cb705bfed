"""Aggregation, normalisation, tie rules and quotas against a fixture computed by hand.

Rubric TM 30 + UD 35 + HQ 35; tiers Nhất ≥ 90 (1 per field), Nhì ≥ 80 (1), Ba ≥ 70 (2), Khuyến khích ≥ 60;
gap 15; tie-break TM then UD. Sheets (judge: TM+UD+HQ = total):

  field CK  A  J1 28+32+33=93  J2 27+31+30=88        mean 90.50 spread 5
            B  J1 25+30+30=85  J2 20+28+27=75        mean 80.00 spread 10   TM 22.5 UD 29
            C  J1 20+25+25=70  J3 25+30+35=90        mean 80.00 spread 20 → disputed; TM 22.5 UD 27.5
            D  J3 10+20+20=50 (one judge only)       mean 50.00
  field NN  E  J2 26+30+30=86  J3 26+30+30=86        mean 86.00

Per judge (population sd): J1 93,85,70 → 82.667 / 9.5336; J2 88,75,86 → 83 / 5.7155;
J3 90,50,86 → 75.333 / 17.9877. All nine totals: mean 80.3333, sd 12.7105.
Mean z: A (1.0839+0.8748)/2 = 0.97935 → 80.3333 + 12.7105 × 0.97935 = 92.78; B (0.2448−1.3997)/2 → 72.99;
C (−1.3287+0.8154)/2 → 77.07; D −1.4083 → 62.43; E (0.5249+0.5930)/2 → 87.44.
"""

import datetime
from decimal import Decimal as D

import pytest

from lienhiep.contests import judging, results
from lienhiep.contests.models import Edition

from . import factories as f

pytestmark = pytest.mark.django_db


def build(cast, judges, sheets: dict[str, tuple[str, list[tuple[int, tuple]]]], **edition_kw):
    ed = f.open_edition(cast, **edition_kw)
    entries = {}
    for key, (field_code, _seats) in sheets.items():
        entries[key] = f.accepted(cast, ed, f"Giải pháp {key}", field_code=field_code)
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    seats = []
    for key, (_field, judged) in sheets.items():
        for index, _points in judged:
            seats.append(
                (key, judging.place_judge(actor=cast.staff, round=r, entry=entries[key], expert=judges[index]))
            )
    judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
    by_key = iter(seats)
    for _key, (_field, judged) in sheets.items():
        for _index, points in judged:
            _k, seat = next(by_key)
            f.score(f.fresh(seat), *points)
    return ed, entries, results.compute(r)


FIXTURE = {
    "A": ("CK", [(0, (28, 32, 33)), (1, (27, 31, 30))]),
    "B": ("CK", [(0, (25, 30, 30)), (1, (20, 28, 27))]),
    "C": ("CK", [(0, (20, 25, 25)), (2, (25, 30, 35))]),
    "D": ("CK", [(2, (10, 20, 20))]),
    "E": ("NN", [(1, (26, 30, 30)), (2, (26, 30, 30))]),
}


@pytest.fixture
def table(cast, judges):
    ed, entries, table = build(cast, judges, FIXTURE)
    rows = {r.entry.title[-1]: r for r in table.rows}
    return ed, rows, table


def test_mean_of_totals_spread_and_disagreement(table):
    _ed, rows, _t = table
    assert [rows[k].mean for k in "ABCDE"] == [D("90.50"), D("80.00"), D("80.00"), D("50.00"), D("86.00")]
    assert [rows[k].spread for k in "ABCDE"] == [5, 10, 20, 0, 0]
    assert [k for k in "ABCDE" if rows[k].disputed] == ["C"]
    assert rows["D"].judges == 1 and rows["D"].mean == D("50.00")  # a mean, not a sum: one judge is no penalty
    assert rows["B"].criterion_means == {"TM": D("22.50"), "UD": D("29.00"), "HQ": D("28.50")}


def test_ranking_per_field_with_the_tie_break_rules(table):
    _ed, rows, _t = table
    assert [rows[k].rank_label for k in "ABCD"] == ["1", "2", "3", "4"]
    assert rows["E"].rank_label == "1"
    assert "UD" in rows["B"].tie_note and not rows["B"].tied  # equal TM, decided on UD
    assert not rows["A"].tie_note


def test_z_score_normalisation_per_judge(table):
    _ed, rows, _t = table
    assert [rows[k].normalised for k in "ABCDE"] == [D("92.78"), D("72.99"), D("77.07"), D("62.43"), D("87.44")]
    assert [rows[k].rank_norm for k in "ABCD"] == [1, 3, 2, 4]


def test_award_proposal_under_thresholds_and_quotas(table):
    _ed, rows, _t = table
    raw = {k: rows[k].tier.name if rows[k].tier else None for k in "ABCDE"}
    assert raw == {"A": "Giải Nhất", "B": "Giải Nhì", "C": "Giải Ba", "D": None, "E": "Giải Nhì"}
    assert "Giải Nhì" in rows["C"].note  # reached Nhì's score, but CK's one Nhì went to B
    assert "Giải Khuyến khích" in rows["D"].note  # below the lowest tier's minimum
    normalised = {k: rows[k].tier_norm.name if rows[k].tier_norm else None for k in "ABCDE"}
    assert normalised == {"A": "Giải Nhất", "B": "Giải Ba", "C": "Giải Ba", "D": "Giải Khuyến khích", "E": "Giải Nhì"}
    assert [k for k in "ABCDE" if rows[k].changed] == ["B", "C", "D"]


def test_a_field_may_have_no_first_prize(table):
    _ed, rows, _t = table
    assert rows["E"].tier.name == "Giải Nhì"  # 86 < 90: no Nhất in NN


def test_a_remaining_tie_is_shown_and_never_broken_silently(cast, judges):
    sheets = {
        "P": ("CK", [(0, (28, 30, 27)), (1, (28, 30, 27))]),  # 85, 85
        "Q": ("CK", [(0, (28, 30, 27)), (1, (28, 30, 27))]),  # identical: a tie after TM and UD
        "R": ("CK", [(0, (20, 25, 25))]),
    }
    _ed, _entries, table = build(cast, judges, sheets)
    rows = {r.entry.title[-1]: r for r in table.rows}
    assert rows["P"].rank_label == rows["Q"].rank_label == "1=" and rows["P"].tied and rows["Q"].tied
    assert rows["R"].rank_label == "3"
    assert len(table.ties) == 2
    # the single Nhì of the field cannot go to two tied entries: neither gets it, the board decides
    assert rows["P"].tier.name == rows["Q"].tier.name == "Giải Ba"
    assert "Giải Nhì" in rows["P"].note


def test_an_overall_quota_across_fields(cast, judges):
    from lienhiep.contests.models import AwardTier

    sheets = {
        "X": ("CK", [(0, (25, 30, 30))]),  # 85
        "Y": ("NN", [(1, (26, 30, 30))]),  # 86
    }
    ed = f.open_edition(cast)
    AwardTier.objects.filter(edition=ed, name="Giải Nhì").update(quota_overall=1)
    entries = {k: f.accepted(cast, ed, f"Giải pháp {k}", field_code=v[0]) for k, v in sheets.items()}
    ed.start_judging()
    ed.save()
    r = ed.rounds.get()
    seats = {
        k: judging.place_judge(actor=cast.staff, round=r, entry=entries[k], expert=judges[v[1][0][0]])
        for k, v in sheets.items()
    }
    judging.confirm_judges(actor=cast.staff, round=r, today=datetime.date(2022, 6, 20))
    for k, v in sheets.items():
        f.score(f.fresh(seats[k]), *v[1][0][1])
    rows = {row.entry.title[-1]: row for row in results.compute(r).rows}
    assert rows["Y"].tier.name == "Giải Nhì" and rows["X"].tier.name == "Giải Ba"
    assert Edition.objects.get(pk=ed.pk).status == Edition.Status.JUDGING


def test_results_read_a_fixed_number_of_queries(cast, judges, django_assert_max_num_queries):
    _ed, _entries, table = build(cast, judges, FIXTURE)
    with django_assert_max_num_queries(12):
        results.compute(table.round)
