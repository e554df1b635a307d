"""Retention: ``manage.py prune_access_log --before YYYY-MM-DD``.

With ``gallra`` (which computes the date from the configured retention period) the only way
rows leave the access log. Removes every chain's rows from before the date (whole days,
Stockholm time), keeps the last removed row's seq and hash as the chain's anchor so that
``verify_access_log`` still verifies what is left, and logs the pruning itself. On PostgreSQL
whole months go by dropping their partitions, the rest row by row (``audit.pruning``).

The log is verified first: pruning would destroy the evidence of a tampered row, so a log
that does not verify is not pruned (``--no-verify`` prunes anyway; the problems are printed).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from samverkan.audit.chain import verify_log
from samverkan.audit.pruning import PruningError, prune


class Command(BaseCommand):
    help = "Delete access-log entries from before a date, keeping the chains verifiable."

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            required=True,
            help="YYYY-MM-DD: entries from before this day are deleted",
        )
        parser.add_argument(
            "--no-verify", action="store_true", help="prune even if the log does not verify"
        )

    def handle(self, *args, before, no_verify, **options):
        if not isinstance(before, datetime.date):
            try:
                before = datetime.date.fromisoformat(before)
            except ValueError:
                raise CommandError("--before takes a date: YYYY-MM-DD.") from None
        cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
        if cutoff > timezone.now():
            raise CommandError("The date is in the future: nothing that young is pruned.")
        report = verify_log()
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            if not no_verify:
                raise CommandError(
                    "The access log does not verify; nothing was pruned. Investigate first "
                    "(or prune anyway with --no-verify)."
                )
        try:
            pruned = prune(cutoff, label="manage.py prune_access_log", whole_months=report.ok)
        except (PruningError, DatabaseError) as error:
            raise CommandError(f"Nothing more was pruned: {error}") from None
        self.stdout.write(f"Pruned {pruned.rows} entries from before {before:%Y-%m-%d}.")
        if pruned.dropped:
            self.stdout.write(f"Whole months dropped: {', '.join(pruned.dropped)}.")
