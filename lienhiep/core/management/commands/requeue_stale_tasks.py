from django.core.management.base import BaseCommand

from lienhiep.core.worker import requeue_stale_tasks


class Command(BaseCommand):
    help = "Queue again the background tasks left running by a worker that stopped (or fail them after 3 starts)."

    def handle(self, *args, **options) -> None:
        requeued, failed = requeue_stale_tasks()
        self.stdout.write(f"requeued {requeued}, failed {failed}")
