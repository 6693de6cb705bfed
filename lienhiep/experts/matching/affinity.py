"""TF-IDF affinity on Vietnamese syllable 1–2-grams, tone marks kept, plus a bonus for shared fields.

The TF-IDF weighting is written here over ``scipy.sparse`` (about forty lines) instead of taken from
scikit-learn, whose import alone cost about 8 s per process for this one vectorizer. It computes what
scikit-learn's ``TfidfVectorizer(sublinear_tf=True, dtype=float32)`` computes, operation for operation in the
same precision, so the scores are the same to the last bit (checked on the benchmark's instances)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from itertools import count

import numpy
import scipy.sparse as sp

from .values import Candidate, Explanation, Item

# Function syllables that carry no topic; an n-gram containing one of them is dropped.
VIETNAMESE_STOP_SYLLABLES = frozenset(
    "và của các những cho là được với trong có một này đã để từ theo về tại trên do khi không cũng như thì mà "
    "bị nên hay hoặc đến sẽ đang vào ra nhiều rất lại".split()
)

_PUNCT = re.compile(r"[^\w\s]+")
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """NFC, lower-case; tone marks and the other diacritics are kept (``bò`` ≠ ``bo``)."""
    return unicodedata.normalize("NFC", text).lower()


def syllable_ngrams(
    text: str, ngram_range: tuple[int, int] = (1, 2), stop: frozenset[str] = VIETNAMESE_STOP_SYLLABLES
) -> list[str]:
    """Syllable n-grams of ``text``, by increasing n. N-grams never cross punctuation (``kinh tế. xã hội`` has
    no ``tế xã``); an n-gram holding a stop syllable is dropped."""
    low, high = ngram_range
    if low < 1 or high > 2:
        return _syllable_ngrams_any(text, ngram_range, stop)
    # one split of the whole text; a punctuation run becomes the token "|", which no n-gram may contain
    tokens = _PUNCT.sub(" | ", normalise(text)).split()
    skip = stop | {"|"}
    out: list[str] = []
    if low == 1:
        out.extend([s for s in tokens if s not in skip])
    if high == 2:
        out.extend([f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if a not in skip and b not in skip])
    return out


def _syllable_ngrams_any(text: str, ngram_range: tuple[int, int], stop: frozenset[str]) -> list[str]:
    low, high = ngram_range
    out: list[str] = []
    for segment in _PUNCT.split(normalise(text)):
        syllables = _WORD.findall(segment)
        for n in range(low, high + 1):
            for start in range(len(syllables) - n + 1):
                gram = syllables[start : start + n]
                if stop and any(s in stop for s in gram):
                    continue
                out.append(" ".join(gram))
    return out


def _field_matrix(field_sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    rows, cols = [], []
    for row, fields in enumerate(field_sets):
        for code in fields:
            rows.append(row)
            cols.append(vocabulary[code])
    return sp.csr_matrix(
        (numpy.ones(len(rows), dtype=numpy.float32), (rows, cols)), shape=(len(field_sets), max(len(vocabulary), 1))
    )


def field_matrices(items: Sequence[Item], candidates: Sequence[Candidate]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """0/1 sparse matrices (items, codes) and (candidates, codes) over one vocabulary of field codes:
    ``fi @ fc.T`` counts the codes each pair shares."""
    vocabulary: dict[str, int] = {}
    for obj in (*items, *candidates):
        for code in sorted(obj.fields):
            vocabulary.setdefault(code, len(vocabulary))
    return _field_matrix([i.fields for i in items], vocabulary), _field_matrix(
        [c.fields for c in candidates], vocabulary
    )


def shared_fields(items: Sequence[Item], candidates: Sequence[Candidate]) -> numpy.ndarray:
    """Dense int array (items, candidates): how many field codes each pair shares."""
    fi, fc = field_matrices(items, candidates)
    return numpy.asarray((fi @ fc.T).toarray(), dtype=numpy.int32)


class TfidfVectors:
    """TF-IDF vectors of texts over the vocabulary of the texts given to ``fit``: smoothed idf
    ``ln((1 + n) / (1 + df)) + 1``, sublinear tf ``1 + ln(tf)``, rows scaled to unit length; float32, as
    scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` with the default norm and smoothing."""

    def __init__(self, analyzer: Callable[[str], list[str]]):
        self.analyzer = analyzer
        self.names: list[str] = []
        self.vocabulary: dict[str, int] = {}
        self.idf = numpy.zeros(0, dtype=numpy.float32)

    def fit(self, texts: Sequence[str]) -> TfidfVectors:
        """Learn the vocabulary (sorted terms) and the idf; ``ValueError`` when the texts hold no term at all."""
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """``fit(texts)`` then ``transform(texts)``, each text analysed once."""
        first_seen: dict[str, int] = {}
        position = count()
        ids = []  # per text, each term's id: the position of its first occurrence in all the texts
        for text in texts:
            terms = self.analyzer(text)
            ids.append(numpy.fromiter(map(first_seen.setdefault, terms, position), dtype=numpy.int64, count=len(terms)))
        if not first_seen:
            raise ValueError("empty vocabulary: the texts hold no term")
        self.names = sorted(first_seen)
        self.vocabulary = dict(zip(self.names, range(len(self.names)), strict=True))
        rank = numpy.zeros(next(position), dtype=numpy.int64)
        rank[[first_seen[term] for term in self.names]] = numpy.arange(len(self.names))
        rows, cols, counts = _count(
            rank[numpy.concatenate(ids)], numpy.array([len(i) for i in ids], dtype=numpy.int64), len(self.names)
        )
        df = numpy.bincount(cols, minlength=len(self.names)).astype(numpy.float32) + 1.0
        idf = numpy.full_like(df, len(texts) + 1)
        idf /= df
        numpy.log(idf, out=idf)
        idf += 1.0
        self.idf = idf
        return self._weighted(rows, cols, counts, len(texts))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """One row per text; terms not in the vocabulary are ignored."""
        ids, lengths = [], []
        for text in texts:
            row = [index for index in map(self.vocabulary.get, self.analyzer(text)) if index is not None]
            ids.extend(row)
            lengths.append(len(row))
        rows, cols, counts = _count(
            numpy.array(ids, dtype=numpy.int64), numpy.array(lengths, dtype=numpy.int64), len(self.names)
        )
        return self._weighted(rows, cols, counts, len(texts))

    def _weighted(self, rows: numpy.ndarray, cols: numpy.ndarray, counts: numpy.ndarray, n: int) -> sp.csr_matrix:
        """The TF-IDF rows from the (row, term, count) triples, sorted by row then term."""
        index_array = cols.astype(numpy.int32)
        data = counts.astype(numpy.float32)
        numpy.log(data, out=data)
        data += 1.0
        data *= self.idf[index_array]
        lengths = numpy.bincount(rows, minlength=n)
        pointers = numpy.concatenate([[0], numpy.cumsum(lengths)]).astype(numpy.int32)
        data = (data.astype(numpy.float64) / numpy.repeat(_row_norms(data, lengths), lengths)).astype(numpy.float32)
        return sp.csr_matrix((data, index_array, pointers), shape=(n, len(self.names)))


def _count(ids: numpy.ndarray, lengths: numpy.ndarray, width: int) -> tuple[numpy.ndarray, ...]:
    """(row, term, count) of the term ids of consecutive rows (``lengths[r]`` ids for row r), by row then term."""
    rows = numpy.repeat(numpy.arange(len(lengths), dtype=numpy.int64), lengths)
    keys, counts = numpy.unique(rows * max(width, 1) + ids, return_counts=True)
    return keys // max(width, 1), keys % max(width, 1), counts


def _row_norms(data: numpy.ndarray, lengths: numpy.ndarray) -> numpy.ndarray:
    """Euclidean length of each row (``lengths[i]`` values of ``data`` each), its squares summed in double from
    left to right, as scikit-learn does (a pairwise sum would differ in the last bit); 1 for an empty row."""
    rows = len(lengths)
    width = int(lengths.max()) if rows else 0
    padded = numpy.zeros((rows, width), dtype=numpy.float64)
    padded[numpy.arange(width) < lengths[:, None]] = (data * data).astype(numpy.float64)
    sums = numpy.zeros(rows, dtype=numpy.float64)
    for column in range(width):
        sums += padded[:, column]
    sums[sums == 0.0] = 1.0
    return numpy.sqrt(sums)


class TfidfAffinity:
    """Cosine similarity of TF-IDF vectors (syllable 1–2-grams, sublinear tf, l2) plus a field bonus.

    ``scores`` fits the vectoriser on the candidates' and items' texts and keeps it for ``explain``.
    The bonus is ``field_bonus`` if the pair shares at least one field, or, with ``per_field=True``,
    ``field_bonus`` per shared field capped at ``max_bonus``. Scores are in [0, 1 + bonus].
    Each text is analysed once; the vectors are sparse; the dense (items, candidates) result, the one dense
    array, is filled ``chunk`` candidates at a time (sparse item rows times a dense block of candidate vectors,
    the same sums in the same order as a sparse product, without its index work on a nearly full result), and
    the field bonus is added at the sparse pairs sharing a field.
    """

    def __init__(
        self,
        field_bonus: float = 0.2,
        per_field: bool = False,
        max_bonus: float | None = None,
        ngram_range: tuple[int, int] = (1, 2),
        stop_words: frozenset[str] = VIETNAMESE_STOP_SYLLABLES,
        chunk: int = 500,
    ):
        self.field_bonus = field_bonus
        self.per_field = per_field
        self.max_bonus = max_bonus
        self.ngram_range = ngram_range
        self.stop_words = stop_words
        self.chunk = chunk
        self._vectorizer: TfidfVectors | None = None

    def _analyzer(self, text: str) -> list[str]:
        return syllable_ngrams(text, self.ngram_range, self.stop_words)

    def _new_vectorizer(self) -> TfidfVectors:
        return TfidfVectors(self._analyzer)

    def fit(self, items: Sequence[Item], candidates: Sequence[Candidate]) -> TfidfAffinity:
        self._fit_transform(items, candidates)
        return self

    def _fit_transform(self, items: Sequence[Item], candidates: Sequence[Candidate]) -> sp.csr_matrix | None:
        """Fit on the candidates' then the items' texts; their TF-IDF rows in that order (None: no term at all)."""
        texts = [c.text for c in candidates] + [i.text for i in items]
        self._vectorizer = self._new_vectorizer()
        try:
            return self._vectorizer.fit_transform(texts)
        except ValueError:  # no term at all (empty texts): text scores are 0, only the field bonus counts
            self._vectorizer = None
            return None

    def bonus(self, shared: numpy.ndarray) -> numpy.ndarray:
        if self.per_field:
            out = shared.astype(numpy.float64) * self.field_bonus
            return numpy.minimum(out, self.max_bonus) if self.max_bonus is not None else out
        return numpy.where(shared > 0, self.field_bonus, 0.0)

    def scores(self, items: Sequence[Item], candidates: Sequence[Candidate]) -> numpy.ndarray:
        vectors = self._fit_transform(items, candidates)
        m = len(candidates)
        out = numpy.zeros((len(items), m), dtype=numpy.float64)
        xi = vectors[m:] if vectors is not None else None
        fi, fc = field_matrices(items, candidates) if self.field_bonus else (None, None)
        for start in range(0, m, max(1, self.chunk)):
            block = out[:, start : start + max(1, self.chunk)]
            if vectors is not None:
                # the candidates' vectors as a dense (terms, block) array, row-major as the product wants it
                text = xi @ vectors[start : start + block.shape[1]].T.tocsr().toarray()
                numpy.clip(text, 0.0, 1.0, out=text)  # float32 rounding can exceed 1 by an ulp
                block[:] = text
            if fi is not None:
                shared = (fi @ fc[start : start + block.shape[1]].T).tocoo()
                block[shared.row, shared.col] += self.bonus(numpy.rint(shared.data).astype(numpy.int64))
        return out

    def explain(self, item: Item, candidate: Candidate, top: int = 5) -> Explanation:
        vectorizer = self._vectorizer
        if vectorizer is None:  # not fitted by scores(): the pair alone is the corpus
            try:
                vectorizer = self._new_vectorizer().fit([candidate.text, item.text])
            except ValueError:
                vectorizer = None
        weights: list[tuple[str, float]] = []
        text_score = 0.0
        if vectorizer is not None:
            xi = vectorizer.transform([item.text]).tocsr()
            xc = vectorizer.transform([candidate.text]).tocsr()
            product = xi.multiply(xc).tocsr()
            names = vectorizer.names
            weights = [(str(names[j]), float(w)) for j, w in zip(product.indices, product.data, strict=True) if w > 0]
            weights.sort(key=lambda tw: (-tw[1], tw[0]))
            text_score = min(1.0, float(product.sum()))
        fields = tuple(sorted(item.fields & candidate.fields))
        bonus = float(self.bonus(numpy.array([len(fields)]))[0]) if self.field_bonus else 0.0
        return Explanation(
            item_key=item.key,
            candidate_key=candidate.key,
            score=text_score + bonus,
            text_score=text_score,
            field_bonus=bonus,
            terms=tuple(weights[:top]),
            fields=fields,
        )
