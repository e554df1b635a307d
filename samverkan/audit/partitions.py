"""The access log's monthly partitions (PostgreSQL; see migration 0006).

Each calendar month (in ``TIME_ZONE``) has its partition, ``audit_accesslog_YYYY_MM``; rows
of a month without one land in ``audit_accesslog_default``. ``ensure_ahead`` keeps the
coming months made (``manage.py access_log_partitions``, run daily by ``send_reminders``);
retention drops whole months (``audit.pruning``). On SQLite there are no partitions and
every function here does nothing.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

TABLE = "audit_accesslog"
DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 12
_NAME = re.compile(rf"^{TABLE}_(\d{{4}})_(\d{{2}})$")


def supported() -> bool:
    return connection.vendor == "postgresql"


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_start(month: datetime.date) -> datetime.datetime:
    """Midnight on the first of ``month``'s month, local time: where a partition begins."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(first_of_month(month), datetime.time.min, tzinfo=tz)


def name_of(month: datetime.date) -> str:
    return f"{TABLE}_{month:%Y_%m}"


@dataclass(frozen=True)
class Partition:
    name: str
    month: datetime.date  # the first of its month

    @property
    def start(self) -> datetime.datetime:
        return month_start(self.month)

    @property
    def end(self) -> datetime.datetime:
        return month_start(add_months(self.month, 1))


def partitions() -> list[Partition]:
    """The monthly partitions there are, oldest first (not the default one)."""
    if not supported():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    found = []
    for name in names:
        match = _NAME.match(name)
        if match:
            found.append(Partition(name, datetime.date(int(match[1]), int(match[2]), 1)))
    return sorted(found, key=lambda p: p.month)


def ensure(first: datetime.date, last: datetime.date) -> list[str]:
    """Make the partitions of every month from ``first``'s to ``last``'s that is missing
    (rows of such a month already in the default partition move into it); return the
    names made."""
    if not supported():
        return []
    made = []
    month = first_of_month(first)
    with connection.cursor() as cursor:
        while month <= last:
            cursor.execute(
                "SELECT samverkan_access_log_partition(%s, %s)", [month, settings.TIME_ZONE]
            )
            (name,) = cursor.fetchone()
            if name:
                made.append(name)
            month = add_months(month, 1)
    return made


def ensure_ahead(months: int = MONTHS_AHEAD, today: datetime.date | None = None) -> list[str]:
    """Partitions for this month and the ``months`` after it."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return ensure(today, add_months(today, months))


def default_rows() -> int:
    """Rows in the default partition: none, as long as the months ahead are kept."""
    if not supported():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT}")  # noqa: S608 (our own table)
        return cursor.fetchone()[0]
