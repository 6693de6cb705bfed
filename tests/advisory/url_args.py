"""Sample URL arguments of the advisory pages for the security harness (tests/test_url_access.py): a case sent to
the cast's agency (its representative answers it), on whose council the cast's expert sits as secretary."""

from django.utils import timezone

from lienhiep.advisory import annual
from lienhiep.advisory.models import AnnualReport, CaseFile, Comment, Recommendation, Review

from . import factories as f

_cache: dict = {}


def _journey(cast):
    """The journey built for this cast, built again when the database no longer holds it: a test's rollback removes
    it, and a later test's cast may live at the same address (`id`)."""
    key = (cast.union.pk, id(cast))
    cached = _cache.get(key)
    if cached is None or not CaseFile.objects.filter(case_id=cached.case.pk, kind=CaseFile.Kind.DRAFT).exists():
        _cache.clear()
        _cache[key] = f.journey(cast)
    return _cache[key]


def _case(cast, attachment):
    return {"pk": _journey(cast).case.pk}


def _signed_report(cast) -> dict:
    """The year's report issued by the leader, so that its stored files have someone to refuse."""
    if not AnnualReport.objects.filter(union=cast.union, year=timezone.localdate().year).exists():
        annual.sign_annual_report(cast.union, timezone.localdate().year, actor=cast.leader)
    return {}


URL_ARGS = {
    **{
        f"advisory:{name}": lambda c, a: {}
        for name in ["case_list", "case_create", "stats", "stats_xlsx", "stats_docx", "stats_sign"]
    },
    "advisory:stats_pdf": lambda c, a: _signed_report(c),
    **{
        f"advisory:{name}": _case
        for name in [
            "case_detail",
            "case_edit",
            "file_upload",
            "council",
            "decision_docx",
            "decision_pdf",
            "draft",
            "comment_add",
            "review_edit",
            "reviews",
            "meeting",
            "meeting_docx",
            "meeting_pdf",
            "meeting_issue",
            "consolidate",
            "report_docx",
            "report_pdf",
            "answers",
            "assessment",
        ]
    },
    "advisory:case_step": lambda c, a: {**_case(c, a), "action": "accept"},
    "advisory:council_action": lambda c, a: {**_case(c, a), "action": "propose"},
    "advisory:file_download": lambda c, a: {
        "pk": CaseFile.objects.filter(case=_journey(c).case, kind=CaseFile.Kind.DRAFT).first().pk
    },
    "advisory:comment_delete": lambda c, a: {"pk": Comment.objects.filter(case=_journey(c).case).first().pk},
    "advisory:review_reopen": lambda c, a: {"pk": Review.objects.filter(case=_journey(c).case).first().pk},
    "advisory:review_paper": lambda c, a: {"pk": Review.objects.filter(case=_journey(c).case).first().pk},
    "advisory:recommendation_edit": lambda c, a: {
        "pk": Recommendation.objects.filter(case=_journey(c).case).first().pk
    },
}
