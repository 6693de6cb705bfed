"""Reminders: before the due date and after it, to the owner; enqueued as a django.tasks task and run by the
database worker (django-tasks-db); running twice on a day sends nothing twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from lienhiep.outreach import services
from lienhiep.outreach.models import ActionItem, ReminderSent
from lienhiep.outreach.reminders import send_reminders
from lienhiep.outreach.tasks import send_action_item_reminders

from . import factories as f

DUE = datetime.date(2021, 12, 15)


@pytest.fixture
def items(cast):
    cast.agency.email = "ubnd.dakto@example.test"
    cast.agency.save()
    cast.person.email = "an@example.test"
    cast.person.save()
    return {
        "agency": f.action_item(cast, due_on=DUE),
        "person": f.action_item(cast, owner_person=cast.person, owner_agency=None, due_on=DUE, title="Việc của An"),
        "done": f.action_item(cast, due_on=DUE, title="Đã xong"),
    }


@pytest.mark.django_db
def test_reminders_go_before_and_after_the_due_date_once_a_day(cast, items, django_capture_on_commit_callbacks):
    services.change_action_status(actor=cast.staff, item=items["done"], status=ActionItem.Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(DUE - datetime.timedelta(days=3)) == 2
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    # the agency's own address and its representative's account; the person's own address
    assert recipients == [("an@example.test",), ("rep@example.test", "ubnd.dakto@example.test")]
    assert "Nhắc việc" in mail.outbox[0].subject or "Nhắc việc" in mail.outbox[1].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(DUE - datetime.timedelta(days=3)) == 0  # same day again: nothing twice
        assert send_reminders(DUE - datetime.timedelta(days=2)) == 0  # no reminder planned that day
        assert send_reminders(DUE + datetime.timedelta(days=1)) == 2  # overdue
        assert send_reminders(DUE + datetime.timedelta(days=8)) == 2  # a week later
    assert len(mail.outbox) == 6
    assert any("Quá hạn" in m.subject for m in mail.outbox)
    assert ReminderSent.objects.filter(action_item=items["done"]).count() == 0


@pytest.mark.django_db(transaction=True)
def test_reminder_task_is_enqueued_and_run_by_the_database_worker(cast, items, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    result = send_action_item_reminders.enqueue((DUE + datetime.timedelta(days=1)).isoformat())
    assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
    assert not mail.outbox
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL", stored.traceback if hasattr(stored, "traceback") else stored
    assert stored.return_value == 3
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.count() == 3
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)  # nothing left to run


@pytest.mark.django_db
def test_daily_command_enqueues_the_reminder_task(settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    call_command("outreach_reminders", day="2021-12-16")
    task_id = capsys.readouterr().out.strip()
    stored = DBTaskResult.objects.get(id=task_id)
    assert stored.task_path.endswith("send_action_item_reminders") and stored.args_kwargs["args"] == ["2021-12-16"]
