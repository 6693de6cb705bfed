"""Reminder e-mail that survives a failing mail server: each message is sent on its own; a failure forgets the
record that marks it sent (so the next attempt sends it), is logged, and is shown to staff in the activity log;
the reminder task then runs again later with a growing delay, a bounded number of times."""

import datetime
import logging
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from lienhiep.core.models import Union
from lienhiep.core.services import log_activity

logger = logging.getLogger("lienhiep.mail")

# Seconds to wait before each new attempt of a reminder task whose mail failed: 1 minute, 10 minutes, 1 hour.
RETRY_DELAYS = (60, 600, 3600)


def deliver(message: EmailMessage, record: models.Model, *, union: Union | None, failures: list[str]) -> bool:
    """Send one message now. On a mail server failure delete `record` (the row saying it was sent, so a retry
    sends it), log a warning and an activity-log line staff can read, add to `failures`; return False."""

    try:
        message.send()
    except OSError as error:  # smtplib.SMTPException, refused connections and timeouts are all OSErrors
        record.delete()
        to = ", ".join(message.to)
        logger.warning("E-mail %r to %s failed: %s", message.subject, to, error)
        log_activity(
            union=union,
            actor=None,
            verb="mail.failed",
            message=_("E-mail “%(subject)s” to %(to)s could not be sent (%(error)s); it will be tried again.")
            % {"subject": message.subject, "to": to, "error": error},
        )
        failures.append(to)
        return False
    return True


def retry_later(task: Callable, day: str, attempt: int, failures: list[str]) -> bool:
    """Queue `task(day, attempt + 1)` after the next delay of RETRY_DELAYS; after the last one, log an error and
    give up (the activity log keeps each failure). Returns whether a retry was queued."""
    if attempt >= len(RETRY_DELAYS):
        logger.error(
            "Reminders of %s: %d e-mails still failing after %d attempts; giving up", day, len(failures), attempt + 1
        )
        return False
    delay = RETRY_DELAYS[attempt]
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    logger.warning("Reminders of %s: %d e-mails failed; retrying in %d s", day, len(failures), delay)
    task.enqueue(day, attempt + 1)
    return True
