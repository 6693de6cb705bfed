"""Reminders, 3 days and 1 day before the due date, the day after, then weekly: to council members whose review is
not submitted, and to the requesting agency (its address and representatives) whose answers to a sent report are
due. One per review (or case) and day: running the task twice a day sends nothing twice."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lienhiep.advisory.models import AnswerReminder, Case, Review, ReviewReminder, Status
from lienhiep.advisory.services import agency_addresses
from lienhiep.core.mailing import deliver

DAYS_BEFORE = (3, 1)
AFTER_EVERY = 7


def reminder_kind(review: Review, today: datetime.date) -> str | None:
    """'before', 'after' or None: whether a reminder is due today for this review."""
    return kind_for(review.due_on, today)


def kind_for(due_on: datetime.date, today: datetime.date) -> str | None:
    left = (due_on - today).days
    if left in DAYS_BEFORE:
        return "before"
    if left < 0 and (-left - 1) % AFTER_EVERY == 0:
        return "after"
    return None


def recipient_of(review: Review) -> str:
    person = review.seat.expert.person
    return person.email or (person.user.email if person.user_id else "")


def send_reminders(today: datetime.date | None = None, failures: list[str] | None = None) -> int:
    """Send today's reminders to members and agencies; returns how many went out. A message the mail server
    refuses is not marked sent (a later run sends it) and its recipients are added to `failures`."""
    failures = [] if failures is None else failures
    return send_review_reminders(today, failures) + send_answer_reminders(today, failures)


def send_review_reminders(today: datetime.date | None = None, failures: list[str] | None = None) -> int:
    """Send today's reminders to council members; returns how many went out."""
    failures = [] if failures is None else failures
    today = today or datetime.date.today()
    window_end = today + datetime.timedelta(days=max(DAYS_BEFORE))
    reviews = (
        Review.objects.filter(
            state=Review.State.DRAFT,
            case__status__in=[Status.REVIEWING, Status.CONSOLIDATING],
            due_on__isnull=False,
            due_on__lte=window_end,
        )
        .exclude(reminders__day=today)
        .select_related("case__union", "seat__expert__person__user")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for review in reviews:
            kind = reminder_kind(review, today)
            to = recipient_of(review)
            if kind is None or not to:
                continue
            try:
                with transaction.atomic():
                    record = ReviewReminder.objects.create(
                        review=review, day=today, late=kind == "after", recipients=to
                    )
            except IntegrityError:  # another worker sent it a moment ago
                continue
            if deliver(_message(review, kind, today, to), record, union=review.case.union, failures=failures):
                sent += 1
    return sent


def _message(review: Review, kind: str, today: datetime.date, to: str) -> EmailMessage:
    case = review.case
    days = abs((review.due_on - today).days)
    if kind == "before":
        subject = _("Reminder: your review of %(code)s is due in %(days)d days") % {"code": case.code, "days": days}
    else:
        subject = _("Late: your review of %(code)s was due %(days)d days ago") % {"code": case.code, "days": days}
    path = reverse("advisory:review_edit", args=[case.union.slug, case.pk])
    lines = [
        case.union.name,
        "",
        _("Case: %(code)s %(title)s") % {"code": case.code, "title": case.title},
        _("Your review is due on %s.") % review.due_on.strftime("%d/%m/%Y"),
        "",
        _("Write and submit it at: %s") % path,
    ]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [to])


def send_answer_reminders(today: datetime.date | None = None, failures: list[str] | None = None) -> int:
    """Remind the requesting agencies whose answers to a sent report are due soon or late."""
    failures = [] if failures is None else failures

    today = today or datetime.date.today()
    window_end = today + datetime.timedelta(days=max(DAYS_BEFORE))
    cases = (
        Case.objects.filter(
            status=Status.SENT,
            stage_due_on__isnull=False,
            stage_due_on__lte=window_end,
            requesting_agency__isnull=False,
        )
        .exclude(answer_reminders__day=today)
        .select_related("union", "requesting_agency")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for case in cases:
            kind = kind_for(case.stage_due_on, today)
            to = sorted({a for a in agency_addresses(case) if a})
            if kind is None or not to:
                continue
            try:
                with transaction.atomic():
                    record = AnswerReminder.objects.create(
                        case=case, day=today, late=kind == "after", recipients=", ".join(to)
                    )
            except IntegrityError:
                continue
            if deliver(_answer_message(case, kind, today, to), record, union=case.union, failures=failures):
                sent += 1
    return sent


def _answer_message(case: Case, kind: str, today: datetime.date, to: list[str]) -> EmailMessage:
    days = abs((case.stage_due_on - today).days)
    if kind == "before":
        subject = _("Reminder: your answers to the recommendations of %(code)s are due in %(days)d days") % {
            "code": case.code,
            "days": days,
        }
    else:
        subject = _("Late: your answers to the recommendations of %(code)s were due %(days)d days ago") % {
            "code": case.code,
            "days": days,
        }
    path = reverse("advisory:answers", args=[case.union.slug, case.pk])
    lines = [
        case.union.name,
        "",
        _("Case: %(code)s %(title)s") % {"code": case.code, "title": case.title},
        _("Please answer each recommendation (accepted, partly accepted or not accepted, with your explanation)."),
        "",
        _("Answer at: %s") % path,
    ]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, to)
