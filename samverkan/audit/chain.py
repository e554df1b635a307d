"""The access log's hash chains: how a row is sealed, and how the seals are checked.

Each row belongs to one of ``ACCESS_LOG_CHAINS`` chains and has a sequence number in it.
Its ``hash`` is

    HMAC-SHA256(AUDIT_LOG_KEY, previous row's hash + "\\n" + canonical(row))

where ``canonical`` is a JSON array of every stored field but the id and the hash itself
(``HASHED_FIELDS``: chain, seq, the moment, the user, what was done to which record, why,
the request and the answer). The first row of a chain follows the empty string, or, once
old rows have been pruned, the anchor kept in the chain's head.

Changing a field of a row breaks its hash; deleting a row leaves a gap in the sequence;
a row written by anyone but the application fits nowhere, since its hash needs the key,
which is not in the database. The head of each chain carries an HMAC too, so that removing
the last rows and moving the head back shows as well.

The chain is evidence only against someone who has the database but not the key: keep
``AUDIT_LOG_KEY`` apart from the database (and never change it, or old rows no longer
verify).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models

# Every stored field of AccessLog except ``id`` and ``hash``, in a fixed order. Changing
# this list (or ``canonical``) makes every existing row fail verification: don't.
HASHED_FIELDS = (
    "chain",
    "seq",
    "at",
    "user_id",
    "user_label",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "child_id",
    "reason",
    "path",
    "method",
    "status_code",
    "ip_address",
)
_AT = HASHED_FIELDS.index("at")
_IP = HASHED_FIELDS.index("ip_address")


def key() -> bytes:
    return settings.AUDIT_LOG_KEY.encode()


@functools.lru_cache(maxsize=4096)
def normalise_ip(value) -> str | None:
    """One spelling per address, whatever the database gives back (PostgreSQL's inet
    shortens IPv6 its own way); None for anything that is not an address."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def canonical(values: Sequence) -> bytes:
    """The row as the hash sees it: values in ``HASHED_FIELDS`` order, the moment in UTC
    with microseconds, the address normalised, texts as stored."""
    values = list(values)
    at = values[_AT]
    if isinstance(at, datetime.datetime):
        values[_AT] = at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    values[_IP] = normalise_ip(values[_IP])
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


class Sealer:
    """Computes row hashes and head MACs with one key (the HMAC state is prepared once)."""

    def __init__(self, secret: bytes | None = None):
        self._base = hmac.new(secret if secret is not None else key(), digestmod=hashlib.sha256)

    def _mac(self, message: bytes) -> str:
        h = self._base.copy()
        h.update(message)
        return h.hexdigest()

    def row(self, previous: str, values: Sequence) -> str:
        return self._mac(previous.encode("ascii") + b"\n" + canonical(values))

    def head(self, chain: int, seq: int, last: str, anchor_seq: int, anchor_hash: str) -> str:
        message = json.dumps(["head", chain, seq, last, anchor_seq, anchor_hash])
        return self._mac(message.encode())

    def head_of(self, head) -> str:
        return self.head(head.chain, head.seq, head.hash, head.anchor_seq, head.anchor_hash)


@functools.lru_cache(maxsize=4)
def _sealer_for(secret: bytes) -> Sealer:
    return Sealer(secret)


def sealer() -> Sealer:
    """The Sealer for the configured key (prepared once per process)."""
    return _sealer_for(key())


def values_of(entry) -> list:
    """An unsaved AccessLog's values in ``HASHED_FIELDS`` order."""
    return [getattr(entry, name) for name in HASHED_FIELDS]


# --- verification ---------------------------------------------------------------------------
EDITED, DELETED, INSERTED, HEAD = "edited", "deleted", "inserted", "head changed"


@dataclass
class Problem:
    chain: int | None
    kind: str
    row_id: int | None
    seq: int | None
    detail: str

    def __str__(self) -> str:
        where = f"chain {self.chain}" if self.chain is not None else "no chain"
        row = f", row id {self.row_id}" if self.row_id is not None else ""
        if self.seq is not None:
            row += f" (seq {self.seq})"
        return f"{where}: {self.kind.upper()}{row}: {self.detail}"


@dataclass
class _Walk:
    """Follows one chain row by row and keeps its first problem."""

    chain: int
    head: object | None  # AccessLogChain, or None when rows name a chain without a head
    sealer: Sealer
    rows: int = 0
    problem: Problem | None = None
    expected: int = 1
    previous: str = ""
    pending: tuple | None = None  # a row whose hash did not fit: decided by what follows
    last_seq: int = 0
    head_ok: bool = field(default=False)

    def __post_init__(self):
        if self.head is not None:
            self.expected = self.head.anchor_seq + 1
            self.previous = self.head.anchor_hash
            self.last_seq = self.head.anchor_seq
            self.head_ok = hmac.compare_digest(self.head.mac, self.sealer.head_of(self.head))

    def fail(self, kind, row_id, seq, detail):
        self.problem = Problem(self.chain, kind, row_id, seq, detail)

    def feed(self, row_id: int, stored: str, values: Sequence) -> None:
        self.rows += 1
        if self.problem is not None:
            return
        seq = values[1]
        if self.pending is not None:
            self._decide(follower=(row_id, stored, values))
            return
        if self.head is None:
            self.fail(INSERTED, row_id, seq, "the row names a chain that has no head")
        elif seq <= self.head.anchor_seq:
            self.fail(
                INSERTED,
                row_id,
                seq,
                f"the row lies before the chain's anchor (seq {self.head.anchor_seq}): "
                "those rows were pruned",
            )
        elif seq > self.head.seq:
            self.fail(
                INSERTED,
                row_id,
                seq,
                f"the row comes after the chain's recorded head (seq {self.head.seq})",
            )
        elif seq > self.expected:
            missing = (
                f"seq {self.expected}"
                if seq == self.expected + 1
                else f"seq {self.expected}–{seq - 1}"
            )
            self.fail(DELETED, row_id, seq, f"{missing} missing before this row")
        elif hmac.compare_digest(self.sealer.row(self.previous, values), stored):
            self.previous, self.expected, self.last_seq = stored, seq + 1, seq
        else:
            self.pending = (row_id, stored, values)

    def _decide(self, follower=None) -> None:
        """A row whose hash does not fit: if the next link (the following row, or the head)
        was made from the row's stored hash, that hash is genuine and the row's content was
        changed; otherwise the row is not the one the application wrote there."""
        row_id, stored, values = self.pending
        seq = values[1]
        if follower is not None:
            _id, next_stored, next_values = follower
            genuine = next_values[1] == seq + 1 and hmac.compare_digest(
                self.sealer.row(stored, next_values), next_stored
            )
        else:
            genuine = (
                self.head_ok
                and self.head.seq == seq
                and hmac.compare_digest(self.head.hash, stored)
            )
        if genuine:
            self.fail(
                EDITED,
                row_id,
                seq,
                "the row's content does not match its hash: it was changed after it was written",
            )
        else:
            self.fail(
                INSERTED,
                row_id,
                seq,
                "the row does not fit the chain: it was not written "
                "by the application here (forged, replaced or renumbered)",
            )

    def finish(self) -> Problem | None:
        if self.problem is None and self.pending is not None:
            self._decide()
        if self.problem is None and self.head is not None:
            if not self.head_ok:
                self.problem = Problem(
                    self.chain,
                    HEAD,
                    None,
                    None,
                    "the chain's head does not match its MAC: it was changed outside the "
                    "application (e.g. to hide rows removed from the end)",
                )
            elif self.last_seq < self.head.seq:
                missing = (
                    f"seq {self.last_seq + 1}"
                    if self.last_seq + 1 == self.head.seq
                    else f"seq {self.last_seq + 1}–{self.head.seq}"
                )
                self.problem = Problem(
                    self.chain,
                    DELETED,
                    None,
                    None,
                    f"{missing} missing at the end (the head records seq {self.head.seq})",
                )
        return self.problem


@dataclass
class Report:
    rows: int = 0
    chains: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(
    heads: Iterable,
    rows: Iterable[Sequence],
    unchained: tuple[int, int | None] = (0, None),
    sealer: Sealer | None = None,
) -> Report:
    """Check every chain. ``heads``: the AccessLogChain rows; ``rows``: (id, hash, *values in
    HASHED_FIELDS order) ordered by chain and seq; ``unchained``: the number of rows without
    a chain and the first one's id."""
    sealer = sealer or Sealer()
    heads = {h.chain: h for h in heads}
    report = Report(chains=len(heads))
    walks: dict[int, _Walk] = {}
    walk = None
    for row_id, stored, *values in rows:
        chain = values[0]
        if walk is None or walk.chain != chain:
            if walk is not None:
                walk.finish()
            walk = walks[chain] = _Walk(chain, heads.get(chain), sealer)
        walk.feed(row_id, stored, values)
    if walk is not None:
        walk.finish()
    for chain, head in heads.items():
        if chain not in walks:
            walks[chain] = _Walk(chain, head, sealer)
            walks[chain].finish()
    for chain in sorted(walks):
        report.rows += walks[chain].rows
        if walks[chain].problem:
            report.problems.append(walks[chain].problem)
    count, first = unchained
    if count:
        report.rows += count
        report.problems.append(
            Problem(
                None,
                INSERTED,
                first,
                None,
                f"{count} row(s) without a chain: not written by the application",
            )
        )
    return report


def verify_log(chunk_size: int = 5000, using: str = "default") -> Report:
    """Verify the access log in the database: every chain in seq order, read as plain
    tuples in chunks (no model instances), plus any row without a chain."""
    from samverkan.audit.models import AccessLog, AccessLogChain

    heads = list(AccessLogChain.objects.using(using).all())
    log = AccessLog.objects.using(using)
    rows = (
        log.filter(chain__isnull=False, seq__isnull=False)
        .order_by("chain", "seq")
        .values_list("id", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    loose = log.filter(models.Q(chain__isnull=True) | models.Q(seq__isnull=True))
    count = loose.count()
    first = loose.order_by("id").values_list("id", flat=True).first() if count else None
    return verify(heads, rows, (count, first))
