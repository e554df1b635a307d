"""The background task that builds an export, and the registry of builders by kind."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


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

    export = Export.objects.get(pk=export_id)
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING)
    try:
        built = BUILDERS[export.kind](export)
    except Exception:
        logger.exception("Export %s (%s) failed", export.pk, export.kind)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, finished_at=timezone.now()
        )
        raise
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.READY,
        content=built.content,
        file_name=built.file_name,
        content_type=built.content_type,
        finished_at=timezone.now(),
    )
    return str(export.pk)
