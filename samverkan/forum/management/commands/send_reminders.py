from django.conf import settings
from django.core.management.base import BaseCommand

from samverkan.forum.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail conveners three days before a forum case's deadline and the day it passes. "
        "Run daily from cron or a systemd timer; running it again sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="The service's address for links in the e-mails (default: SITE_URL).",
        )

    def handle(self, *args, base_url="", **options):
        sent = send_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(f"{sent} reminder(s) sent.")
