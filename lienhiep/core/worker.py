"""The background worker's safety net: a task left RUNNING by a worker that died (killed, out of memory, the
machine restarted) would otherwise stay RUNNING for ever and never be run. `requeue_stale_tasks` puts such tasks
back in the queue (READY) so a worker runs them again, or, after MAX_ATTEMPTS starts, marks them FAILED with a
plain reason; both are logged. `lienhiep worker` runs it at start-up; `lienhiep manage requeue_stale_tasks`
runs it from cron."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("lienhiep.worker")

# A task counts as abandoned once it has been RUNNING this long without finishing; keep it above the longest
# task (a 600-entry certificate batch takes a few minutes).
MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """The worker running the task stopped before the task finished."""


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LIENHIEP_TASK_STALE_SECONDS)


@transaction.atomic
def requeue_stale_tasks(
    *, older_than: datetime.timedelta | None = None, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Requeue (or, after MAX_ATTEMPTS starts, fail) tasks RUNNING since before `now - older_than`; returns
    (requeued, failed)."""
    now = now or timezone.now()
    cutoff = now - (stale_after() if older_than is None else older_than)
    requeued = failed = 0
    stale = DBTaskResult.objects.select_for_update().filter(status="RUNNING", started_at__lte=cutoff)
    for result in stale:
        attempts = len(result.worker_ids)
        if attempts < MAX_ATTEMPTS:
            result.status = "READY"
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
            logger.warning(
                "Task %s (%s) was left running by a stopped worker: queued again", result.id, result.task_path
            )
        else:
            result.status = "FAILED"
            result.finished_at = now
            result.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            result.traceback = f"The worker stopped while running this task, {attempts} times; not retried again."
            result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            failed += 1
            logger.error("Task %s (%s) lost its worker %d times: marked failed", result.id, result.task_path, attempts)
    return requeued, failed
