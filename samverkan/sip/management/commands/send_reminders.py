from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from samverkan.assignments.reminders import send_assignment_reminders
from samverkan.forum.reminders import send_reminders
from samverkan.operations.jobs import recorded
from samverkan.sip.reminders import send_reminders as send_sip_reminders


class Command(BaseCommand):
    help = (
        "E-mail conveners three days before a forum case's deadline and the day it passes, "
        "SIP chairs a week before a plan's follow-up and the day after it has passed, and "
        "assignees the day after an assignment's due date has passed. "
        "Run daily from cron or a systemd timer; running it again sends nothing twice. "
        "Also keeps the access log's monthly partitions made a year ahead (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="The service's address for links in the e-mails (default: SITE_URL).",
        )

    def handle(self, *args, base_url="", **options):
        # A failed run is counted for /metrics (samverkan_job_failures) and still exits
        # non-zero for cron.
        with recorded("send_reminders"):
            self._send(base_url)

    def _send(self, base_url):
        sent = send_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(f"{sent} reminder(s) sent.")
        sent = send_sip_reminders(base_url=base_url.rstrip("/"))
        self.stdout.write(f"{sent} SIP reminder(s) sent.")
        sent = send_assignment_reminders()
        if sent:  # said only when any were sent: the usual output stays as it was
            self.stdout.write(f"{sent} overdue assignment reminder(s) sent.")
        # Daily work that is not a reminder but must not be forgotten: the log's months ahead.
        # By name, not import: the audit app sits above this one.
        call_command("access_log_partitions", stdout=self.stdout, stderr=self.stderr)
