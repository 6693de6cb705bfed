"""Reminders to council members whose review is not submitted: 3 days and 1 day before it is due, the day after,
then weekly. One per review and day (running the task twice a day sends nothing twice)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lienhiep.advisory.models import Review, ReviewReminder, Status

DAYS_BEFORE = (3, 1)
AFTER_EVERY = 7


def reminder_kind(review: Review, today: datetime.date) -> str | None:
    """ "before", "after" or None: whether a reminder is due today for this review."""
    left = (review.due_on - today).days
    if left in DAYS_BEFORE:
        return "before"
    if left < 0 and (-left - 1) % AFTER_EVERY == 0:
        return "after"
    return None


def recipient_of(review: Review) -> str:
    person = review.seat.expert.person
    return person.email or (person.user.email if person.user_id else "")


def send_reminders(today: datetime.date | None = None) -> int:
    """Send today's reminders; returns how many went out."""
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
                    ReviewReminder.objects.create(review=review, day=today, late=kind == "after", recipients=to)
                    message = _message(review, kind, today, to)
                    transaction.on_commit(message.send)
            except IntegrityError:  # another worker sent it a moment ago
                continue
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
