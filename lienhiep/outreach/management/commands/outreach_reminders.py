from django.core.management.base import BaseCommand

from lienhiep.outreach.tasks import send_action_item_reminders


class Command(BaseCommand):
    help = "Enqueue today's action-item reminders (run daily, e.g. from cron; the worker sends them)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, day=None, **options):
        result = send_action_item_reminders.enqueue(day)
        self.stdout.write(f"{result.id}")
