"""The background task that builds an export, and the registry of builders by kind.

django-tasks (0.12) does not retry a task that failed (RealOrangeOne/django-tasks#114, and
django/new-features#142 proposes it for Django), so the task does it itself: a build that
raises is queued again, ``MAX_ATTEMPTS`` builds in all, then the export is marked failed and
the person who asked is told. A build whose worker died stays "running";
``requeue_stale`` (``manage.py requeue_stale_exports``, every few minutes) queues it again,
the dead build counted as an attempt.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = datetime.timedelta(minutes=15)  # a build takes seconds; this one's worker died
RETRY_DELAY = datetime.timedelta(seconds=30)  # times the attempt, where the backend can wait


@dataclass
class Built:
    content: bytes
    file_name: str
    content_type: str


# kind -> function(export) -> Built; apps register theirs in AppConfig.ready().
BUILDERS: dict[str, Callable] = {}


def register(kind: str, builder: Callable) -> None:
    BUILDERS[kind] = builder


@task()
def build_export(export_id: str) -> str:
    from samverkan.exports.models import Export

    # Claim it: of two tasks for one export (a retry beside a late first run), one builds.
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now()
    )
    if not claimed:
        return ""
    export = Export.objects.defer("content").select_related("requested_by").get(pk=export_id)
    try:
        built = BUILDERS[export.kind](export)
    except Exception as error:
        logger.exception(
            "Export %s (%s) failed, attempt %s", export.pk, export.kind, export.attempts
        )
        # A refusal (the person lost the right meanwhile) is not tried again.
        if isinstance(error, PermissionDenied) or export.attempts >= MAX_ATTEMPTS:
            fail(export, type(error).__name__)
        else:
            retry(export, type(error).__name__)
        raise
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.READY,
        content=built.content,
        file_name=built.file_name,
        content_type=built.content_type,
        error="",
        finished_at=timezone.now(),
    )
    return str(export.pk)


def enqueue(export_id) -> None:
    """Build it once the current transaction has committed (so the worker finds the row)."""
    transaction.on_commit(lambda: build_export.enqueue(str(export_id)))


def retry(export, error: str) -> bool:
    """Queue a running export again (after ``error``): a little later where the backend can
    wait, at once otherwise."""
    from samverkan.exports.models import Export

    queued = Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING).update(
        status=Export.Status.QUEUED, error=error[:1000]
    )
    if not queued:
        return False
    backend_task = build_export
    if build_export.get_backend().supports_defer:
        delay = RETRY_DELAY * max(export.attempts, 1)
        backend_task = build_export.using(run_after=timezone.now() + delay)
    transaction.on_commit(lambda: backend_task.enqueue(str(export.pk)))
    return True


def fail(export, error: str) -> bool:
    """Give up on a running export and tell the person who asked (once)."""
    from samverkan.exports.models import Export
    from samverkan.notifications.service import notify

    failed = Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING).update(
        status=Export.Status.FAILED, error=error[:1000], finished_at=timezone.now()
    )
    if not failed:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        # Names no file, no period and no person: the page behind the link says which.
        text = _("En fil som du beställde kunde inte skapas. Öppna länken för att försöka igen.")
    notify([export.requested_by], text, export.get_absolute_url(), about=export)
    return True


def requeue_stale(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Exports "running" for longer than ``STALE_AFTER``, whose worker died: queued again, or
    failed (and the person told) when that was the last attempt. Returns (queued, failed)."""
    from samverkan.exports.models import Export

    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = (
        Export.objects.defer("content")
        .select_related("requested_by")
        .filter(
            Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff),
            status=Export.Status.RUNNING,
        )
    )
    queued = failed = 0
    for export in stale:
        logger.warning("Export %s (%s) ran past %s", export.pk, export.kind, STALE_AFTER)
        if export.attempts >= MAX_ATTEMPTS:
            failed += fail(export, "WorkerLost")
        else:
            queued += retry(export, "WorkerLost")
    return queued, failed
