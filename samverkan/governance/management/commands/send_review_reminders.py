from django.core.management.base import BaseCommand

from samverkan.governance.library import send_review_reminders
from samverkan.operations.jobs import recorded


class Command(BaseCommand):
    help = (
        "Tell editors of documents due for review within two weeks (once per review date). "
        "Run daily; running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        with recorded("send_review_reminders"):  # failures counted for /metrics
            self.stdout.write(f"{send_review_reminders()} review reminder(s) sent.")
