"""The access log's monthly partitions (PostgreSQL): rows land in their month's partition,
rows of a month that had none move into it when it is made, the migration keeps every row,
retention drops whole months and the chains still verify (stragglers sealed after a later
month's row stay), and the partitioned table still refuses UPDATE and DELETE."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from samverkan.audit import partitions
from samverkan.audit.models import AccessLog, AccessLogChain
from tests.test_audit_chain import verify, write

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the log is partitioned on PostgreSQL only"
    ),
]

JAN, FEB, MAR = datetime.date(2024, 1, 1), datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)


def where(rows) -> list[str]:
    """The partition each row lies in."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_accesslog WHERE id = ANY(%s) ORDER BY id",
            [[r.pk for r in rows]],
        )
        return [name for (name,) in cursor.fetchall()]


def table_exists(name) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        return cursor.fetchone()[0] is not None


def at(monkeypatch, day, time=datetime.time(12)):
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(day, time))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture(autouse=True)
def _checked_at_once(db):
    """The test's rows are written in the test's own transaction, where the foreign key to
    the user is checked at commit: a pending check keeps a table from being dropped or
    altered. In production the rows were committed long before. Check them as they come."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def one_chain(settings):
    settings.ACCESS_LOG_CHAINS = 1


def test_the_log_is_partitioned_with_a_year_ahead_and_a_default():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'audit_accesslog'::regclass")
        assert cursor.fetchone()[0] == "p"
    months = [p.month for p in partitions.partitions()]
    this_month = partitions.first_of_month(datetime.date.today())
    assert partitions.add_months(this_month, 12) in months
    assert table_exists(partitions.DEFAULT)


def test_rows_land_in_their_months_partition_and_move_out_of_the_default(
    staff, one_chain, monkeypatch
):
    assert partitions.ensure(JAN, FEB) == ["audit_accesslog_2024_01", "audit_accesslog_2024_02"]
    with monkeypatch.context() as m:
        at(m, datetime.date(2024, 1, 31), datetime.time(23, 59))  # Stockholm time
        january = write(staff, 2)
        at(m, datetime.date(2024, 2, 1), datetime.time(0, 1))
        february = write(staff, 1)
        at(m, datetime.date(2024, 3, 15))
        march = write(staff, 2)  # no partition yet
    assert where(january) == ["audit_accesslog_2024_01"] * 2
    assert where(february) == ["audit_accesslog_2024_02"]
    assert where(march) == [partitions.DEFAULT] * 2
    assert partitions.default_rows() == 2
    # Making March's partition moves its rows in; nothing is made twice.
    assert partitions.ensure(JAN, MAR) == ["audit_accesslog_2024_03"]
    assert where(march) == ["audit_accesslog_2024_03"] * 2
    assert partitions.default_rows() == 0
    ok, output = verify()
    assert ok, output
    assert verify()[1].startswith("OK: 5 rows")


def test_the_command_keeps_the_months_ahead(staff):
    last = partitions.name_of(partitions.add_months(datetime.date.today(), 12))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {last}")
    out = io.StringIO()
    call_command("send_reminders", stdout=out)  # the daily job runs it
    assert f"Made access-log partitions: {last}." in out.getvalue()
    assert table_exists(last)
    out = io.StringIO()
    call_command("access_log_partitions", stdout=out)
    assert out.getvalue() == ""


def test_the_partitioned_log_still_refuses_update_and_delete(staff, one_chain, monkeypatch):
    partitions.ensure(JAN, JAN)
    with monkeypatch.context() as m:
        at(m, datetime.date(2024, 1, 10))
        (entry,) = write(staff, 1)
    for sql in (
        "UPDATE audit_accesslog SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_accesslog WHERE id = %s",
        "DELETE FROM audit_accesslog_2024_01 WHERE id = %s",  # the partition itself too
    ):
        with (
            pytest.raises(DatabaseError, match="The access log is append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AccessLog.objects.get(pk=entry.pk).reason == entry.reason


def test_retention_drops_whole_months_and_the_log_still_verifies(staff, settings, monkeypatch):
    settings.ACCESS_LOG_CHAINS = 3
    settings.RETENTION_ACCESS_LOG_MONTHS = 24
    partitions.ensure(JAN, FEB)
    with monkeypatch.context() as m:
        at(m, datetime.date(2024, 1, 10))
        gone = write(staff, 6)
        at(m, datetime.date(2024, 2, 10))
        gone += write(staff, 6)
    kept = write(staff, 3)  # today
    out = io.StringIO()
    call_command("gallra", kind=["access-log"], stdout=out)
    assert "12 removed (whole months dropped: " in out.getvalue()
    assert "audit_accesslog_2024_01, audit_accesslog_2024_02" in out.getvalue()
    assert not table_exists("audit_accesslog_2024_01")
    assert not table_exists("audit_accesslog_2024_02")
    assert not AccessLog.objects.filter(pk__in=[r.pk for r in gone]).exists()
    assert AccessLog.objects.filter(pk__in=[r.pk for r in kept]).count() == 3
    note = AccessLog.objects.get(user_label="manage.py gallra")
    assert note.reason.startswith("Gallrade åtkomstloggen: 12 poster före")
    assert "hela månader: audit_accesslog_2024_01, audit_accesslog_2024_02" in note.reason
    for head in AccessLogChain.objects.exclude(anchor_seq=0):
        assert head.anchor_hash in {r.hash for r in gone}
    out = io.StringIO()
    call_command("verify_access_log", stdout=out)
    assert out.getvalue().startswith("OK: 4 rows")  # the kept three and the note


def test_a_row_sealed_after_a_later_months_row_stays(staff, one_chain, monkeypatch):
    """Within a chain, ``at`` is not monotone in seq: a row a process sealed at 23:59:59
    may follow one another sealed at 00:00:01. Dropping its month must not leave a hole."""
    partitions.ensure(JAN, FEB)
    with monkeypatch.context() as m:
        at(m, datetime.date(2024, 1, 10))
        (first,) = write(staff, 1)  # seq 1
        at(m, datetime.date(2024, 2, 1), datetime.time(0, 0, 1))
        (february,) = write(staff, 1)  # seq 2
        at(m, datetime.date(2024, 1, 31), datetime.time(23, 59, 59))
        (straggler,) = write(staff, 1)  # seq 3, in January's partition
    out = io.StringIO()
    call_command("prune_access_log", before="2024-02-01", stdout=out)
    assert out.getvalue() == (
        "Pruned 1 entries from before 2024-02-01.\nWhole months dropped: audit_accesslog_2024_01.\n"
    )
    assert not table_exists("audit_accesslog_2024_01")
    assert not AccessLog.objects.filter(pk=first.pk).exists()
    assert where([february, straggler]) == ["audit_accesslog_2024_02", partitions.DEFAULT]
    assert AccessLog.objects.get(pk=straggler.pk).hash == straggler.hash
    assert AccessLogChain.objects.get(chain=0).anchor_seq == 1
    ok, output = verify()
    assert ok, output


def test_the_migration_keeps_every_row(staff, one_chain, monkeypatch):
    migration = importlib.import_module("samverkan.audit.migrations.0006_monthly_partitions")
    partitions.ensure(JAN, FEB)
    with monkeypatch.context() as m:
        at(m, datetime.date(2024, 1, 10))
        rows = write(staff, 2)
        at(m, datetime.date(2024, 2, 10))
        rows += write(staff, 2)
    rows += write(staff, 1)
    before = list(AccessLog.objects.order_by("id").values_list("id", "at", "seq", "hash"))
    with connection.schema_editor(atomic=False) as editor:
        migration.backwards(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'audit_accesslog'::regclass")
        assert cursor.fetchone()[0] == "r"
    assert list(AccessLog.objects.order_by("id").values_list("id", "at", "seq", "hash")) == before
    with connection.schema_editor(atomic=False) as editor:
        migration.forwards(apps, editor)
    assert list(AccessLog.objects.order_by("id").values_list("id", "at", "seq", "hash")) == before
    assert where(rows[:2]) == ["audit_accesslog_2024_01"] * 2
    assert where(rows[2:4]) == ["audit_accesslog_2024_02"] * 2
    assert verify()[0]
    (new,) = write(staff, 1)  # the id sequence goes on
    assert new.pk > max(r.pk for r in rows)
    assert verify()[0]


def test_rows_in_the_default_partition_are_named_and_moved_on_request(
    staff, one_chain, monkeypatch
):
    with monkeypatch.context() as m:
        at(m, datetime.date(2024, 3, 15))
        rows = write(staff, 2)
    out, err = io.StringIO(), io.StringIO()
    call_command("access_log_partitions", stdout=out, stderr=err)
    assert "2 access-log row(s) lie in audit_accesslog_default" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("access_log_partitions", first="2024-03", stdout=out, stderr=err)
    assert out.getvalue().startswith("Made access-log partitions: audit_accesslog_2024_03, ")
    assert err.getvalue() == ""
    assert where(rows) == ["audit_accesslog_2024_03"] * 2
    assert verify()[0]
