"""Reviewing and removing one kind of closed record (the access log: ``audit.pruning``).

``review`` sorts a kind's closed records that closed before the cutoff into those that go
and those that stay (with why); ``remove`` deletes the first, each with what the models
delete with it (a forum case's protocols, a plan's versions and follow-ups, a report's
events and actions), the consents recorded for it (and their scanned files, once the
deletion has committed) and the notifications about it, and writes to the access log: one
entry per record (so that a child's log extract shows that the case or plan was removed)
and one with the counts, in the same transaction as the deletion.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from samverkan.audit.logging import append
from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.notifications.models import Notification
from samverkan.retention.kinds import RecordKind

LABEL = "manage.py gallra"
# What goes with the records, as the access log's note says it.
LOG_WORDS = {"protocols": "protokoll", "versions": "planversioner", "consents": "samtycken"}


@dataclass
class Review:
    kind: RecordKind
    cutoff: datetime.datetime
    going: list = field(default_factory=list)
    kept: list[tuple[object, str]] = field(default_factory=list)  # (record, why)
    parts: dict[str, int] = field(default_factory=dict)  # what goes with them, counted


def reference(record) -> str:
    return getattr(record, "reference", None) or f"{record._meta.model_name} {record.pk}"


def _referred_by(record) -> str | None:
    """What kept record refers to it with PROTECT (or RESTRICT), as the deletion would find."""
    collector = Collector(using=router.db_for_write(type(record)))
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError) as error:
        found = getattr(error, "protected_objects", None) or error.restricted_objects
        names = sorted({str(type(obj)._meta.verbose_name) for obj in found})
        return "referred to by: " + ", ".join(names)
    return None


def review(kind: RecordKind, today: datetime.date) -> Review:
    cutoff = kind.cutoff(today)
    result = Review(kind, cutoff)
    for record in kind.candidates(cutoff):
        if kind.closed_at(record) >= cutoff:
            continue  # closed too recently: not this kind's business yet
        consent = Consent.objects.for_purpose(record).valid(today).order_by("-valid_until").first()
        why = (
            kind.still_needed(record, today)
            or (consent and f"a consent for it is in force until {consent.valid_until:%Y-%m-%d}")
            or _referred_by(record)
        )
        if why:
            result.kept.append((record, why))
            continue
        result.going.append(record)
        parts = {**kind.parts(record), "consents": Consent.objects.for_purpose(record).count()}
        for name, count in parts.items():
            result.parts[name] = result.parts.get(name, 0) + count
    return result


def _delete_file_later(document) -> None:
    if document:
        transaction.on_commit(lambda: document.delete(save=False))


def remove(result: Review) -> int:
    """Delete the records ``review`` found going; return how many went."""
    if not result.going:
        return 0
    kind, day = result.kind, f"{timezone.localtime(result.cutoff):%Y-%m-%d}"
    entries = []
    with transaction.atomic():
        for record in result.going:
            for consent in Consent.objects.for_purpose(record):
                _delete_file_later(consent.document)
                consent.delete()
            about = f"{record._meta.label_lower}:{record.pk}"
            Notification.objects.filter(about=about).delete()
            entries.append(
                AccessLog(
                    user_label=LABEL,
                    action=AccessLog.Action.CHANGE,
                    object_type=record._meta.label_lower,
                    object_id=str(record.pk),
                    object_label=reference(record),
                    child_id=getattr(record, "child_id", None),
                    reason=f"Gallrad: avslutad före {day}",
                )
            )
            record.delete()
        parts = ", ".join(f"{n} {LOG_WORDS[name]}" for name, n in result.parts.items() if n)
        entries.append(
            AccessLog(
                user_label=LABEL,
                action=AccessLog.Action.CHANGE,
                object_type=kind.model._meta.label_lower,
                reason=(
                    f"Gallring: {len(result.going)} {kind.log_name}"
                    + (f" ({parts})" if parts else "")
                    + f" avslutade före {day}"
                )[:300],
            )
        )
        append(entries)
    return len(result.going)
