"""Background work of the outreach module (django.tasks; the database backend's worker runs it)."""

from django.tasks import task


@task()
def send_action_item_reminders(day: str | None = None) -> int:
    """E-mail the owners of action items due soon or overdue; returns how many reminders went out.

    Enqueue it once a day (`manage.py outreach_reminders`, e.g. from cron); running it twice on one day sends
    nothing twice."""
    import datetime

    from lienhiep.outreach.reminders import send_reminders

    return send_reminders(datetime.date.fromisoformat(day) if day else None)
