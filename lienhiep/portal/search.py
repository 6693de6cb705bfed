"""One search over news, documents and published results, diacritic-insensitive (`dak to` finds `Đăk Tô`).

Every searchable record keeps one SearchEntry row (title, plain text, folded text, public or not, visible from
when). A query keeps the rows whose folded text contains every folded word typed, ranks them (words in the title
count more, the whole phrase counts more), and marks the matches in an escaped excerpt. The filter is the same
`LIKE '%word%'` on both databases; what serves it differs: a pg_trgm GIN index on PostgreSQL, an FTS5 trigram
table on SQLite (see migration 0003). Certificates are never indexed."""

import datetime
import functools
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save, pre_delete
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lienhiep.core.text import fold, normalize
from lienhiep.portal import richtext
from lienhiep.portal.models import Article, LegalDocument, Publication, SearchEntry

MAX_WORDS = 8
SHORT_WORD = 2  # words this short match whole words only ("to" finds "Tô", not "tóm"); longer ones match prefixes
_NON_WORD = re.compile(r"[\W_]+")


def search_text(text: str) -> str:
    """The indexed form: folded, punctuation as spaces, padded with a space at each end (' quyet dinh 48 2017 ')."""
    return f" {_NON_WORD.sub(' ', fold(text)).strip()} "


def pattern(word: str) -> str:
    """What must occur in search_text() for a word to match: a whole short word, or the start of a longer one."""
    return f" {word} " if len(word) <= SHORT_WORD else f" {word}"


def _entry_data(obj) -> dict | None:
    if isinstance(obj, Article):
        return {
            "kind": SearchEntry.Kind.NEWS,
            "title": obj.title,
            "text": f"{obj.lead} {richtext.to_text(obj.body)}",
            "is_public": obj.status == Article.Status.PUBLISHED and obj.published_at is not None,
            "visible_from": obj.published_at,
            "dated": obj.published_at,
            "url": obj.get_absolute_url(),
        }
    if isinstance(obj, LegalDocument):
        issued = obj.issued_on
        if isinstance(issued, str):  # assigned as text and saved without a refresh
            issued = datetime.date.fromisoformat(issued)
        day = datetime.datetime.combine(issued, datetime.time(), tzinfo=datetime.UTC)
        return {
            "kind": SearchEntry.Kind.DOCUMENT,
            "title": str(obj),
            "text": f"{obj.summary} · {obj.issuer} · {obj.fields}".strip(" ·"),
            "is_public": obj.is_public,
            "visible_from": None,
            "dated": day,
            "url": obj.get_absolute_url(),
        }
    if isinstance(obj, Publication):
        return {
            "kind": SearchEntry.Kind.PUBLICATION,
            "title": obj.title,
            "text": f"{obj.summary} {richtext.to_text(obj.body)}",
            "is_public": obj.status == Publication.Status.PUBLISHED,
            "visible_from": None,
            "dated": obj.published_at,
            "url": obj.get_absolute_url(),
        }
    return None


def index(obj) -> None:
    """Create or refresh the search row of a record (called by the record's save())."""

    with translation.override("vi"):  # the content is Vietnamese whatever the editor's interface language
        data = _entry_data(obj)
    if data is None:
        return
    data["title"] = data["title"][:400]
    data["title_folded"] = search_text(data["title"])[:400]
    data["folded"] = search_text(f"{data['title']} {data['text']}")
    SearchEntry.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults={"union_id": obj.union_id, **data},
    )


def unindex(obj) -> None:
    SearchEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).delete()


INDEXED = (LegalDocument, Article, Publication)


def connect() -> None:
    """Keep each indexed record's SearchEntry in step with it: on every save, and before it is deleted."""
    for model in INDEXED:
        post_save.connect(_saved, sender=model, dispatch_uid=f"portal-index-{model.__name__}")
        pre_delete.connect(_deleted, sender=model, dispatch_uid=f"portal-unindex-{model.__name__}")


def _saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:  # a fixture being loaded brings its own SearchEntry rows
        index(instance)


def _deleted(sender, instance, **kwargs) -> None:
    unindex(instance)


def words_of(text: str) -> list[str]:
    """The folded words of a query, at most MAX_WORDS, duplicates removed (order kept)."""
    seen: list[str] = []
    for word in search_text(text).split():
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def _like(word: str) -> str:
    """`%word%` with no ESCAPE clause: an ESCAPE clause stops SQLite's FTS5 trigram index from serving the LIKE
    (a 50 ms scan of every Union's rows instead of 0.2–9 ms), and none is needed, as search_text() leaves only
    letters, digits and spaces in a word."""
    if set(word) & set("%_\\"):
        raise ValueError(f"not a search word: {word!r}")
    return f"%{word}%"


def _match_filter(words: list[str]) -> models.Q:
    """Rows whose folded text contains every word, through the database's own index."""
    if connection.vendor == "sqlite":
        where = " AND ".join(["folded LIKE %s"] * len(words))
        sql = f"SELECT rowid FROM portal_searchfts WHERE {where}"  # noqa: S608 - placeholders only
        return models.Q(pk__in=RawSQL(sql, [_like(pattern(w)) for w in words]))
    q = models.Q()
    for word in words:
        q &= models.Q(folded__contains=pattern(word))  # LIKE '%word%' served by the pg_trgm GIN index
    return q


def search_entries(union, text: str, kind: str = "", now: datetime.datetime | None = None):
    """The public rows of a Union matching a query, best first (empty for an empty query)."""

    words = words_of(text)
    if not words:
        return SearchEntry.objects.none()
    qs = SearchEntry.objects.filter(SearchEntry.visible_q(now or timezone.now()), union=union)
    if kind in SearchEntry.Kind.values:
        qs = qs.filter(kind=kind)
    qs = qs.filter(_match_filter(words))
    score = Value(0, output_field=IntegerField())
    for word in words:
        score = score + Case(
            When(title_folded__contains=pattern(word), then=Value(3)), default=Value(0), output_field=IntegerField()
        )
    if len(words) > 1:
        phrase = pattern(" ".join(words))
        score = score + Case(
            When(title_folded__contains=phrase, then=Value(6)),
            When(folded__contains=phrase, then=Value(4)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return (
        qs.annotate(score=score)
        .order_by("-score", models.F("dated").desc(nulls_last=True), "-pk")
        .only("kind", "title", "text", "url", "dated", "union_id")
    )


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    excerpt: SafeString
    url: str
    dated: datetime.datetime | None


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    return " " if ch.isspace() else _NON_WORD.sub(" ", fold(ch))


def _folded_map(text: str) -> tuple[str, list[int] | range]:
    """The folded text character by character, with, for each folded character, its index in `text`."""
    pieces = list(map(_fold_char, text))
    folded = "".join(pieces)
    if len(folded) == len(text):  # the usual case: every character folds to one
        return folded, range(len(text))
    origin: list[int] = []
    for i, piece in enumerate(pieces):
        origin.extend([i] * len(piece))
    return folded, origin


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with every occurrence of a folded word wrapped in <mark> (nothing else is trusted)."""
    folded, origin = _folded_map(text)
    padded = f" {folded} "
    spans: list[tuple[int, int]] = []
    for word in words:
        wanted = pattern(word)
        found = padded.find(wanted)
        while found != -1:
            start, end = found, found + len(word)  # in `folded` (padded has one more character in front)
            spans.append((origin[start], origin[end - 1] + 1))
            found = padded.find(wanted, found + 1)
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    parts, last = [], 0
    for a, b in merged:
        parts.append(escape(text[last:a]))
        parts.append(f"<mark>{escape(text[a:b])}</mark>")
        last = b
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def excerpt(text: str, words: list[str], width: int = 240) -> str:
    """A window of `text` around the first match (whole text if short)."""
    text = normalize(text)
    if len(text) <= width:
        return text
    folded, origin = _folded_map(text)
    padded = f" {folded} "
    found = [padded.find(pattern(w)) for w in words]
    first = min((f for f in found if f != -1), default=-1)
    centre = origin[first] if first != -1 else 0
    start = max(0, centre - width // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def hits(entries, text: str) -> list[Hit]:
    words = words_of(text)
    labels = dict(SearchEntry.Kind.choices)
    return [
        Hit(
            kind=e.kind,
            kind_label=str(labels.get(e.kind, e.kind)),
            title=highlight(e.title, words),
            excerpt=highlight(excerpt(e.text, words), words),
            url=e.url,
            dated=e.dated,
        )
        for e in entries
    ]
