"""Background work of the outreach module (django.tasks; the database backend's worker runs it)."""

import datetime

from django.tasks import task

from lienhiep.core.mailing import retry_later
from lienhiep.outreach.reminders import send_reminders


@task()
def send_action_item_reminders(day: str | None = None, attempt: int = 0) -> int:
    """E-mail the owners of action items due soon or overdue; returns how many reminders went out.

    Enqueue it once a day (`manage.py outreach_reminders`, e.g. from cron); running it twice on one day sends
    nothing twice. Messages the mail server refuses are tried again later (core.mailing.RETRY_DELAYS)."""

    day = day or datetime.date.today().isoformat()
    failures: list[str] = []
    sent = send_reminders(datetime.date.fromisoformat(day), failures)
    if failures:  # the mail server refused some: those are not marked sent, so a later attempt sends just them
        retry_later(send_action_item_reminders, day, attempt, failures)
    return sent
