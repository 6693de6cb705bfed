"""Faults injected and survived: the task worker killed in the middle of a task, the database unreachable, the
disk full during an upload, the mail server refusing reminder e-mails."""

import datetime
import errno
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lienhiep.contests.models import EntryFile
from lienhiep.core.mailing import RETRY_DELAYS
from lienhiep.core.models import ActivityLog, Attachment
from lienhiep.core.services import store_attachment
from lienhiep.core.worker import MAX_ATTEMPTS, requeue_stale_tasks
from lienhiep.outreach.models import ReminderSent
from lienhiep.outreach.tasks import send_action_item_reminders
from tests.contests import factories as contests
from tests.live import ROOT, Server, served_database, subprocess_env
from tests.outreach import factories as outreach

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def slow_task(marker: str) -> str:
    """Counts its starts in a file; the first start hangs (until the worker is killed), a later one finishes."""
    path = Path(marker)
    starts = path.read_text().count("\n") if path.exists() else 0
    with path.open("a") as out:
        out.write("started\n")
    if starts == 0:
        time.sleep(300)
    return "done"


def wait_for(condition, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


# The worker killed mid-task --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_runs_again_when_a_worker_starts(settings, tmp_path):
    settings.TASKS = DB_TASKS
    marker = tmp_path / "starts.txt"
    with served_database(tmp_path) as database_url:
        result = slow_task.enqueue(str(marker))
        env = subprocess_env(database_url, tmp_path / "var", LIENHIEP_TASK_STALE_MINUTES="0")
        worker = subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for(lambda: marker.exists(), what="the first worker to start the task")
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
        # Killed: the task is left RUNNING, and without the safety net no worker would ever run it again.
        assert DBTaskResult.objects.get(id=result.id).status == "RUNNING"

        restarted = subprocess.Popen(
            [sys.executable, "-m", "lienhiep.cli", "worker"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for(
                lambda: DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL",
                timeout=180,
                what="the restarted worker to run the task again",
            )
        finally:
            restarted.terminate()
            restarted.wait(timeout=30)
        stored = DBTaskResult.objects.get(id=result.id)
        assert stored.return_value == "done" and len(stored.worker_ids) == 2
        assert marker.read_text().count("\n") == 2


@pytest.mark.django_db
def test_stale_tasks_are_requeued_then_failed_after_the_last_attempt(settings):
    settings.TASKS = DB_TASKS
    now = timezone.now()
    long_ago = now - datetime.timedelta(hours=2)
    once = slow_task.enqueue("/nonexistent")
    spent = slow_task.enqueue("/nonexistent")
    fresh = slow_task.enqueue("/nonexistent")
    DBTaskResult.objects.filter(id=once.id).update(status="RUNNING", started_at=long_ago, worker_ids=["w1"])
    DBTaskResult.objects.filter(id=spent.id).update(
        status="RUNNING", started_at=long_ago, worker_ids=[f"w{i}" for i in range(MAX_ATTEMPTS)]
    )
    DBTaskResult.objects.filter(id=fresh.id).update(status="RUNNING", started_at=now, worker_ids=["w9"])

    assert requeue_stale_tasks(now=now) == (1, 1)
    assert DBTaskResult.objects.get(id=once.id).status == "READY"
    failed = DBTaskResult.objects.get(id=spent.id)
    assert failed.status == "FAILED" and failed.exception_class_path.endswith("WorkerLost")
    assert "stopped while running" in failed.traceback
    assert DBTaskResult.objects.get(id=fresh.id).status == "RUNNING"  # still within its time: left alone


# The database unreachable ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_unreachable_database_gives_a_plain_503_page(tmp_path):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed_port = probe.getsockname()[1]
    probe.close()  # nothing listens there: every connection is refused
    server = Server(subprocess_env(f"postgres://lienhiep@127.0.0.1:{closed_port}/lienhiep", tmp_path / "var"))
    try:
        server.wait_ready()
        for path in ["/kontum/", "/kontum/news/", "/kontum/app/contests/mine/"]:
            status, headers, text = server.request("GET", path)
            assert status == 503, (path, status, text[:300])
            assert "Cơ sở dữ liệu đang không truy cập được" in text
            assert headers.get("retry-after") == "60"
            assert "Traceback" not in text and "OperationalError" not in text and "psycopg" not in text
    finally:
        server.stop()


# The disk full during an upload ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_disk_on_upload_is_a_clear_error_and_leaves_nothing_behind(cast, client_for, settings):
    edition = contests.open_edition(cast)
    entry = contests.draft(cast, edition)
    item = edition.dossier_items.get(order=1)
    storage_root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    before = (Attachment.objects.count(), EntryFile.objects.count(), ActivityLog.objects.count())
    full = OSError(errno.ENOSPC, "No space left on device")
    client = client_for(cast.entrant)
    with mock.patch("django.core.files.storage.FileSystemStorage._save", side_effect=full):
        response = client.post(
            f"/kontum/app/contests/entries/{entry.pk}/files/",
            {"item": item.pk, "file": SimpleUploadedFile("phieu.pdf", contests.PDF, content_type="application/pdf")},
            follow=True,
        )
    assert response.status_code == 200
    assert "ổ đĩa của máy chủ đã đầy" in response.content.decode()
    assert (Attachment.objects.count(), EntryFile.objects.count(), ActivityLog.objects.count()) == before
    assert not storage_root.exists() or not [p for p in storage_root.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_a_file_whose_row_cannot_be_written_is_removed(cast, settings):
    storage_root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    upload = SimpleUploadedFile("phieu.pdf", contests.PDF, content_type="application/pdf")
    with mock.patch.object(Attachment, "save", side_effect=DatabaseError("disk I/O error")):
        with pytest.raises(DatabaseError):
            store_attachment(actor=cast.staff, union=cast.union, owner=cast.public_document, upload=upload)
    assert not [p for p in storage_root.rglob("*") if p.is_file()]


# Reminder e-mail refused by the mail server ----------------------------------------------------------------


class FlakyBackend(EmailBackend):
    """The in-memory backend, refusing the first `failures` messages as a mail server that went away would."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def due_items(cast, settings):
    settings.EMAIL_BACKEND = "tests.test_faults.FlakyBackend"
    settings.TASKS = DB_TASKS
    cast.agency.email = "ubnd.dakto@example.test"
    cast.agency.save()
    cast.person.email = "an@example.test"
    cast.person.save()
    outreach.action_item(cast, due_on=datetime.date(2021, 12, 15))
    outreach.action_item(cast, owner_person=cast.person, owner_agency=None, due_on=datetime.date(2021, 12, 15))
    return "2021-12-12"  # three days before: both are reminded


@pytest.mark.django_db
def test_a_refused_reminder_is_logged_retried_later_and_then_sent(due_items, caplog):
    day = due_items
    FlakyBackend.failures = 2  # the mail server refuses both messages of the first run
    assert send_action_item_reminders.call(day) == 0
    assert not mail.outbox and not ReminderSent.objects.exists()  # not marked sent: the retry will send them
    assert ActivityLog.objects.filter(verb="mail.failed").count() == 2
    assert "Không gửi được thư" in ActivityLog.objects.filter(verb="mail.failed").first().message
    assert sum("failed" in r.getMessage() for r in caplog.records if r.levelname == "WARNING") >= 2
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"] == [day, 1]
    delay = (retry.run_after - timezone.now()).total_seconds()
    assert RETRY_DELAYS[0] - 5 < delay <= RETRY_DELAYS[0]

    retry.delete()
    assert send_action_item_reminders.call(day, 1) == 2  # the retry, once the server is back
    assert len(mail.outbox) == 2 and ReminderSent.objects.count() == 2
    assert not DBTaskResult.objects.exists()  # nothing more to retry
    assert send_action_item_reminders.call(day, 2) == 0  # and never twice a day


@pytest.mark.django_db
def test_reminders_give_up_after_the_last_retry_with_an_error_in_the_log(due_items, caplog):
    FlakyBackend.failures = 100
    assert send_action_item_reminders.call(due_items, len(RETRY_DELAYS)) == 0
    assert not DBTaskResult.objects.exists()
    assert any(r.levelname == "ERROR" and "giving up" in r.getMessage() for r in caplog.records)
    FlakyBackend.failures = 0
