"""Background work of the advisory module (django.tasks; the database backend's worker runs it)."""

from django.tasks import task


@task()
def send_advisory_reminders(day: str | None = None) -> int:
    """E-mail the council members whose review, and the agencies whose answers, are due soon or late; returns how
    many reminders went out.

    Enqueue it once a day (`manage.py advisory_reminders`, e.g. from cron); running it twice on one day sends
    nothing twice."""
    import datetime

    from lienhiep.advisory.reminders import send_reminders

    return send_reminders(datetime.date.fromisoformat(day) if day else None)
