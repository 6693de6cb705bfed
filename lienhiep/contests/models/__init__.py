"""One engine for both contests (Hội thi Sáng tạo kỹ thuật; Cuộc thi Sáng tạo Thanh thiếu niên – Nhi đồng).

An edition is configured entirely by data: timeline, fields with codes, eligibility (age groups at a cut-off date,
team size), required dossier items, rounds with their rubric, award tiers with thresholds, quotas and prizes.
Entries carry their authors (registry people) with contribution shares, mentors, school and locality. Judges
are experts of the registry assigned per round; their score sheets lock when submitted. Awards are proposed,
adjusted by the board with reasons and approved by the leader; certificates are portal certificates."""

from lienhiep.contests.models.editions import (
    POINTS,
    AgeGroup,
    AwardTier,
    ContestField,
    Criterion,
    DossierItem,
    Edition,
    Round,
)
from lienhiep.contests.models.entries import Contributor, Entry, EntryFile
from lienhiep.contests.models.judging import (
    Assignment,
    Award,
    CertificateRun,
    EntryCertificate,
    Jury,
    Score,
    certificate_path,
)
from lienhiep.contests.models.results import Note, ResultRow, ResultTable

__all__ = [
    "POINTS",
    "AgeGroup",
    "Assignment",
    "Award",
    "AwardTier",
    "CertificateRun",
    "ContestField",
    "Contributor",
    "Criterion",
    "DossierItem",
    "Edition",
    "Entry",
    "EntryCertificate",
    "EntryFile",
    "Jury",
    "Note",
    "ResultRow",
    "ResultTable",
    "Round",
    "Score",
    "certificate_path",
]
