"""Removing old entries from the access log while every chain stays verifiable.

What goes is always a contiguous start of each chain: the chain's head then records the last
removed row's seq and hash as its anchor, from which ``verify_access_log`` goes on. Two ways,
used by ``prune_access_log`` and ``gallra``:

1. **Whole months** (PostgreSQL, a log that verifies): each monthly partition that lies
   wholly before the cutoff is dropped, oldest first, in one short transaction. Within a
   chain ``at`` is not strictly monotone in seq (processes seal with their own clock before
   they race for the head), so a partition may hold a few rows sealed after the first row
   of the same chain in a later month: those *stragglers* must stay, or the chain would
   have a hole. They are copied out of the partition before it is dropped and land in the
   default partition (their month has no partition any more), to go with a later run. A
   partition with more than ``STRAGGLERS_AT_MOST`` of them, or with a row no chain claims,
   is not dropped: the row delete below handles it.
2. **Row by row** (SQLite, the default partition, whatever the first way left): per chain,
   the rows up to the last one before the first kept row are deleted, in one transaction.

Each way writes an entry in the log saying what it removed, in the same transaction as the
removal. On PostgreSQL the transaction sets ``samverkan.retention`` to get past the trigger
that refuses DELETE; dropping a partition needs the role that owns the table (see README).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from samverkan.audit import partitions
from samverkan.audit.chain import Sealer
from samverkan.audit.logging import append
from samverkan.audit.models import AccessLog, AccessLogChain

STRAGGLERS_AT_MOST = 10_000
_COLUMNS = ", ".join(connection.ops.quote_name(f.column) for f in AccessLog._meta.concrete_fields)


class PruningError(Exception):
    pass


@dataclass
class Pruned:
    rows: int = 0  # every row removed, both ways
    dropped: list[str] = field(default_factory=list)  # the partitions dropped
    rows_in_partitions: int = 0


def prune(cutoff: datetime.datetime, *, label: str, whole_months: bool = True) -> Pruned:
    """Remove every chain's entries from before ``cutoff`` (a contiguous start of each
    chain). ``whole_months``: drop partitions (only for a log that has been verified)."""
    pruned = Pruned()
    sealer = Sealer()
    if whole_months and partitions.supported():
        _drop_months(cutoff, label, sealer, pruned)
    pruned.rows += _delete_rows(cutoff, label, sealer)
    return pruned


def _retention(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL samverkan.retention = 'on'")


def _note(label: str, reason: str) -> None:
    append(
        [
            AccessLog(
                user_label=label,
                action=AccessLog.Action.CHANGE,
                object_type=AccessLog._meta.label_lower,
                reason=reason[:300],
            )
        ]
    )


def _day(cutoff: datetime.datetime) -> str:
    return f"{timezone.localtime(cutoff):%Y-%m-%d}"


def _save_head(head, sealer, cutoff) -> None:
    head.pruned_before = cutoff
    head.mac = sealer.head_of(head)
    head.save(update_fields=["anchor_seq", "anchor_hash", "pruned_before", "mac"])


# --- whole months ------------------------------------------------------------------------
def _drop_months(cutoff, label, sealer, pruned: Pruned) -> None:
    months = [p for p in partitions.partitions() if p.end <= cutoff]
    if not months:
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        _retention(cursor)
        heads = list(AccessLogChain.objects.select_for_update().order_by("chain"))
        moved = set()
        for month in months:
            plan = _plan(cursor, month, heads)
            if plan is None:
                break  # this month and the later ones: row by row
            keep = " OR ".join(
                f"(chain = {head.chain} AND seq > {last})"
                for head, (last, _hash, kept) in plan.items()
                if kept
            )
            table = quote(month.name)
            cursor.execute(f"ALTER TABLE {partitions.TABLE} DETACH PARTITION {table}")
            if keep:  # into the default partition: the month has none now
                cursor.execute(
                    f"INSERT INTO {partitions.TABLE} ({_COLUMNS}) "  # noqa: S608
                    f"SELECT {_COLUMNS} FROM {table} WHERE {keep}"
                )
            cursor.execute(f"DROP TABLE {table}")
            for head, (last, digest, _kept) in plan.items():
                if last > head.anchor_seq:
                    pruned.rows_in_partitions += last - head.anchor_seq
                    head.anchor_seq, head.anchor_hash = last, digest
                    moved.add(head.chain)
            pruned.dropped.append(month.name)
        for head in heads:
            if head.chain in moved:
                _save_head(head, sealer, cutoff)
        if pruned.dropped:
            _note(
                label,
                f"Gallrade åtkomstloggen: {pruned.rows_in_partitions} poster före "
                f"{_day(cutoff)} (hela månader: {', '.join(pruned.dropped)})",
            )
    pruned.rows += pruned.rows_in_partitions


def _plan(cursor, month, heads) -> dict | None:
    """Per chain with rows in ``month``'s partition: (the last row that may go, its hash,
    how many of the partition's rows must stay); None if the partition cannot be dropped."""
    table = connection.ops.quote_name(month.name)
    cursor.execute(
        f"SELECT count(*) FROM {table} WHERE chain IS NULL OR seq IS NULL "  # noqa: S608
        "OR NOT (chain = ANY(%s))",
        [[head.chain for head in heads]],
    )
    if cursor.fetchone()[0]:
        return None  # a row no chain claims: the row delete leaves it be
    plan, stragglers = {}, 0
    for head in heads:
        cursor.execute(f"SELECT max(seq) FROM {table} WHERE chain = %s", [head.chain])  # noqa: S608
        top = cursor.fetchone()[0]
        if top is None:
            continue
        cursor.execute(
            f"SELECT min(seq) FROM {partitions.TABLE} WHERE chain = %s AND seq > %s "  # noqa: S608
            "AND (at < %s OR at >= %s)",
            [head.chain, head.anchor_seq, month.start, month.end],
        )
        first_elsewhere = cursor.fetchone()[0]
        last = top if first_elsewhere is None or first_elsewhere > top else first_elsewhere - 1
        digest = head.anchor_hash
        if last > head.anchor_seq:
            cursor.execute(
                f"SELECT hash FROM {table} WHERE chain = %s AND seq = %s",  # noqa: S608
                [head.chain, last],
            )
            row = cursor.fetchone()
            if row is None:
                return None  # a hole: verify_access_log names it
            digest = row[0]
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE chain = %s AND seq > %s",  # noqa: S608
            [head.chain, last],
        )
        kept = cursor.fetchone()[0]
        stragglers += kept
        plan[head] = (max(last, head.anchor_seq), digest, kept)
    if stragglers > STRAGGLERS_AT_MOST:
        return None
    return plan


# --- row by row --------------------------------------------------------------------------
def _delete_rows(cutoff, label, sealer) -> int:
    deleted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        _retention(cursor)
        for head in AccessLogChain.objects.select_for_update().order_by("chain"):
            deleted += _delete_chain_start(head, cutoff, sealer)
        if deleted:
            _note(label, f"Gallrade åtkomstloggen: {deleted} poster före {_day(cutoff)}")
    return deleted


def _delete_chain_start(head, cutoff, sealer) -> int:
    """Delete the chain's rows up to the last one before ``cutoff`` (a contiguous start of
    the chain, so the rest still links to the anchor); return how many."""
    rows = AccessLog.objects.filter(chain=head.chain)
    first_kept = (
        rows.filter(seq__gt=head.anchor_seq, at__gte=cutoff)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    last = first_kept - 1 if first_kept is not None else head.seq
    if last <= head.anchor_seq:
        return 0
    anchor_hash = rows.filter(seq=last).values_list("hash", flat=True).first()
    if anchor_hash is None:
        raise PruningError(f"Chain {head.chain}: row seq {last} is missing; run verify_access_log.")
    deleted, _ = rows.filter(seq__lte=last).delete()
    head.anchor_seq, head.anchor_hash = last, anchor_hash
    _save_head(head, sealer, cutoff)
    return deleted
