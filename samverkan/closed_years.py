"""Numbers for closed years, computed once.

A year that has ended changes only by a late change: a report dated that year sent in now,
a case from December whose meeting is held in January, a correction. So the reports keep
what they computed for periods that lie wholly in closed years, in the shared cache (the
database cache in production: every app server sees the same entries), under a key that
carries a *generation* for each year the period covers. A write that touches a year moves
that year's generation on (``touch``, called by the signal receivers in
``governance.freshness``), and the next reader computes anew; ``touch_all`` (the command
``recompute_reports``) moves every year on. Periods reaching into the current year are
computed from indexed aggregate queries; those that do not depend on today's date (the
deviation compilation) are also kept, for a few minutes at most.
"""

import datetime
import hashlib

from django.core.cache import cache
from django.utils import timezone, translation

PREFIX = "closed-years"
ALL = "all"  # a generation every key carries: structure changes (areas, categories) move it
OPEN_FOR = 300  # seconds an open period's timeless numbers are kept at most


def is_closed(date_to: datetime.date, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return date_to < datetime.date(today.year, 1, 1)


def _generation_key(year) -> str:
    return f"{PREFIX}:generation:{year}"


def touch(*years) -> None:
    """A write changed something dated in ``years``: their numbers are computed anew."""
    for year in {y for y in years if y is not None}:
        key = _generation_key(year)
        try:
            cache.incr(key)
        except ValueError:  # not there yet (or evicted): any new value differs from none
            cache.set(key, timezone.now().timestamp(), None)


def touch_all() -> None:
    touch(ALL)


def remember(
    name: str,
    date_from: datetime.date,
    date_to: datetime.date,
    params,
    compute,
    *,
    timeless: bool = False,
):
    """``compute()``, kept for a closed period until one of its years is touched.

    ``params`` (anything with a stable ``repr``) tells apart what else the numbers depend
    on; the active language is part of the key, as labels are translated when computed.
    ``timeless`` numbers (which depend on the records only, not on today's date) are kept
    for an open period too, touched by the same writes, and for at most ``OPEN_FOR``
    seconds in case a write went past the receivers."""
    closed = is_closed(date_to)
    if not closed and not timeless:
        return compute()
    years = [ALL, *range(date_from.year, date_to.year + 1)]
    generations = cache.get_many([_generation_key(year) for year in years])
    stamp = ",".join(str(generations.get(_generation_key(year), 0)) for year in years)
    digest = hashlib.sha256(
        repr((name, date_from, date_to, params, translation.get_language(), stamp)).encode()
    ).hexdigest()
    key = f"{PREFIX}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, None if closed else OPEN_FOR)
    return value
