"""The access log's hash chains: verification, tampering, the PostgreSQL guard, pruning."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.audit import chain
from samverkan.audit import logging as log_writer
from samverkan.audit.logging import append
from samverkan.audit.models import AccessLog, AccessLogChain

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def write(user, count, *, reason="Visade barnets uppgifter"):
    """``count`` entries, one request's worth at a time, as the middleware writes them."""
    written = []
    for i in range(count):
        written += append(
            [
                AccessLog(
                    user=user,
                    user_label=user.email,
                    role="Personal, Testskolan",
                    action="view",
                    object_type="people.child",
                    object_id=str(100 + i),
                    object_label=f"Barn {i}",
                    child_id=100 + i,
                    reason=reason,
                    path=f"/barn/{100 + i}/",
                    method="GET",
                    status_code=200,
                    ip_address="10.0.0.1",
                )
            ]
        )
    return written


def verify():
    """(ok, the command's output)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_access_log", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def tamper(sql, params=()):
    """Run SQL as someone with database access would (past the trigger on PostgreSQL)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL samverkan.retention = 'on'")
        cursor.execute(sql, params)


@pytest.fixture
def one_chain(settings):
    settings.ACCESS_LOG_CHAINS = 1


def test_a_clean_log_verifies(staff, settings):
    settings.ACCESS_LOG_CHAINS = 4
    write(staff, 30)
    ok, output = verify()
    assert ok, output
    # Every chain has its head from the start (created after migrate).
    assert AccessLogChain.objects.count() == 8
    assert output.strip() == "OK: 30 rows in 8 chains"
    assert set(AccessLog.objects.values_list("chain", flat=True)) <= {0, 1, 2, 3}
    # Every row is sealed, and each chain counts 1, 2, 3 … with the head at its last row.
    for head in AccessLogChain.objects.all():
        seqs = AccessLog.objects.filter(chain=head.chain).order_by("seq")
        assert list(seqs.values_list("seq", flat=True)) == list(range(1, head.seq + 1))
    assert not AccessLog.objects.filter(hash="").exists()
    # With -v 2 each chain's head, to be kept off the database server.
    out = io.StringIO()
    call_command("verify_access_log", verbosity=2, stdout=out)
    head = AccessLogChain.objects.get(chain=0)
    assert f"chain 0: seq {head.seq}, hash {head.hash}" in out.getvalue()


def test_an_empty_log_verifies(db):
    assert verify() == (True, "OK: 0 rows in 8 chains\n")


def test_the_hash_covers_every_stored_field(staff, one_chain):
    (entry,) = write(staff, 1)
    row = AccessLog.objects.values_list(*chain.HASHED_FIELDS).get(pk=entry.pk)
    sealer = chain.Sealer()
    assert sealer.row("", row) == entry.hash
    stored = {f.attname for f in AccessLog._meta.concrete_fields} - {"id", "hash"}
    assert stored == set(chain.HASHED_FIELDS)
    for i, name in enumerate(chain.HASHED_FIELDS):
        changed = list(row)
        if name == "at":
            changed[i] = row[i] + datetime.timedelta(microseconds=1)
        elif name == "ip_address":
            changed[i] = "10.0.0.2"
        elif isinstance(row[i], int):
            changed[i] = row[i] + 1
        else:
            changed[i] = f"{row[i]}x"
        assert sealer.row("", changed) != entry.hash, name
    # Another key gives another hash: without the key, nobody can recompute the chain.
    assert chain.Sealer(b"another key").row("", row) != entry.hash


def test_an_edited_row_is_named(staff, one_chain):
    rows = write(staff, 5)
    tamper("UPDATE audit_accesslog SET reason = %s WHERE id = %s", ["Ingenting", rows[2].pk])
    ok, output = verify()
    assert not ok
    assert f"chain 0: EDITED, row id {rows[2].pk} (seq 3)" in output
    assert "1 problem(s)" in output


def test_an_edited_last_row_is_named(staff, one_chain):
    rows = write(staff, 3)
    tamper("UPDATE audit_accesslog SET user_label = %s WHERE id = %s", ["x@y.z", rows[-1].pk])
    ok, output = verify()
    assert not ok and f"EDITED, row id {rows[-1].pk} (seq 3)" in output


def test_a_deleted_row_is_named(staff, one_chain):
    rows = write(staff, 5)
    tamper("DELETE FROM audit_accesslog WHERE id = %s", [rows[1].pk])
    ok, output = verify()
    assert not ok
    assert f"chain 0: DELETED, row id {rows[2].pk} (seq 3): seq 2 missing before this row" in (
        output
    )


def test_rows_deleted_from_the_end_are_found(staff, one_chain):
    rows = write(staff, 5)
    tamper("DELETE FROM audit_accesslog WHERE id IN (%s, %s)", [rows[3].pk, rows[4].pk])
    ok, output = verify()
    assert not ok and "chain 0: DELETED: seq 4–5 missing at the end" in output
    # Moving the head back to hide it needs the key.
    tamper("UPDATE audit_accesslogchain SET seq = 3, hash = %s WHERE chain = 0", [rows[2].hash])
    ok, output = verify()
    assert not ok and "chain 0: HEAD CHANGED" in output


def test_an_inserted_row_is_named(staff, one_chain):
    write(staff, 3)
    forged = AccessLog.objects.create(
        user=staff, user_label=staff.email, action="view", reason="Efterhandskonstruktion"
    )
    ok, output = verify()
    assert not ok
    assert f"no chain: INSERTED, row id {forged.pk}" in output


def test_a_forged_row_at_the_end_of_a_chain_is_named(staff, one_chain):
    write(staff, 3)
    forged = AccessLog.objects.create(
        user=staff, action="view", reason="Efterhandskonstruktion", chain=0, seq=4,
        hash="f" * 64,
    )  # fmt: skip
    ok, output = verify()
    assert not ok
    assert f"chain 0: INSERTED, row id {forged.pk} (seq 4)" in output
    assert "after the chain's recorded head" in output


def test_a_replaced_row_is_inserted_not_edited(staff, one_chain):
    rows = write(staff, 4)
    # Someone rewrites a row and makes up a hash for it: the next row no longer links.
    tamper(
        "UPDATE audit_accesslog SET reason = %s, hash = %s WHERE id = %s",
        ["Ingenting", "0" * 64, rows[1].pk],
    )
    ok, output = verify()
    assert not ok and f"chain 0: INSERTED, row id {rows[1].pk} (seq 2)" in output


def test_each_chain_reports_its_first_problem(staff, one_chain):
    rows = write(staff, 5)
    tamper("UPDATE audit_accesslog SET reason = 'x' WHERE id IN (%s, %s)",
           [rows[1].pk, rows[3].pk])  # fmt: skip
    forged = AccessLog.objects.create(user=staff, action="view", chain=50, seq=1, hash="0" * 64)
    ok, output = verify()
    assert not ok
    assert f"chain 0: EDITED, row id {rows[1].pk} (seq 2)" in output
    assert f"row id {rows[3].pk}" not in output  # the first bad row only
    assert f"chain 50: INSERTED, row id {forged.pk} (seq 1): the row names a chain" in output
    assert "2 problem(s)" in output


@on_postgresql
def test_postgresql_refuses_update_and_delete(staff, one_chain):
    (entry,) = write(staff, 1)
    with (
        pytest.raises(DatabaseError, match="append-only: UPDATE on audit_accesslog"),
        transaction.atomic(),
    ):
        AccessLog.objects.filter(pk=entry.pk).update(reason="Ingenting")
    with (
        pytest.raises(DatabaseError, match="append-only: DELETE on audit_accesslog"),
        transaction.atomic(),
    ):
        AccessLog.objects.filter(pk=entry.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only: DELETE on audit_accesslogchain"),
        transaction.atomic(),
    ):
        AccessLogChain.objects.all().delete()
    entry.refresh_from_db()
    assert entry.reason == "Visade barnets uppgifter"
    assert verify()[0]


@on_postgresql
def test_postgresql_allows_inserts_and_moving_the_head(staff, one_chain):
    write(staff, 2)
    write(staff, 1)
    assert AccessLogChain.objects.get(chain=0).seq == 3


def old(monkeypatch, day):
    """Write entries as if it were ``day``."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_pruning_keeps_the_rest_verifiable(staff, settings, monkeypatch):
    settings.ACCESS_LOG_CHAINS = 3
    with monkeypatch.context() as m:
        old(m, datetime.date(2024, 1, 10))
        old_rows = write(staff, 12)
        old(m, datetime.date(2025, 3, 1))
        kept = write(staff, 6)
    kept += write(staff, 2)  # today
    assert verify()[0]
    out = io.StringIO()
    call_command("prune_access_log", before="2025-01-01", stdout=out)
    assert out.getvalue() == "Pruned 12 entries from before 2025-01-01.\n"
    assert not AccessLog.objects.filter(pk__in=[r.pk for r in old_rows]).exists()
    assert AccessLog.objects.filter(pk__in=[r.pk for r in kept]).count() == 8
    # The pruning is itself in the log.
    note = AccessLog.objects.get(user_label="manage.py prune_access_log")
    assert note.reason == "Gallrade åtkomstloggen: 12 poster före 2025-01-01"
    ok, output = verify()
    assert ok, output
    assert output.strip().startswith("OK: 9 rows in")
    # Each chain starts from its anchor, the last pruned row.
    for head in AccessLogChain.objects.exclude(anchor_seq=0):
        assert head.anchor_hash in {r.hash for r in old_rows}
        assert timezone.localtime(head.pruned_before).date() == datetime.date(2025, 1, 1)
    # Pruning again removes nothing, and the rest still verifies and still shows tampering.
    call_command("prune_access_log", before="2025-01-01", stdout=io.StringIO())
    assert AccessLog.objects.count() == 9
    tamper("UPDATE audit_accesslog SET reason = 'x' WHERE id = %s", [kept[0].pk])
    ok, output = verify()
    assert not ok and f"EDITED, row id {kept[0].pk}" in output


@on_postgresql
def test_a_head_remembered_from_before_pruning_is_not_written_over(staff, one_chain, monkeypatch):
    with monkeypatch.context() as m:
        old(m, datetime.date(2024, 1, 10))
        write(staff, 3)
    call_command("prune_access_log", before="2025-01-01", stdout=io.StringIO())
    head = AccessLogChain.objects.get(chain=0)
    assert (head.seq, head.anchor_seq) == (1 + 3, 3)  # the note about the pruning, the anchor
    # A process that knows the head's last row but not the anchor the pruning set since:
    # its head's MAC would be wrong, so the head does not move and it reads it again.
    key = ("default", connection.settings_dict["NAME"], 0)
    monkeypatch.setitem(log_writer._known, key, log_writer._Head(head.seq, head.hash, 0, ""))
    with CaptureQueriesContext(connection) as captured:
        write(staff, 1)
    assert [q["sql"][:6] for q in captured if "audit_" in q["sql"]] == [
        "WITH m",
        "SELECT",
        "WITH m",
    ]
    ok, output = verify()
    assert ok, output
    assert AccessLogChain.objects.get(chain=0).anchor_seq == 3


def test_pruning_a_tampered_log_is_refused(staff, one_chain, monkeypatch):
    with monkeypatch.context() as m:
        old(m, datetime.date(2024, 1, 10))
        rows = write(staff, 3)
    tamper("UPDATE audit_accesslog SET reason = 'x' WHERE id = %s", [rows[0].pk])
    with pytest.raises(CommandError, match="does not verify; nothing was pruned"):
        call_command("prune_access_log", before="2025-01-01", stderr=io.StringIO())
    assert AccessLog.objects.count() == 3
    call_command("prune_access_log", before="2025-01-01", no_verify=True,
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert AccessLog.objects.count() == 1  # the note about the pruning
    assert verify()[0]


def test_pruning_refuses_a_future_date(db):
    with pytest.raises(CommandError, match="in the future"):
        call_command("prune_access_log", before="2999-01-01")


def test_rows_from_before_the_chains_are_sealed_by_the_migration(staff, one_chain):
    legacy = [
        AccessLog.objects.create(
            user=staff,
            user_label=staff.email,
            action="view",
            reason=str(i),
            ip_address="2001:0db8:0000::0001",
        )  # fmt: skip
        for i in range(5)
    ]
    assert not verify()[0]
    migration = importlib.import_module("samverkan.audit.migrations.0003_seal_existing_rows")

    class SchemaEditor:
        pass

    SchemaEditor.connection = connection
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the migration runs before the trigger exists
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL samverkan.retention = 'on'")
        migration.seal_existing_rows(apps, SchemaEditor())
    assert list(AccessLog.objects.order_by("seq").values_list("id", flat=True)) == [
        e.pk for e in legacy
    ]
    ok, output = verify()
    assert ok, output
    write(staff, 2)  # new rows continue the chain
    assert verify() == (True, "OK: 7 rows in 8 chains\n")
