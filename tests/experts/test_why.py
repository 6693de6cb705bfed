"""Why an expert is proposed, as staff read it: whole keywords and phrases (never a syllable bigram straddling two
words, never across punctuation), field names instead of codes, a match in words instead of a bare score."""

import pytest

from lienhiep.experts import matching, why
from lienhiep.experts.matching import Candidate, Item, TfidfAffinity
from lienhiep.experts.matching.terms import plain, segments

CASE = "Đề án phát triển du lịch cộng đồng gắn với văn hoá dân tộc Xơ Đăng. Triển khai tại các làng, xã."
KEYWORDS = ("du lịch cộng đồng", "Văn hóa", "di sản", "nông nghiệp")
PROFILE = (
    "Văn hóa . du lịch cộng đồng . di sản . nông nghiệp . Trưởng phòng . Nghiên cứu văn hóa Xơ Đăng, phát triển "
    "du lịch bền vững và lịch cộng tác viên."
)


def _phrases(text: str) -> set[str]:
    """Every unbroken run of words of the text (the forms a term may take), compared as plain()."""
    out = set()
    for segment in segments(text):
        keys = [t.key for t in segment]
        out |= {" ".join(keys[i:j]) for i in range(len(keys)) for j in range(i + 1, len(keys) + 1)}
    return out


def test_the_engine_counts_bigrams_across_words_but_none_is_shown():
    item = Item(1, CASE, frozenset({"VH"}))
    candidate = Candidate(2, PROFILE, frozenset({"VH"}), keywords=KEYWORDS)
    source = TfidfAffinity()
    source.scores([item], [candidate])
    engine_terms = {t for t, _w in source.explain(item, candidate, top=50).terms}
    assert {"lịch cộng", "triển du"} & engine_terms  # what the page used to show
    reasons = why.reasons(source, item, candidate, names={"VH": "Văn hóa"}, rank=1, pool=7)
    terms = reasons["terms"]
    assert terms[:2] == ["du lịch cộng đồng", "Văn hóa"]  # the expert's keywords, as written, first
    assert "Xơ Đăng" in terms  # then what both texts say in the same words
    assert not {"lịch cộng", "triển du", "du lịch", "cộng đồng"} & {plain(t) for t in terms}
    for term in terms:  # each is a keyword found whole, or an unbroken phrase of both texts
        assert term in KEYWORDS or plain(term) in _phrases(CASE) & _phrases(PROFILE), term
    assert reasons["fields"] == ["Văn hóa"] and reasons["rank"] == 1 and reasons["pool"] == 7


def test_keywords_match_whole_and_in_either_tone_placement():
    text = "Trồng cà phê xứ lạnh; thuỷ lợi nhỏ. Nuôi bò, cà. Phê duyệt quy hoạch."
    keywords = ["Cà phê", "thủy lợi", "bo", "cà phê xứ lạnh", "hoạch định", "  ", "cà phê", "Quy hoạch"]
    assert matching.matched_keywords(text, keywords) == ["Cà phê", "thủy lợi", "cà phê xứ lạnh", "Quy hoạch"]
    assert matching.matched_keywords("cà phêin", ["cà phê"]) == []  # never half a syllable
    assert matching.matched_keywords("cà, phê", ["cà phê"]) == []  # never across punctuation


def test_shared_phrases_stop_at_punctuation_and_function_words():
    item = "Kinh tế. Xã hội học và khoa học và công nghệ"
    candidate = "kinh tế xã hội học; khoa học công nghệ"
    found = matching.common_phrases(item, candidate)
    assert plain("xã hội học") in {plain(p) for p in found}
    assert not any("tế" in plain(p).split() and "xã" in plain(p).split() for p in found)  # «tế. Xã» is broken
    assert not any(" và " in f" {plain(p)} " for p in found)
    # a sentence's capital is dropped, a name's is kept
    assert matching.common_phrases("Phát triển du lịch ở Ngọc Linh.", "phát triển du lịch núi Ngọc Linh") == [
        "phát triển du lịch",
        "Ngọc Linh",
    ]
    assert matching.common_phrases("cà phê", "cà") == []  # one syllable alone is not shown


def test_shared_terms_leave_out_phrases_inside_a_shown_keyword():
    profile = "sâm Ngọc Linh . trồng Ngọc Linh dưới tán rừng"
    terms = matching.shared_terms("Trồng sâm Ngọc Linh, cây dược liệu dưới tán rừng", profile, ["sâm Ngọc Linh"])
    assert terms == ["sâm Ngọc Linh", "dưới tán rừng"]  # «trồng», one syllable, and «Ngọc Linh», inside, left out
    # a phrase holding a keyword shows what lies outside it
    terms = matching.shared_terms(
        "trồng sâm Ngọc Linh dưới tán rừng", "trồng sâm Ngọc Linh dưới tán rừng", ["sâm ngọc linh"]
    )
    assert terms == ["sâm ngọc linh", "dưới tán rừng"]


@pytest.mark.parametrize(
    ("score", "level", "words"),
    [
        (0.74, "high", "rất phù hợp"),
        (0.35, "high", "rất phù hợp"),
        (0.27, "medium", "phù hợp"),
        (0.05, "low", "ít phù hợp"),
    ],
)
def test_the_match_is_told_in_words(score, level, words):
    assert why.fit_level(score) == (level, words)
    shown = why.Why.of({"fit": score, "fields": ["Văn hóa"], "terms": ["du lịch cộng đồng"]})
    assert (shown.level, shown.label, shown.fields) == (level, words, ("Văn hóa",))


def test_reasons_stored_before_the_rating_use_the_seat_affinity_and_hand_seats_have_none():
    old = why.Why.of({"terms": ["lịch cộng"], "fields": ["NN"]}, 0.5)  # stored by the n-gram explanation
    assert (old.label, old.terms) == ("rất phù hợp", ())
    assert why.Why.of({}, 0.9) is None and why.Why.of(None) is None
    assert why.summary([why.Why.of({"fit": 0.5}), None, why.Why.of({"fit": 0.6}), why.Why.of({"fit": 0.1})]) == [
        (2, "rất phù hợp"),
        (1, "ít phù hợp"),
    ]
    assert why.ranks(__import__("numpy").array([0.2, 0.5, 0.2, 0.1])).tolist() == [2, 1, 2, 4]
