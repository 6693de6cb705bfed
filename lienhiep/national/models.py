"""What the Unions send to the national body (VUSTA) through the platform: each year's annual report.

A Union's staff submit the signed annual report of a year (the document as the register issued it). The national
body accepts it or returns it with a comment; a returned report is submitted again (the Union may first sign a
corrected report, which replaces the earlier one in its register). The national body sets each year's due date;
a Union that has no report in by then (none submitted, or returned and not submitted again) is late.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from lienhiep.core.models import UnionOwned
from lienhiep.core.rules import union_of


def may_submit(instance: "AnnualSubmission", user) -> bool:
    return user.has_perm("national.submit_annual_report", union_of(instance))


def may_review(instance: "AnnualSubmission", user) -> bool:
    return user.has_perm("national.review_reports")


class ReportingYear(models.Model):
    """The national body's call for one year's reports: when they are due."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("reporting year")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @staticmethod
    def usual_due_date(year: int) -> datetime.date:
        """Without a date set by the national body: the 15th of January after the year."""
        return datetime.date(year + 1, 1, 15)

    @classmethod
    def due_date(cls, year: int) -> datetime.date:
        row = cls.objects.filter(year=year).first()
        return row.due_on if row else cls.usual_due_date(year)


class AnnualSubmission(UnionOwned):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting the national body")
        RETURNED = "returned", _("Returned with a comment")
        ACCEPTED = "accepted", _("Accepted")

    year = models.PositiveSmallIntegerField(_("year"))
    document = models.ForeignKey(
        "paperwork.IssuedDocument", verbose_name=_("report"), on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(_("status"), default=Status.SUBMITTED, choices=Status.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("the national body's comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual report submitted to the national body")
        ordering = ["-year", "union__name"]
        constraints = [models.UniqueConstraint(fields=["union", "year"], name="national_one_submission_a_year")]

    def __str__(self) -> str:
        return f"{self.year}"

    @transition(
        field=status,
        source=Status.RETURNED,
        target=Status.SUBMITTED,
        permission=may_submit,
        custom={"label": _("Submit again")},
    )
    def resubmit(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ACCEPTED,
        permission=may_review,
        custom={"label": _("Accept the report"), "style": "success"},
    )
    def accept(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=may_review,
        custom={
            "label": _("Return with a comment"),
            "style": "outline-danger",
            "reason": _("What the Union must correct"),
        },
    )
    def return_to_union(self) -> None:
        pass

    def is_on_time(self) -> bool:
        return self.submitted_at.date() <= ReportingYear.due_date(self.year)


def report_is_late(submission: AnnualSubmission | None, due_on: datetime.date, today: datetime.date) -> bool:
    """Late: the due date has passed and no report is in (none was sent, or it was returned and not sent again)."""
    return today > due_on and (submission is None or submission.status == AnnualSubmission.Status.RETURNED)
