"""Pure-Python matching engine: affinity between items and experts, and their assignment.

Independent of Django models: the caller turns experts into :class:`Candidate`, drafts or contest entries
into :class:`Item`, conflicts into (item_key, candidate_key) pairs, and renders :class:`Problem` codes.
"""

from .affinity import VIETNAMESE_STOP_SYLLABLES, TfidfAffinity, normalise, shared_fields, syllable_ngrams
from .solver import SCALE, assign
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
    "normalise",
    "shared_fields",
    "syllable_ngrams",
]
