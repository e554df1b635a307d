from django.core.management.base import BaseCommand

from samverkan.notifications.tasks import send_digests
from samverkan.operations.jobs import recorded


class Command(BaseCommand):
    help = "Send the daily summary of notifications to everyone who chose one. Run once a day."

    def handle(self, *args, **options):
        with recorded("send_notification_digests"):  # failures counted for /metrics
            sent = send_digests()
        self.stdout.write(f"{sent} summaries sent.")
