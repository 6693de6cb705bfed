"""Vietnamese text: one fold() for search, collation keys for sorting, and date/number wording.

fold() is the only normalisation used for search columns: `dak to` finds `Đăk Tô`, `nguyen` finds `Nguyễn`,
and NFC and NFD spellings of a name fold to the same text.

Sort keys are digit strings, so they order the same way under any database collation (SQLite BINARY,
PostgreSQL C or a linguistic locale): letters in the Vietnamese alphabet order (a ă â b c d đ e ê ...),
with tones (none, huyền, hỏi, ngã, sắc, nặng) deciding only between otherwise equal words.

forbidden_character() is the one rule for what a typed text may hold: no bidirectional controls, invisible
format characters, control characters or U+FFFD (every form applies it through core.forms.SafeTextMixin, the
Excel imports cell by cell).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
# Two digits a character: 00 separates words, 01-09 digits... letters start at 20, anything else 90-99.
_RANK = {letter: f"{20 + i:02d}" for i, letter in enumerate(_ALPHABET)}
_RANK.update({str(d): f"{10 + d:02d}" for d in range(10)})
_SPACE = "00"
_OTHER = "99"
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC, trimmed, inner whitespace collapsed: how every name is stored."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """Lower-case, strip every diacritic (đ → d), collapse whitespace: the search form of a text."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    return _WHITESPACE.sub(" ", stripped.lower()).strip()


def _split_letter(ch: str) -> tuple[str, int]:
    """A lower-case character → (its letter of the Vietnamese alphabet, its tone number)."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    kept = ""
    for mark in marks:
        if mark in _TONE_MARKS:
            tone = _TONE_MARKS[mark]
        elif mark in _LETTER_MARKS:
            kept += mark
    return unicodedata.normalize("NFC", base + kept), tone


def sort_key(text: str) -> str:
    """Vietnamese collation key of a text, as a string of digits (compare as plain strings)."""
    primary: list[str] = []
    tones: list[str] = []
    for ch in normalize(text).lower():
        if ch == " ":
            primary.append(_SPACE)
            continue
        letter, tone = _split_letter(ch)
        primary.append(_RANK.get(letter, _OTHER))
        tones.append(str(tone))
    return "".join(primary) + _SPACE + _SPACE + "".join(tones)


def split_person_name(full_name: str) -> tuple[str, str]:
    """'Nguyễn Văn An' → ('An', 'Nguyễn Văn'): the given name is the last word."""
    words = normalize(full_name).split(" ")
    return words[-1], " ".join(words[:-1])


def person_sort_key(full_name: str) -> str:
    """People are listed by given name, then by family and middle names, as Vietnamese lists are."""
    given, rest = split_person_name(full_name)
    return sort_key(given) + _SPACE + _SPACE + sort_key(rest)


def official_date(value: datetime.date, place: str = "") -> str:
    """Date line of an official document (Decree 30/2020): 'Kon Tum, ngày 05 tháng 02 năm 2021'.

    Days below 10 and months below 3 take a leading zero, as the decree asks.
    """
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    line = f"ngày {day} tháng {month} năm {value.year}"
    return f"{place}, {line}" if place else line


def format_number(value: int | float, decimals: int = 0) -> str:
    """1234567.5 → '1.234.567,5': Vietnamese groups thousands with dots and uses a decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


# Characters a text typed into a form may not hold -------------------------------------------------------------------

# Embeddings, overrides and isolates reorder the text around them: "‮fdp.exe" shows as "exe.pdf".
BIDI_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# ... and the marks (left-to-right, right-to-left, Arabic letter mark), which only a name could misuse.
BIDI_CONTROLS = BIDI_REORDERING | frozenset("\u200e\u200f\u061c")
REPLACEMENT = "\ufffd"  # what invalid UTF-8 becomes: the text was damaged before it reached us
LINE_CHARACTERS = frozenset("\n\r\t")
# unicodedata knows no names for control characters: those of C0 and DEL (C1 ones are called by their code only)
_CONTROL_NAMES = dict(
    zip(
        [chr(c) for c in range(32)] + ["\x7f"],
        "NULL|START OF HEADING|START OF TEXT|END OF TEXT|END OF TRANSMISSION|ENQUIRY|ACKNOWLEDGE|BELL|BACKSPACE|"
        "CHARACTER TABULATION|LINE FEED|LINE TABULATION|FORM FEED|CARRIAGE RETURN|SHIFT OUT|SHIFT IN|"
        "DATA LINK ESCAPE|DEVICE CONTROL ONE|DEVICE CONTROL TWO|DEVICE CONTROL THREE|DEVICE CONTROL FOUR|"
        "NEGATIVE ACKNOWLEDGE|SYNCHRONOUS IDLE|END OF TRANSMISSION BLOCK|CANCEL|END OF MEDIUM|SUBSTITUTE|ESCAPE|"
        "INFORMATION SEPARATOR FOUR|INFORMATION SEPARATOR THREE|INFORMATION SEPARATOR TWO|INFORMATION SEPARATOR ONE|"
        "DELETE".split("|"),
        strict=True,
    )
)


@dataclass(frozen=True)
class ForbiddenCharacter:
    """The first character of a text that the rule refuses: what it is and where (1 = the first character)."""

    character: str
    position: int
    kind: str  # "bidi", "invisible", "control" or "replacement"

    @property
    def code(self) -> str:
        return f"U+{ord(self.character):04X}"

    @property
    def name(self) -> str:
        return unicodedata.name(self.character, "") or _CONTROL_NAMES.get(self.character, "CONTROL CHARACTER")

    def message(self) -> str:
        """What the user is told: which character, where, and (for U+FFFD) why it is there."""
        values = {"code": self.code, "name": self.name, "position": self.position}
        if self.kind == "bidi":
            text = _(
                "Bidirectional text control %(code)s (%(name)s) at position %(position)s is not allowed in this field."
            )
        elif self.kind == "invisible":
            text = _("Invisible character %(code)s (%(name)s) at position %(position)s is not allowed in this field.")
        elif self.kind == "control":
            text = _("Control character %(code)s (%(name)s) at position %(position)s is not allowed in this field.")
        else:
            text = _(
                "Replacement character %(code)s (%(name)s) at position %(position)s is not allowed in this field: "
                "the text was damaged when it was copied or converted; type it again."
            )
        return text % values


def forbidden_character(text: str, *, multiline: bool = False) -> ForbiddenCharacter | None:
    """The first character a form text may not hold, or None. The one rule for every text users type.

    A one-line text (a name, a title, a short text) holds no bidirectional control (U+202A–U+202E, U+2066–U+2069,
    U+200E, U+200F, U+061C), no other invisible format character (category Cf: U+200B zero-width space, U+FEFF,
    U+00AD soft hyphen ...), no control character (Cc) and no U+FFFD. A multi-line text keeps its line breaks and
    tabs, and the invisible characters pasted text legitimately carries (zero-width joiners, direction marks), but
    holds no embedding, override or isolate, no other control character and no U+FFFD.
    """
    for index, ch in enumerate(text):
        if ch.isascii() and ch.isprintable():
            continue
        kind = None
        if ch == REPLACEMENT:
            kind = "replacement"
        elif ch in (BIDI_REORDERING if multiline else BIDI_CONTROLS):
            kind = "bidi"
        elif unicodedata.category(ch) == "Cc" and not (multiline and ch in LINE_CHARACTERS):
            kind = "control"
        elif not multiline and unicodedata.category(ch) == "Cf":
            kind = "invisible"
        if kind:
            return ForbiddenCharacter(ch, index + 1, kind)
    return None
