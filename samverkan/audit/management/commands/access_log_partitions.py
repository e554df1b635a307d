"""Keep the access log's monthly partitions made ahead: ``manage.py access_log_partitions``.

PostgreSQL only (on SQLite it says so and does nothing). Makes the partitions of this month
and the next ``--months`` (default 12) that are missing, and warns when rows sit in the
default partition (months that had no partition when they were written: making their
partition, with ``--from``, moves them into it). ``send_reminders`` runs it every day;
running it again makes nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from samverkan.audit import partitions


class Command(BaseCommand):
    help = "Make the access log's monthly partitions for this month and the months ahead."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=partitions.MONTHS_AHEAD, help="months ahead to make"
        )
        parser.add_argument(
            "--from",
            dest="first",
            help="YYYY-MM: also make every month from this one (e.g. to take rows out of "
            "the default partition)",
        )

    def handle(self, *args, months, first=None, verbosity=1, **options):
        if not partitions.supported():
            if verbosity >= 2:
                self.stdout.write("The access log is partitioned on PostgreSQL only.")
            return
        if months < 1:
            raise CommandError("--months takes a number of months, 1 or more.")
        try:
            made = []
            if first:
                try:
                    start = datetime.date.fromisoformat(f"{first}-01")
                except ValueError:
                    raise CommandError("--from takes a month: YYYY-MM.") from None
                made += partitions.ensure(start, timezone.localdate())
            made += partitions.ensure_ahead(months)
            stray = partitions.default_rows()
        except DatabaseError as error:
            raise CommandError(f"Could not make the access log's partitions: {error}") from None
        if made:
            self.stdout.write(f"Made access-log partitions: {', '.join(made)}.")
        if stray:
            self.stderr.write(
                f"{stray} access-log row(s) lie in {partitions.DEFAULT}: make their months' "
                "partitions with --from YYYY-MM (they are moved there), or let retention "
                "remove them when they are old enough."
            )
