"""Writing the access log: a request's entries, together, sealed into one hash chain.

Views queue entries with ``samverkan.permissions.record``; ``AccessLogMiddleware`` calls
``write_request`` once at the end of the request. Whatever the number of entries, that is
a fixed number of queries: the user's roles (usually already known to the request), then

- on PostgreSQL, in the common case, ONE statement: it moves the chain's head from where this
  process last left it (compare-and-set) and, only if it moved, inserts every row. A GET runs
  it in autocommit (one round trip and the commit's flush); a POST inside its transaction.
  If the head was not where the process thought (another process wrote to the chain, or a
  transaction rolled back), nothing is written: the head is read, the rows sealed again and
  the statement repeated, and after ``_ATTEMPTS`` tries the head is locked (SELECT … FOR
  UPDATE) instead;
- on SQLite (one writer at a time anyway, from BEGIN IMMEDIATE): the head read, one INSERT
  per 58 rows, the head moved, in one transaction.
"""

from __future__ import annotations

import secrets
import threading
from threading import get_native_id
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone, translation

from samverkan.audit import chain
from samverkan.audit.models import AccessLog, AccessLogChain
from samverkan.network import client_ip

# Longest value each text column takes; longer values are cut, never refused.
_LIMITS = {
    f.name: f.max_length
    for f in AccessLog._meta.get_fields()
    if getattr(f, "max_length", None) and f.name != "hash"
}


def role_label(user) -> str:
    """The user's roles as the log keeps them, in the service's default language whatever
    language the user reads (the standing itself is worked out once per request)."""
    from samverkan.organisations.standing import standing

    if translation.get_language() == settings.LANGUAGE_CODE:
        return standing(user).label
    with translation.override(settings.LANGUAGE_CODE):
        return "; ".join(standing(user).labels())[:300]


def _text(name: str, value) -> str:
    return str(value or "")[: _LIMITS[name]]


def entries_for(request, touches, *, status_code=None) -> list[AccessLog]:
    """Unsaved rows for the request's queued touches: who, role and address worked out once.

    A touch without its own status code gets the response's.
    """
    if not touches:
        return []
    user = request.user if request.user.is_authenticated else None
    common = {
        "user_id": user.pk if user else None,
        "user_label": _text("user_label", user.email if user else ""),
        "role": _text("role", role_label(user) if user else ""),
        "path": _text("path", request.get_full_path()),
        "method": _text("method", request.method),
        # A forwarded header can say anything; the log keeps only a real address.
        "ip_address": chain.normalise_ip(client_ip(request)),
    }
    return [
        AccessLog(
            **common,
            action=_text("action", touch.action),
            object_type=_text("object_type", touch.object_type),
            object_id=_text("object_id", touch.object_id),
            object_label=_text("object_label", touch.object_label),
            child_id=int(touch.child_id) if touch.child_id is not None else None,
            reason=_text("reason", touch.reason),
            status_code=touch.status_code if touch.status_code is not None else status_code,
        )
        for touch in touches
    ]


class _Head(NamedTuple):
    """A chain's head as a writer needs it (the MAC is recomputed from these)."""

    seq: int
    hash: str
    anchor_seq: int
    anchor_hash: str


# What this process knows of each chain's head, by (database alias, name, chain): the head
# its own last committed write left. Only a guess: the write checks it in the database.
_known: dict[tuple, _Head] = {}
_ATTEMPTS = 3  # compare-and-set tries before locking the head
_MOVE_ONE_IN = 4


class _Writer(threading.local):
    """The chain this process (this thread of it) writes to: its own, so that the head it
    remembers is usually still the chain's head. It starts from the thread's id, which for a
    process's main thread is the process id (workers started together get neighbouring ids,
    so different chains). A writer that finds that another wrote to its chain since its own
    last write there moves to another chain at random, one time in ``_MOVE_ONE_IN``: two
    writers that meet then usually part with one staying (if both always moved, writers as
    many as the chains would keep changing places). On arriving, what the writer remembers
    of its new chain is old news, not a sign of company."""

    ident = None
    base = 0
    last = None  # the chain of this writer's last committed write

    def chain(self) -> int:
        ident = get_native_id()
        if self.ident != ident:  # first use, or a process forked from one that wrote
            self.ident = self.base = ident
        return self.base % max(1, settings.ACCESS_LOG_CHAINS)

    def move(self) -> None:
        chains = max(1, settings.ACCESS_LOG_CHAINS)
        if chains > 1:
            self.base = self.base % chains + 1 + secrets.randbelow(chains - 1)


_writer = _Writer()


def append(entries: list[AccessLog]) -> list[AccessLog]:
    """Seal ``entries`` into this writer's chain and write them (see the module's docstring).

    Runs on its own (a GET: autocommit on PostgreSQL, a transaction of its own on SQLite), or
    inside the caller's transaction (a POST's change and its log entries then commit
    together). Raises DatabaseError if anything fails.

    This runs on every request, so it talks SQL directly: the ORM's query building cost
    more than the database's work (see bench/access_log_cost.py).
    """
    if not entries:
        return entries
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy: a hot path
    sealer = chain.sealer()
    number = _writer.chain()
    if db.vendor != "postgresql":
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            head = _read_head(cursor, number, sealer, lock=True)
            new = _seal(entries, number, head, sealer)
            _write(db, cursor, entries, [new.seq, new.hash, _mac(sealer, number, new), number])
        return entries
    key = (db.alias, db.settings_dict["NAME"], number)
    head, new, moved_by_others = _known.get(key), None, False
    settled = _writer.last == number
    with db.cursor() as cursor:
        for attempt in range(1, _ATTEMPTS + 1):
            if head is None:
                head = _read_head(cursor, number, sealer)
            new = _move_and_insert(db, cursor, number, head, entries, sealer)
            if new is not None or attempt == _ATTEMPTS:
                break
            # Not where this process thought: nothing was written. Read it and try again.
            stale, head = head, _read_head(cursor, number, sealer)
            moved_by_others = moved_by_others or head.seq > stale.seq
    if new is None:  # others keep moving it: wait for the head instead
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            head = _read_head(cursor, number, sealer, lock=True)
            new = _move_and_insert(db, cursor, number, head, entries, sealer)
        if new is None:
            raise DatabaseError("The access log's chain head moved while it was locked.")

    def remember(new=new):
        _known[key] = new
        _writer.last = number
        if moved_by_others and settled and secrets.randbelow(_MOVE_ONE_IN) == 0:
            _writer.move()

    # Once the rows are committed (at once for a GET): a rolled-back write leaves no trace.
    transaction.on_commit(remember, using=db.alias)
    return entries


def _seal(entries: list[AccessLog], number: int, head: _Head, sealer: chain.Sealer) -> _Head:
    """Number and hash ``entries`` after ``head``; the head they make."""
    now = timezone.now()
    seq, previous = head.seq, head.hash
    for entry in entries:
        seq += 1
        entry.chain, entry.seq, entry.at = number, seq, now
        entry.hash = previous = sealer.row(previous, chain.values_of(entry))
    return head._replace(seq=seq, hash=previous)


def _mac(sealer: chain.Sealer, number: int, head: _Head) -> str:
    return sealer.head(number, head.seq, head.hash, head.anchor_seq, head.anchor_hash)


# The statements, built once from the models' table and column names (values are always
# parameters).
_quote = connection.ops.quote_name
_LOG = _quote(AccessLog._meta.db_table)
_HEADS = _quote(AccessLogChain._meta.db_table)
_PK = _quote(AccessLog._meta.pk.column)
_FIELDS = [f for f in AccessLog._meta.concrete_fields if not f.primary_key]
_COLUMNS = ", ".join(_quote(f.column) for f in _FIELDS)
_INSERT = f"INSERT INTO {_LOG} ({_COLUMNS}) VALUES "  # noqa: S608
_ROW = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"
_READ_HEAD = f"SELECT seq, hash, anchor_seq, anchor_hash FROM {_HEADS} WHERE chain = %s"  # noqa: S608
_LOCK_HEAD = _READ_HEAD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
_MOVE_HEAD = f"UPDATE {_HEADS} SET seq = %s, hash = %s, mac = %s WHERE chain = %s"  # noqa: S608
# PostgreSQL: move the head only if it is still where the writer read it (the anchor too:
# pruning moves it), and insert the rows only if it moved; the rows come back with their ids.
_MOVE_AND_INSERT = (
    f"WITH moved AS ({_MOVE_HEAD} AND seq = %s AND hash = %s AND anchor_seq = %s "  # noqa: S608
    f"AND anchor_hash = %s RETURNING 1) INSERT INTO {_LOG} ({_COLUMNS}) SELECT * FROM unnest("
    # One array per column, whatever the number of rows: the statement's text never changes
    # (the driver parses it once per process) and a page that logs fifty records sends
    # sixteen parameters, not eight hundred. Texts as text: no silent cut.
    + ", ".join(
        "%s::" + ("text" if f.get_internal_type() == "CharField" else f.db_type(connection)) + "[]"
        for f in _FIELDS
    )
    + f") AS v WHERE EXISTS (SELECT 1 FROM moved) RETURNING {_PK}, {_quote('seq')}"  # noqa: S608
)


def _read_head(cursor, number: int, sealer: chain.Sealer, *, lock=False) -> _Head:
    cursor.execute(_LOCK_HEAD if lock else _READ_HEAD, [number])
    row = cursor.fetchone()
    if row is None:  # the chain's first row ever (two writers may race here: one wins)
        new = AccessLogChain(chain=number)
        new.mac = sealer.head_of(new)
        AccessLogChain.objects.bulk_create([new], ignore_conflicts=True)
        cursor.execute(_LOCK_HEAD if lock else _READ_HEAD, [number])
        row = cursor.fetchone()
    return _Head(*row)


def _prepare() -> list:
    return [(f.attname, f.get_db_prep_save) for f in _FIELDS]


def _params(db, entries: list[AccessLog]) -> list:
    prepare = _prepare()
    return [prep(getattr(entry, name), db) for entry in entries for name, prep in prepare]


def _saved(db, entry: AccessLog, pk) -> None:
    entry.pk, entry._state.adding, entry._state.db = pk, False, db.alias


def _move_and_insert(db, cursor, number, head: _Head, entries, sealer) -> _Head | None:
    """PostgreSQL: seal ``entries`` after ``head`` and write them in one statement if the
    chain's head is still ``head``; the new head, or None (and nothing written) if it was
    not. A head that was not there is no error: a caller's transaction goes on unharmed."""
    new = _seal(entries, number, head, sealer)
    move = [new.seq, new.hash, _mac(sealer, number, new), number, *head]
    columns = [[prep(getattr(entry, name), db) for entry in entries] for name, prep in _prepare()]
    cursor.execute(_MOVE_AND_INSERT, move + columns)
    ids = {seq: pk for pk, seq in cursor.fetchall()}
    if not ids:
        return None
    for entry in entries:
        _saved(db, entry, ids[entry.seq])
    return new


def _write(db, cursor, entries: list[AccessLog], move_head: list) -> None:
    """SQLite: INSERT the rows, as many per statement as the database takes parameters
    (58), give each its id, and move the head."""
    per_statement = len(entries)
    if db.features.max_query_params:
        per_statement = max(1, db.features.max_query_params // len(_FIELDS))
    returning = db.features.can_return_rows_from_bulk_insert
    for start in range(0, len(entries), per_statement):
        batch = entries[start : start + per_statement]
        insert = _INSERT + ", ".join([_ROW] * len(batch))
        if returning:
            cursor.execute(insert + f" RETURNING {_PK}", _params(db, batch))
            ids = [pk for (pk,) in cursor.fetchall()]
        else:
            cursor.execute(insert, _params(db, batch))
            ids = [None] * len(batch)
        for entry, pk in zip(batch, ids, strict=True):
            _saved(db, entry, pk)
    cursor.execute(_MOVE_HEAD, move_head)


def write_request(request, touches, *, status_code=None) -> list[AccessLog]:
    """Write the request's queued entries (the middleware calls this once per request)."""
    return append(entries_for(request, touches, status_code=status_code))
