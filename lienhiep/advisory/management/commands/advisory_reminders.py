from django.core.management.base import BaseCommand

from lienhiep.advisory.tasks import send_advisory_reminders


class Command(BaseCommand):
    help = "Enqueue today's review reminders (run daily, e.g. from cron; the worker sends them)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, day=None, **options):
        result = send_advisory_reminders.enqueue(day)
        self.stdout.write(f"{result.id}")
