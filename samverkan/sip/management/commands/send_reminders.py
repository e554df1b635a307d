from django.conf import settings
from django.core.management.base import BaseCommand

from samverkan.forum.reminders import send_reminders
from samverkan.sip.reminders import send_reminders as send_sip_reminders


class Command(BaseCommand):
    help = (
        "E-mail conveners three days before a forum case's deadline and the day it passes, "
        "and SIP chairs a week before a plan's follow-up and the day after it has passed. "
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
        sent = send_sip_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(f"{sent} SIP reminder(s) sent.")
