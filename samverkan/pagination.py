import datetime

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext as _

GAP = None  # in ``page_numbers``: pages left out (shown as "…")


def page_numbers(current: int, total: int, on_each_side: int = 2) -> list[int | None]:
    """The page numbers to show for page ``current`` of ``total``: the first and the last,
    and ``on_each_side`` around the current one; ``GAP`` (None) where two or more pages are
    left out. A single page left out is shown instead of a "…" that would hide only it
    (Django's ``get_elided_page_range`` writes "1 … 3")."""
    shown = {1, total, *range(current - on_each_side, current + on_each_side + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= total)
    out: list[int | None] = []
    last = 0
    for n in numbers:
        if n - last == 2:
            out.append(n - 1)
        elif n - last > 2:
            out.append(GAP)
        out.append(n)
        last = n
    return out


def paginate(request, queryset, per_page: int | None = None):
    """The page asked for by ``?sida=N`` (the last page if N is too large), with
    ``page.numbers``: page numbers to show, with None for gaps (``page_numbers``)."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("sida"))
    page.numbers = page_numbers(page.number, paginator.num_pages)
    return page


def paginate_then_load(request, ids, records, per_page: int | None = None):
    """``paginate`` over ``ids`` (primary keys in the order shown, from the filtering
    tables alone), then ``records`` (a queryset with what the page shows, joined) for that
    page only. Joined to what they show, PostgreSQL would rather walk every row of a big
    table in the shown order than find the few thousand that match."""
    page = paginate(request, ids, per_page)
    found = records.in_bulk(list(page.object_list))
    # (A record deleted between the two queries is left out, not an error.)
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    return page


# --- Keyset (cursor) pagination ---------------------------------------------------------------
# For lists too long to count or to skip through with OFFSET (the access log: tens of
# millions of rows). Newest first by (key, pk); a page is found from the row before it through
# an index on (filter columns..., key, id), so every page costs the same however deep it is.
# The links carry an opaque cursor, the key and pk of the row to continue from, signed so
# that a cursor that was not handed out (edited, cut short) is noticed and answered with the
# first page rather than an error.

OLDER, NEWER, OLDEST = "fore", "efter", "sista"
CURSORS = (OLDER, NEWER)
CURSOR_SALT = "samverkan.pagination.keyset"
# A list split into parts (one per person, say) is merged in one query by UNION ALL when
# there are at most this many parts; beyond that the database reads the whole list instead.
MAX_PARTS = 20


class KeysetPage:
    """One page of rows, newest first, with the cursors for the pages next to it.

    ``has_newer`` / ``has_older``: whether the "Nyare" / "Äldre" links are shown;
    ``newer`` / ``older``: their cursors; ``is_newest`` / ``is_oldest``: whether this is
    the first / the last page. ``count`` is the number of rows when it was cheap to know
    (at most ``count_limit``), else None; ``count_more`` says there are more than the limit.
    """

    def __init__(self, rows, *, has_newer, has_older, key, count=None, count_limit=None):
        self.object_list = rows
        self.has_newer = has_newer and bool(rows)
        self.has_older = has_older and bool(rows)
        self.key = key
        self.newer = self.cursor(rows[0]) if self.has_newer else None
        self.older = self.cursor(rows[-1]) if self.has_older else None
        self.count = count
        self.count_limit = count_limit
        self.count_more = count is None and count_limit is not None

    @property
    def is_newest(self) -> bool:
        return not self.has_newer

    @property
    def is_oldest(self) -> bool:
        return not self.has_older

    def has_other_pages(self) -> bool:
        return self.has_newer or self.has_older

    def cursor(self, row) -> str:
        return make_cursor(getattr(row, self.key), row.pk)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)


def make_cursor(moment: datetime.datetime, pk: int) -> str:
    utc = moment.astimezone(datetime.UTC)
    return signing.Signer(salt=CURSOR_SALT).sign(f"{utc:%Y%m%dT%H%M%S.%f}Z_{pk}")


def read_cursor(value: str) -> tuple[datetime.datetime, int] | None:
    """The (moment, pk) a cursor made by ``make_cursor`` names; None for anything else."""
    try:
        moment, pk = signing.Signer(salt=CURSOR_SALT).unsign(value).split("_")
        moment = datetime.datetime.strptime(moment, "%Y%m%dT%H%M%S.%fZ")
        return moment.replace(tzinfo=datetime.UTC), int(pk)
    except (signing.BadSignature, ValueError):
        return None


def _after(queryset, key: str, moment, pk: int, *, older: bool):
    """Rows strictly older (or newer) than (moment, pk) in (key, pk) order. The redundant
    ``key <= moment`` lets the database start its index scan at the cursor."""
    if older:
        return queryset.filter(
            Q(**{f"{key}__lte": moment}),
            Q(**{f"{key}__lt": moment}) | Q(**{key: moment, "pk__lt": pk}),
        )
    return queryset.filter(
        Q(**{f"{key}__gte": moment}),
        Q(**{f"{key}__gt": moment}) | Q(**{key: moment, "pk__gt": pk}),
    )


def _slice(queryset, parts, key: str, limit: int, *, older: bool, cursor=None):
    """The first ``limit`` rows of ``queryset``, going older (newest first) or newer (oldest
    first), after ``cursor`` if given. With ``parts`` (querysets whose rows together are the
    queryset's, each one read in order through an index: one person's entries, say), the
    pks are found by merging the parts' first rows (UNION ALL), then the rows read by pk."""
    order = [f"-{key}", "-pk"] if older else [key, "pk"]

    def narrowed(qs):
        return _after(qs, key, *cursor, older=older) if cursor else qs

    if parts and 1 < len(parts) <= MAX_PARTS:
        first, *rest = [
            narrowed(part).order_by(*order).values_list("pk", key)[:limit] for part in parts
        ]
        pks = [pk for pk, _ in first.union(*rest, all=True).order_by(*order)[:limit]]
        return list(queryset.filter(pk__in=pks).order_by(*order))
    return list(narrowed(queryset).order_by(*order)[:limit])


def keyset_page(
    request,
    queryset,
    *,
    key: str = "at",
    per_page: int | None = None,
    parts=None,
    count_up_to: int | None = None,
) -> KeysetPage:
    """The page of ``queryset`` (newest first by ``key`` and then pk) that the request asks
    for: ``?fore=<cursor>`` the rows older than the cursor's, ``?efter=<cursor>`` the rows
    newer than it, ``?sista=1`` the oldest rows; without these (or with an old ``?sida=N``)
    the newest. A cursor that is not one this function made gives the newest rows and a
    message. ``key`` is a date-time field; together with pk it orders the rows completely.

    ``parts``: see ``_slice``; only PostgreSQL (and the like) can order and limit each part
    of a UNION, so elsewhere the queryset is read as it is. ``count_up_to``: count the rows,
    but at most this many (``page.count`` None beyond that), so that a long list is never
    counted through."""
    per_page = per_page or settings.PAGE_SIZE
    if not connections[queryset.db].features.supports_slicing_ordering_in_compound:
        parts = None
    direction, cursor = (OLDEST if request.GET.get(OLDEST) else None), None
    for name in CURSORS:
        if request.GET.get(name):
            cursor = read_cursor(request.GET[name])
            direction = name if cursor else None
            if cursor is None:
                messages.warning(
                    request,
                    _("Länken till sidan var inte giltig. Här är den första sidan (nyast)."),
                )
            break

    limit = per_page + 1  # one more, to know whether there is another page
    if direction in (NEWER, OLDEST):  # read oldest first, shown newest first
        rows = _slice(queryset, parts, key, limit, older=False, cursor=cursor)
        has_newer, has_older = len(rows) > per_page, direction == NEWER
        rows = rows[:per_page][::-1]
    else:
        rows = _slice(queryset, parts, key, limit, older=True, cursor=cursor)
        has_newer, has_older = direction == OLDER, len(rows) > per_page
        rows = rows[:per_page]

    count = None
    if count_up_to is not None:
        if not has_newer and not has_older:
            count = len(rows)  # the whole list is on this page
        else:
            counted = queryset.order_by()[: count_up_to + 1].count()
            count = counted if counted <= count_up_to else None
    return KeysetPage(
        rows,
        has_newer=has_newer,
        has_older=has_older,
        key=key,
        count=count,
        count_limit=count_up_to,
    )
