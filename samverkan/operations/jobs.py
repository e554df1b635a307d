"""A periodic command's runs, recorded for monitoring: ``with recorded("send_reminders"):``.

A run that raises counts as failed (and the exception goes on, so the command still exits
non-zero); one that ends counts as succeeded. If the database is what failed, nothing can
be recorded: the last success then grows old, which is what to alert on."""

import logging
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from samverkan.operations.models import JobStatus

logger = logging.getLogger("samverkan.operations")


def _save(job: str, **fields) -> None:
    try:
        with transaction.atomic():
            JobStatus.objects.get_or_create(job=job)
            JobStatus.objects.filter(job=job).update(**fields)
    except DatabaseError:
        logger.exception("Could not record the run of %s", job)


@contextmanager
def recorded(job: str):
    _save(job, last_started=timezone.now())
    try:
        yield
    except Exception as error:
        _save(
            job,
            last_failed=timezone.now(),
            failures=F("failures") + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    _save(job, last_succeeded=timezone.now())
