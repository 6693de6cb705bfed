"""The annual reports between the Unions and the national body: submit, resubmit, accept, return, due dates.
Every step checks its permission here (the model's transition carries it) and is logged in the Union's activity."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.advisory.models import AnnualReport
from lienhiep.core.forms import check_text
from lienhiep.core.models import Union, User
from lienhiep.core.services import check, locked, log_activity, transition
from lienhiep.national.models import AnnualSubmission, ReportingYear, report_is_late
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import current_document


def signed_report(union: Union, year: int) -> IssuedDocument | None:
    """The Union's annual report of the year as its register holds it now (signed, not replaced), if any."""
    report = AnnualReport.objects.filter(union=union, year=year).first()
    return current_document(report, IssuedDocument.Kind.ANNUAL_REPORT) if report else None


@dataclass
class YearReport:
    """One year of a Union's reporting to the national body, as its page shows it."""

    year: int
    due_on: datetime.date
    document: IssuedDocument | None  # the signed report in the register now
    submission: AnnualSubmission | None
    late: bool  # past the due date with no report in (none sent, or returned)

    @property
    def may_send(self) -> bool:
        """A signed report, never sent, or sent and returned."""
        return self.document is not None and (
            self.submission is None or self.submission.status == AnnualSubmission.Status.RETURNED
        )

    @property
    def newer_document(self) -> bool:
        """The register holds a newer report (a correction) than the one the national body has."""
        return (
            self.submission is not None
            and self.document is not None
            and self.document.pk != self.submission.document_id
        )


def reports_of(union: Union, today: datetime.date | None = None) -> list[YearReport]:
    """Last year and this year, and every year the Union sent a report for, newest first."""
    today = today or timezone.localdate()
    submitted = {s.year: s for s in AnnualSubmission.objects.filter(union=union).select_related("document")}
    years = sorted({*submitted, today.year - 1, today.year}, reverse=True)
    rows = []
    for year in years:
        due_on, submission = ReportingYear.due_date(year), submitted.get(year)
        late = report_is_late(submission, due_on, today)
        rows.append(YearReport(year, due_on, signed_report(union, year), submission, late))
    return rows


@transaction.atomic
def submit(union: Union, year: int, *, actor: User) -> AnnualSubmission:
    """Send the Union's signed report of the year to the national body (again, after it was returned)."""
    check(actor, "national.submit_annual_report", union)
    document = signed_report(union, year)
    if document is None:
        raise ValidationError(
            _("The report for %(year)s has not been signed yet: a leader signs it on the statistics page first.")
            % {"year": year}
        )
    now = timezone.now()
    submission = AnnualSubmission.objects.select_for_update().filter(union=union, year=year).first()
    if submission is None:
        submission = AnnualSubmission.objects.create(
            union=union, year=year, document=document, submitted_at=now, submitted_by=actor
        )
    else:
        if submission.status != AnnualSubmission.Status.RETURNED:
            raise ValidationError(_("The report for %(year)s is already with the national body.") % {"year": year})
        transition(submission, "resubmit", actor=actor)
        submission.document = document
        submission.submitted_at = now
        submission.submitted_by = actor
        submission.save()
    log_activity(
        union=union,
        actor=actor,
        verb="national.report.submitted",
        message=_("Sent the report for %(year)s (No. %(number)s) to the national body.")
        % {"year": year, "number": document.number_symbol},
        target=submission,
    )
    return submission


ANSWERS = ("accept", "return_to_union")
COMMENT_LIMIT = 2000


@transaction.atomic
def answer(submission: AnnualSubmission, step: str, *, actor: User, comment: str = "") -> AnnualSubmission:
    """The national body accepts a submitted report, or returns it with a comment (required) the Union reads."""
    if step not in ANSWERS:
        raise PermissionDenied
    submission = locked(submission)
    comment = comment.strip()
    if step == "return_to_union" and not comment:
        raise ValidationError(_("Say what the Union must correct."))
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError(_("The comment is too long (at most %(n)s characters).") % {"n": COMMENT_LIMIT})
    check_text(comment, multiline=True)
    transition(submission, step, actor=actor)
    submission.comment = comment
    submission.answered_at = timezone.now()
    submission.answered_by = actor
    submission.save()
    verb = "accepted" if step == "accept" else "returned"
    log_activity(
        union=submission.union,
        actor=actor,
        verb=f"national.report.{verb}",
        message=(
            _("The national body accepted the report for %(year)s.")
            if step == "accept"
            else _("The national body returned the report for %(year)s: %(comment)s")
        )
        % {"year": submission.year, "comment": comment},
        target=submission,
    )
    return submission


@transaction.atomic
def set_due_date(year: int, due_on: datetime.date, *, actor: User) -> ReportingYear:
    check(actor, "national.review_reports")
    if due_on.year not in (year, year + 1):
        raise ValidationError(_("The due date of a year's reports falls in that year or the next one."))
    row, _created = ReportingYear.objects.update_or_create(year=year, defaults={"due_on": due_on})
    return row
