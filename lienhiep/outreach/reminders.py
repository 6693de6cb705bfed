"""Reminders for action items: before the due date (3 days and 1 day ahead) and after it (the day after, then
weekly), to the owner person, or to the owning agency and its representatives. One per item and day."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lienhiep.core.mailing import deliver
from lienhiep.core.models import Membership, Role
from lienhiep.outreach.models import ActionItem, ReminderSent

DAYS_BEFORE = (3, 1)
AFTER_EVERY = 7


def reminder_kind(item: ActionItem, today: datetime.date) -> str | None:
    left = (item.due_on - today).days
    if left in DAYS_BEFORE:
        return ReminderSent.Kind.BEFORE
    if left < 0 and (-left - 1) % AFTER_EVERY == 0:
        return ReminderSent.Kind.AFTER
    return None


def recipients_of(item: ActionItem, reps_by_agency: dict[int, list[str]]) -> list[str]:
    if item.owner_person_id:
        person = item.owner_person
        emails = {person.email or (person.user.email if person.user else "")}
    else:
        emails = {item.owner_agency.email, *reps_by_agency.get(item.owner_agency_id, [])}
    return sorted(e for e in emails if e)


def send_reminders(today: datetime.date | None = None, failures: list[str] | None = None) -> int:
    """Send today's reminders; returns how many went out. A message the mail server refuses is not marked sent
    (a later run sends it) and its recipients are added to `failures`."""
    failures = [] if failures is None else failures
    today = today or datetime.date.today()
    window_end = today + datetime.timedelta(days=max(DAYS_BEFORE))
    items = (
        ActionItem.objects.filter(status__in=ActionItem.ACTIVE, due_on__lte=window_end)
        .exclude(reminders__day=today)
        .select_related("owner_person__user", "owner_agency", "union", "session")
    )
    due = [(item, kind) for item in items if (kind := reminder_kind(item, today))]
    agency_ids = {item.owner_agency_id for item, _kind in due if item.owner_agency_id}
    reps: dict[int, list[str]] = {}
    for agency_id, email in (
        Membership.objects.active()
        .filter(role=Role.AGENCY_REP, agency_id__in=agency_ids)
        .values_list("agency_id", "user__email")
    ):
        reps.setdefault(agency_id, []).append(email)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for item, kind in due:
            to = recipients_of(item, reps)
            if not to:
                continue
            try:
                with transaction.atomic():
                    record = ReminderSent.objects.create(
                        action_item=item, day=today, kind=kind, recipients=", ".join(to)
                    )
            except IntegrityError:  # another worker sent it a moment ago
                continue
            if deliver(_message(item, kind, today, to), record, union=item.union, failures=failures):
                sent += 1
    return sent


def _message(item: ActionItem, kind: str, today: datetime.date, to: list[str]) -> EmailMessage:
    days = abs((item.due_on - today).days)
    if kind == ReminderSent.Kind.BEFORE:
        subject = _("Reminder: “%(title)s” is due in %(days)d days") % {"title": item.title, "days": days}
    else:
        subject = _("Overdue: “%(title)s” was due %(days)d days ago") % {"title": item.title, "days": days}
    path = reverse("outreach:action_detail", args=[item.union.slug, item.pk])
    lines = [
        item.union.name,
        "",
        _("Action: %s") % item.title,
        _("Due date: %s") % item.due_on.strftime("%d/%m/%Y"),
        _("Status: %s") % item.get_status_display(),
    ]
    if item.session:
        lines.append(_("From the working session: %s") % item.session)
    lines += ["", _("Update its status or evidence at: %s") % path]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, to)
