"""Pure-Python matching engine: affinity between items and experts, and their assignment.

Independent of Django models: the caller turns experts into :class:`Candidate`, drafts or contest entries
into :class:`Item`, conflicts into (item_key, candidate_key) pairs, and renders :class:`Problem` codes.
"""

from .affinity import VIETNAMESE_STOP_SYLLABLES, TfidfAffinity, normalise, shared_fields, syllable_ngrams
from .solver import SCALE, assign
from .terms import common_phrases, matched_keywords, shared_terms
from .values import AffinitySource, Assignment, Candidate, Explanation, Item, Problem, Rules

__all__ = [
    "SCALE",
    "VIETNAMESE_STOP_SYLLABLES",
    "AffinitySource",
    "Assignment",
    "Candidate",
    "Explanation",
    "Item",
    "Problem",
    "Rules",
    "TfidfAffinity",
    "assign",
    "common_phrases",
    "matched_keywords",
    "normalise",
    "shared_fields",
    "shared_terms",
    "syllable_ngrams",
]
