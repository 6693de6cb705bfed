"""Sample URL arguments of the national pages for the security harness (tests/test_url_access.py) and the
authorization matrix: Kon Tum's signed report of last year, submitted; an edition with a nominated entry."""

import datetime

from django.utils import timezone

from lienhiep.advisory import annual
from lienhiep.contests.models import Entry
from lienhiep.national import services
from lienhiep.national.models import AnnualSubmission

LAST_YEAR = datetime.date.today().year - 1


def submitted_report(cast) -> AnnualSubmission:
    found = AnnualSubmission.objects.filter(union=cast.union, year=LAST_YEAR).first()
    if found is not None:
        return found
    annual.sign_annual_report(cast.union, LAST_YEAR, actor=cast.leader)
    return services.submit(cast.union, LAST_YEAR, actor=cast.staff)


def _submission(cast, attachment) -> dict:
    return {"pk": submitted_report(cast).pk}


def _answer(cast, attachment) -> dict:
    return {"pk": submitted_report(cast).pk, "step": "accept"}


def nominated_edition(cast):
    """An edition of Kon Tum with an entry nominated to the national contest (the contest pages' sample edition)."""
    from tests.contests import url_args as contest_args

    entry = contest_args._objects(cast)["entry"]
    Entry.objects.filter(pk=entry.pk).update(nominated_at=timezone.now())
    return entry.edition


URL_ARGS = {
    "national:submission": _submission,
    "national:answer": _answer,
    "national:submission_docx": _submission,
    "national:submission_pdf": _submission,
    "national:nomination_zip": lambda c, a: {"pk": nominated_edition(c).pk},
}
