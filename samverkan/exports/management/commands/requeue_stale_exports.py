from django.core.management.base import BaseCommand

from samverkan.exports.tasks import MAX_ATTEMPTS, STALE_AFTER, requeue_stale


class Command(BaseCommand):
    help = (
        f"Queue again the exports still 'running' after {STALE_AFTER.seconds // 60} minutes "
        f"(their worker died; the build counts as an attempt), or mark them failed and tell "
        f"the person who asked after {MAX_ATTEMPTS} attempts. Run every few minutes from cron "
        "or a systemd timer; running it twice at once queues nothing twice."
    )

    def handle(self, *args, **options):
        queued, failed = requeue_stale()
        self.stdout.write(f"{queued} stale export(s) queued again, {failed} failed.")
