"""Small helpers for writing the demo's history: moments on given days, and dates written
back over the fields Django fills in itself (``auto_now_add``) when a row is created."""

import datetime

from django.utils import timezone

DAY = datetime.timedelta(days=1)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def moment(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """``day`` at ``hour``:``minute``, Stockholm time; never later than now (a row written
    "today at four" in the morning would lie in the future), nor before the day began."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    if day < timezone.localdate():
        return at
    began = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))
    return min(at, max(timezone.now() - datetime.timedelta(minutes=5), began))


def backdate(model, rows: list, field: str, values: list) -> None:
    """Give each of ``rows`` (just created) its ``field`` from ``values``, in one query per
    batch: ``bulk_create`` and ``save`` set ``auto_now_add`` fields to now."""
    if not rows:
        return
    for row, value in zip(rows, values, strict=True):
        setattr(row, field, value)
    model.objects.bulk_update(rows, [field], batch_size=500)
