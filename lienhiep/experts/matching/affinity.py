"""TF-IDF affinity on Vietnamese syllable 1–2-grams, tone marks kept, plus a bonus for shared fields.

The TF-IDF weighting is written here over ``scipy.sparse`` (about forty lines) instead of taken from
scikit-learn, whose import alone cost about 8 s per process for this one vectorizer. It computes what
scikit-learn's ``TfidfVectorizer(sublinear_tf=True, dtype=float32)`` computes, operation for operation in the
same precision, so the scores are the same to the last bit (checked on the benchmark's instances)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

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
    """Syllable n-grams of ``text``. N-grams never cross punctuation (``kinh tế. xã hội`` has no ``tế xã``)."""
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


def shared_fields(items: Sequence[Item], candidates: Sequence[Candidate]) -> numpy.ndarray:
    """Dense int array (items, candidates): how many field codes each pair shares."""
    vocabulary: dict[str, int] = {}
    for obj in (*items, *candidates):
        for code in sorted(obj.fields):
            vocabulary.setdefault(code, len(vocabulary))
    fi = _field_matrix([i.fields for i in items], vocabulary)
    fc = _field_matrix([c.fields for c in candidates], vocabulary)
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
        document_frequency: dict[str, int] = {}
        for text in texts:
            for term in set(self.analyzer(text)):
                document_frequency[term] = document_frequency.get(term, 0) + 1
        if not document_frequency:
            raise ValueError("empty vocabulary: the texts hold no term")
        self.names = sorted(document_frequency)
        self.vocabulary = {term: index for index, term in enumerate(self.names)}
        df = numpy.array([document_frequency[term] for term in self.names], dtype=numpy.float32) + 1.0
        idf = numpy.full_like(df, len(texts) + 1)
        idf /= df
        numpy.log(idf, out=idf)
        idf += 1.0
        self.idf = idf
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """One row per text; terms not in the vocabulary are ignored."""
        indptr, indices, counts = [0], [], []
        for text in texts:
            row: dict[int, int] = {}
            for term in self.analyzer(text):
                index = self.vocabulary.get(term)
                if index is not None:
                    row[index] = row.get(index, 0) + 1
            for index in sorted(row):
                indices.append(index)
                counts.append(row[index])
            indptr.append(len(indices))
        index_array = numpy.asarray(indices, dtype=numpy.int32)
        data = numpy.asarray(counts, dtype=numpy.float32)
        numpy.log(data, out=data)
        data += 1.0
        data *= self.idf[index_array]
        pointers = numpy.asarray(indptr, dtype=numpy.int32)
        lengths = numpy.diff(pointers)
        data = (data.astype(numpy.float64) / numpy.repeat(_row_norms(data, lengths), lengths)).astype(numpy.float32)
        return sp.csr_matrix((data, index_array, pointers), shape=(len(texts), len(self.names)))


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
    Sparse throughout; the dense (items, candidates) result is filled ``chunk`` item rows at a time.
    """

    def __init__(
        self,
        field_bonus: float = 0.2,
        per_field: bool = False,
        max_bonus: float | None = None,
        ngram_range: tuple[int, int] = (1, 2),
        stop_words: frozenset[str] = VIETNAMESE_STOP_SYLLABLES,
        chunk: int = 1000,
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
        texts = [c.text for c in candidates] + [i.text for i in items]
        try:
            self._vectorizer = self._new_vectorizer().fit(texts)
        except ValueError:  # no term at all (empty texts): text scores are 0, only the field bonus counts
            self._vectorizer = None
        return self

    def bonus(self, shared: numpy.ndarray) -> numpy.ndarray:
        if self.per_field:
            out = shared.astype(numpy.float64) * self.field_bonus
            return numpy.minimum(out, self.max_bonus) if self.max_bonus is not None else out
        return numpy.where(shared > 0, self.field_bonus, 0.0)

    def scores(self, items: Sequence[Item], candidates: Sequence[Candidate]) -> numpy.ndarray:
        self.fit(items, candidates)
        out = numpy.zeros((len(items), len(candidates)), dtype=numpy.float64)
        if self._vectorizer is not None:
            xi = self._vectorizer.transform([i.text for i in items]).tocsr()
            xc_t = self._vectorizer.transform([c.text for c in candidates]).T.tocsc()
            for start in range(0, len(items), self.chunk):
                out[start : start + self.chunk] = (xi[start : start + self.chunk] @ xc_t).toarray()
        numpy.clip(out, 0.0, 1.0, out=out)  # float32 rounding can exceed 1 by an ulp
        if self.field_bonus:
            out += self.bonus(shared_fields(items, candidates))
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
