"""The terms a person can read as the reason of a match: whole keywords and phrases, never the engine's n-grams.

The affinity engine counts syllable bigrams, and Vietnamese words have one to four syllables, so a shared bigram
often straddles two words («du lịch cộng đồng» gives «lịch cộng»). What is shown instead:

1. the candidate's own keywords, as they were written, that occur in the item's text as a whole phrase;
2. then phrases of at least two syllables that occur, unbroken, in both texts: each as long as the two texts
   allow (so «du lịch cộng đồng», not «lịch cộng»), never across punctuation, a sentence end or a function
   syllable («và», «của»...), written as in the item's text.

Matching ignores case and Unicode forms, and reads the old and new tone placements alike (``hoà`` = ``hòa``,
``thuỷ`` = ``thủy``); tone marks still count (``bò`` ≠ ``bo``). Pure Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .affinity import VIETNAMESE_STOP_SYLLABLES

# A token is a run of letters or digits, with inner joiners kept (COVID-19, 4.0, IoT/AI); anything else that is
# not a space between two tokens (a comma, a full stop, a bracket, a dash between spaces) breaks a phrase.
_TOKEN = re.compile(r"\w+(?:[-/.·']\w+)*")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
MIN_PHRASE = 2  # syllables of a phrase found in both texts (one syllable alone is too often half a word)


@lru_cache(maxsize=65536)
def syllable_key(token: str) -> str:
    """One spelling per syllable: NFC, lower-case, the tone mark moved after the letters, wherever it was."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    tones = [c for c in decomposed if c in _TONES]
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return bare + "".join(tones)


@dataclass(frozen=True)
class Token:
    key: str
    start: int  # offsets in the original text
    end: int


def segments(text: str) -> list[list[Token]]:
    """The text's phrases-to-be: runs of tokens separated only by spaces."""
    out: list[list[Token]] = []
    current: list[Token] = []
    last = 0
    for match in _TOKEN.finditer(text):
        if current and text[last : match.start()].strip():
            out.append(current)
            current = []
        current.append(Token(syllable_key(match.group()), match.start(), match.end()))
        last = match.end()
    if current:
        out.append(current)
    return out


@lru_cache(maxsize=2048)
def _parsed(text: str) -> tuple[tuple[Token, ...], ...]:
    return tuple(tuple(segment) for segment in segments(text))


@lru_cache(maxsize=2048)
def _positions(text: str, stop: frozenset[str]) -> tuple[tuple[str | None, ...], dict[str, list[int]]]:
    """The text's syllable keys in one row, ``None`` at every break (punctuation, function syllable), and where
    each key occurs in that row."""
    row: list[str | None] = []
    for segment in _parsed(text):
        row.extend(None if t.key in stop else t.key for t in segment)
        row.append(None)
    where: dict[str, list[int]] = {}
    for index, key in enumerate(row):
        if key is not None:
            where.setdefault(key, []).append(index)
    return tuple(row), where


def _keys(phrase: str) -> tuple[str, ...]:
    return tuple(t.key for segment in segments(phrase) for t in segment)


def matched_keywords(text: str, keywords: Iterable[str]) -> list[str]:
    """The keywords (as written, in their order, each once) whose every word occurs, in order and unbroken, in
    one phrase of ``text``: «cà phê» matches «trồng cà phê.» but not «cà, phê» nor «cà phê» inside «cà phêin»."""
    out, seen = [], set()
    segs = [[t.key for t in segment] for segment in _parsed(text)]
    for keyword in keywords:
        keyword = " ".join(keyword.split())
        if not keyword:
            continue
        wanted = _keys(keyword)
        if not wanted or wanted in seen:
            continue
        n = len(wanted)
        if any(tuple(keys[i : i + n]) == wanted for keys in segs for i in range(len(keys) - n + 1)):
            out.append(keyword)
            seen.add(wanted)
    return out


def common_phrases(
    item_text: str, candidate_text: str, weights: Mapping[str, float] | None = None, *, stop=VIETNAMESE_STOP_SYLLABLES
) -> list[str]:
    """Phrases of at least MIN_PHRASE syllables found unbroken in both texts, each as long as both allow, written
    as in ``item_text``; a phrase stops at punctuation and at a function syllable («khoa học và công nghệ» gives
    «khoa học», «công nghệ»). By weight (the sum of ``weights`` of the normalised 1–2-grams inside, as the
    engine's explanation gives them), then length, then position in the item's text."""
    stop_keys = frozenset(syllable_key(s) for s in stop)
    row, where = _positions(candidate_text, stop_keys)
    weight_of = {" ".join(_keys(term)): w for term, w in (weights or {}).items()}
    found: list[tuple[float, int, int, tuple, str]] = []
    position = 0
    for segment in _parsed(item_text):
        keys = [None if t.key in stop_keys else t.key for t in segment]
        reach = 0  # end of the longest shared run found so far in this segment
        for i, key in enumerate(keys):
            if key is None:
                continue
            end = i
            for p in where.get(key, ()):
                n = 0
                while i + n < len(keys) and keys[i + n] is not None and row[p + n] == keys[i + n]:
                    n += 1
                end = max(end, i + n)
            if end <= reach:  # inside a run found from an earlier start
                continue
            reach = end
            if end - i < MIN_PHRASE:
                continue
            inner = keys[i:end]
            weight = sum(weight_of.get(k, 0.0) for k in inner)
            weight += sum(weight_of.get(f"{x} {y}", 0.0) for x, y in zip(inner, inner[1:], strict=False))
            found.append((weight, end - i, position + i, tuple(inner), _as_written(item_text, segment[i:end])))
        position += len(keys)
    found.sort(key=lambda f: (-f[0], -f[1], f[2]))
    chosen: list[tuple[int, int]] = []
    out: dict[tuple, str] = {}  # each phrase once, however often it occurs
    for _weight, length, start, keys, text in found:  # of two overlapping runs, the better one
        if keys in out or any(start < s + n and s < start + length for s, n in chosen):
            continue
        chosen.append((start, length))
        out[keys] = text
    return list(out.values())


def _as_written(text: str, tokens: Sequence[Token]) -> str:
    """The words of ``text`` from the first token to the last; a capital that is only there because a sentence
    starts is dropped («Phát triển du lịch» → «phát triển du lịch»; «Ngọc Linh» stays)."""
    phrase = text[tokens[0].start : tokens[-1].end]
    before = text[: tokens[0].start].rstrip(" \t")
    starts_sentence = not before or before[-1] in ".!?…\n"
    if starts_sentence and len(tokens) > 1 and text[tokens[1].start].islower():
        return phrase[0].lower() + phrase[1:]
    return phrase


def shared_terms(
    item_text: str,
    candidate_text: str,
    keywords: Sequence[str] = (),
    weights: Mapping[str, float] | None = None,
    top: int = 5,
) -> list[str]:
    """What an item and a candidate have in common, in words a person wrote: the candidate's keywords found in
    the item's text, then the phrases both texts share (see :func:`common_phrases`). A phrase inside a shown
    keyword is left out; from a phrase holding one, what is left on either side (if still a phrase) is shown:
    keyword «sâm Ngọc Linh» and phrase «sâm Ngọc Linh dưới tán rừng» give «dưới tán rừng». At most ``top``."""
    terms = matched_keywords(item_text, keywords)
    found = [_keys(t) for t in terms]
    shown = list(found)
    for phrase in common_phrases(item_text, candidate_text, weights):
        for piece in _outside(phrase, found):
            keys = _keys(piece)
            if not any(_find(k, keys) >= 0 for k in shown):
                terms.append(piece)
                shown.append(keys)
    return terms[:top]


def _outside(phrase: str, keywords: list[tuple[str, ...]]) -> list[str]:
    """The parts of ``phrase`` (one segment) outside every occurrence of the keywords, of MIN_PHRASE syllables
    or more, as written."""
    tokens = [t for segment in segments(phrase) for t in segment]
    keys = tuple(t.key for t in tokens)
    covered = [False] * len(keys)
    for keyword in keywords:
        n = len(keyword)
        for i in range(len(keys) - n + 1):
            if keys[i : i + n] == keyword:
                covered[i : i + n] = [True] * n
    pieces, start = [], None
    for i, hidden in enumerate([*covered, True]):
        if not hidden and start is None:
            start = i
        elif hidden and start is not None:
            if i - start >= MIN_PHRASE:
                pieces.append(phrase[tokens[start].start : tokens[i - 1].end])
            start = None
    return pieces


def _find(outer: tuple[str, ...], inner: tuple[str, ...]) -> int:
    """Where ``inner`` starts in ``outer`` (-1: nowhere)."""
    n = len(inner)
    return next((i for i in range(len(outer) - n + 1) if outer[i : i + n] == inner), -1)


def plain(text: str) -> str:
    """The comparison form of a phrase: its syllable keys, one space apart (``Hoà Bình`` → ``hòa bình``)."""
    return " ".join(_keys(text))
