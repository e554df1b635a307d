"""Retention: ``manage.py prune_access_log --before YYYY-MM-DD``.

The only way rows leave the access log. Deletes, in one transaction, every chain's rows from
before the date (whole days, Stockholm time), keeps the last deleted row's seq and hash as the
chain's anchor so that ``verify_access_log`` still verifies what is left, and logs the pruning
itself. On PostgreSQL the transaction sets ``samverkan.retention`` to get past the trigger
that otherwise refuses DELETE on the log.

The log is verified first: pruning would destroy the evidence of a tampered row, so a log
that does not verify is not pruned (``--no-verify`` prunes anyway; the problems are printed).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from samverkan.audit.chain import Sealer, verify_log
from samverkan.audit.logging import append
from samverkan.audit.models import AccessLog, AccessLogChain


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
        sealer = Sealer()
        deleted = 0
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL samverkan.retention = 'on'")
            for head in AccessLogChain.objects.select_for_update().order_by("chain"):
                deleted += self._prune(head, cutoff, sealer)
            if deleted:
                entry = AccessLog(
                    user_label="manage.py prune_access_log",
                    action=AccessLog.Action.CHANGE,
                    object_type=AccessLog._meta.label_lower,
                    reason=f"Gallrade åtkomstloggen: {deleted} poster före {before:%Y-%m-%d}",
                )
                append([entry])
        self.stdout.write(f"Pruned {deleted} entries from before {before:%Y-%m-%d}.")

    def _prune(self, head, cutoff, sealer) -> int:
        """Delete the chain's rows up to the last one before ``cutoff`` (a contiguous start of
        the chain, so the rest still links to the anchor); returns how many."""
        rows = AccessLog.objects.filter(chain=head.chain)
        first_kept = (
            rows.filter(seq__gt=head.anchor_seq, at__gte=cutoff)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        last = first_kept - 1 if first_kept is not None else head.seq
        if last <= head.anchor_seq:
            return 0
        anchor_hash = rows.filter(seq=last).values_list("hash", flat=True).first()
        if anchor_hash is None:
            raise CommandError(
                f"Chain {head.chain}: row seq {last} is missing; run verify_access_log."
            )
        deleted, _ = rows.filter(seq__lte=last).delete()
        head.anchor_seq, head.anchor_hash, head.pruned_before = last, anchor_hash, cutoff
        head.mac = sealer.head_of(head)
        head.save(update_fields=["anchor_seq", "anchor_hash", "pruned_before", "mac"])
        return deleted
