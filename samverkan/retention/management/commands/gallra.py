"""Retention (gallring): ``manage.py gallra [--dry-run] [--kind KIND ...]``.

Removes what the configured retention periods say may go, as the principals' document
management plans decide (README, "Retention"):

- closed forum cases (resolved, or decided by the steering group) and their protocols,
  ``RETENTION_FORUM_YEARS`` after they closed;
- closed SIPs, ``RETENTION_SIP_YEARS`` after they closed;
- resolved deviation reports, ``RETENTION_DEVIATION_YEARS`` after they were resolved;
- access-log entries older than ``RETENTION_ACCESS_LOG_MONTHS`` (whole months: on PostgreSQL
  by dropping the months' partitions; the log is verified first).

A kind whose period is unset is kept for ever. A period below its floor
(``RETENTION_MINIMUMS``) is refused before anything is touched. Never removed: an open case
or plan, one with a follow-up or decision ahead, one a consent in force is recorded for, one
that a kept record refers to (an agenda item, an assignment). ``--dry-run`` says what would
go and what stays, and changes nothing. A real run writes what it removed to the access log.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from samverkan.audit import partitions
from samverkan.audit.chain import verify_log
from samverkan.audit.models import AccessLog
from samverkan.audit.pruning import PruningError, prune
from samverkan.retention.gallring import LABEL, reference, remove, review
from samverkan.retention.kinds import ACCESS_LOG, KINDS


class Command(BaseCommand):
    help = (
        "Remove closed forum cases, closed SIPs, resolved deviation reports and access-log "
        "entries older than their configured retention periods (RETENTION_*). Run monthly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would go; change nothing"
        )
        parser.add_argument(
            "--kind",
            action="append",
            choices=[kind.key for kind in KINDS],
            help="only this kind (may be given more than once; default: every kind)",
        )

    def handle(self, *args, dry_run=False, kind=None, verbosity=1, **options):
        kinds = [k for k in KINDS if not kind or k.key in kind]
        configured = [k for k in kinds if k.period is not None]
        if not configured:
            names = ", ".join(k.setting for k in kinds)
            self.stdout.write(f"No retention period is set ({names}): everything is kept.")
            return
        too_short = [k for k in configured if k.period < k.minimum]
        if too_short:
            raise CommandError(
                "\n".join(
                    f"{k.setting} = {k.period} {k.unit} is a period shorter than the law "
                    f"allows: at least {k.minimum} {k.unit}."
                    for k in too_short
                )
                + "\nNothing was removed."
            )
        today = timezone.localdate()
        if ACCESS_LOG in configured and not dry_run:
            report = verify_log()
            if not report.ok:
                for problem in report.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    "The access log does not verify; nothing was removed. Investigate first "
                    "(prune_access_log --no-verify removes old entries anyway)."
                )
        try:
            for record_kind in configured:
                if record_kind is ACCESS_LOG:
                    self._access_log(today, dry_run)
                else:
                    self._records(record_kind, today, dry_run, verbosity)
        except (DatabaseError, PruningError) as error:
            raise CommandError(f"Stopped; what is reported above was done: {error}") from None

    def _records(self, kind, today, dry_run, verbosity):
        result = review(kind, today)
        removed = len(result.going) if dry_run else remove(result)
        parts = ", ".join(f"{n} {name}" for name, n in result.parts.items() if n)
        self.stdout.write(
            f"{kind.name}, closed before {timezone.localtime(result.cutoff):%Y-%m-%d} "
            f"(period {kind.period} {kind.unit}): {removed} "
            f"{'would go' if dry_run else 'removed'}{f' ({parts})' if parts else ''}, "
            f"{len(result.kept)} kept."
        )
        if verbosity >= 2:
            for record in result.going:
                self.stdout.write(f"  {'would go' if dry_run else 'removed'}: {reference(record)}")
        for record, why in result.kept:
            self.stdout.write(f"  kept: {reference(record)}: {why}")

    def _access_log(self, today, dry_run):
        cutoff = ACCESS_LOG.cutoff(today)
        day = f"{timezone.localtime(cutoff):%Y-%m-%d}"
        head = f"{ACCESS_LOG.name}, from before {day} (period {ACCESS_LOG.period} months)"
        if dry_run:
            months = [p.name for p in partitions.partitions() if p.end <= cutoff]
            count = AccessLog.objects.filter(at__lt=cutoff).count()
            self.stdout.write(
                f"{head}: {count} would go"
                + (f" (whole months: {', '.join(months)})" if months else "")
                + "."
            )
            return
        pruned = prune(cutoff, label=LABEL)
        self.stdout.write(
            f"{head}: {pruned.rows} removed"
            + (f" (whole months dropped: {', '.join(pruned.dropped)})" if pruned.dropped else "")
            + "."
        )
