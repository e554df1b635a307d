"""On PostgreSQL, the access log becomes a table partitioned by month on ``at``.

Retention then removes a month of the log by dropping its partition (``audit.pruning``)
instead of deleting millions of rows one by one, and a page of the log reads the few
partitions its period covers. SQLite is unchanged, and so is Django's idea of the model
(this migration changes no state: ``makemigrations`` sees nothing).

What the table keeps, and what changes in the database only:

- every row, with its id; the id's sequence goes on from the highest id (a plain sequence
  owned by the column: PostgreSQL 15 has no identity columns on partitioned tables);
- the primary key becomes (id, at) and the unique (chain, seq) becomes (chain, seq, at):
  a unique constraint on a partitioned table must hold the partition key. Ids still come
  from one sequence, so they stay unique; two rows with the same chain and seq can no
  longer be refused by the database if their moments differ, but the writer never makes
  them (it moves the chain's head by compare-and-set) and ``verify_access_log`` names such
  a row as inserted. Django keeps ``id`` as the model's primary key: it never reads the
  constraint, and nothing refers to a log row by foreign key;
- the indexes of ``AccessLog.Meta``, now on the parent (each partition has its own);
- the foreign key to the user, the CHECK constraints, and the append-only trigger (a row
  trigger on the parent applies to every partition, PostgreSQL 13+).

Partitions are named ``audit_accesslog_YYYY_MM`` and hold one calendar month in
``TIME_ZONE`` (Stockholm): from the oldest row's month to 12 months ahead, plus
``audit_accesslog_default`` for any row outside them, a safety net that should stay empty.
``samverkan_access_log_partition(month, time zone)`` makes one month's partition (and moves
any rows of that month out of the default one first); it is SECURITY DEFINER, so that the
daily job (``access_log_partitions``, run by ``send_reminders``) can keep the months ahead
even when the application's role does not own the table, as the README advises.

The table is copied under an exclusive lock: the log cannot be written meanwhile, so run the
migration in a maintenance window (bench/README.md has the time it takes at national scale).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations

TABLE = "audit_accesslog"
OLD = "audit_accesslog_unpartitioned"
MONTHS_AHEAD = 12

PARTITION_FUNCTION = """
CREATE OR REPLACE FUNCTION samverkan_access_log_partition(month date, tz text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    first date := date_trunc('month', month)::date;
    name text := 'audit_accesslog_' || to_char(first, 'YYYY_MM');
    lo timestamptz := first::timestamp AT TIME ZONE tz;
    hi timestamptz := (first + interval '1 month')::timestamp AT TIME ZONE tz;
    retention text := coalesce(current_setting('samverkan.retention', true), '');
BEGIN
    IF to_regclass(name) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF to_regclass('audit_accesslog_default') IS NOT NULL AND EXISTS (
        SELECT 1 FROM audit_accesslog_default WHERE at >= lo AND at < hi
    ) THEN
        -- Rows of that month were written while it had no partition: move them into it.
        LOCK TABLE audit_accesslog_default IN EXCLUSIVE MODE;
        EXECUTE format('CREATE TABLE %I (LIKE audit_accesslog INCLUDING DEFAULTS '
                       'INCLUDING CONSTRAINTS)', name);
        PERFORM set_config('samverkan.retention', 'on', true);
        EXECUTE format('WITH moved AS (DELETE FROM audit_accesslog_default '
                       'WHERE at >= $1 AND at < $2 RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved', name) USING lo, hi;
        PERFORM set_config('samverkan.retention', retention, true);
        EXECUTE format('ALTER TABLE audit_accesslog ATTACH PARTITION %I '
                       'FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
    ELSE
        EXECUTE format('CREATE TABLE %I PARTITION OF audit_accesslog '
                       'FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
    END IF;
    RETURN name;
END;
$$;
"""

TRIGGER = f"""
CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION samverkan_access_log_append_only()
"""


def _foreign_keys(cursor, table) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    return cursor.fetchall()


def _strip(schema_editor, cursor, table) -> list[tuple[str, str]]:
    """Drop the table's keys, foreign keys, indexes and triggers (their names are wanted by
    the new table); return the foreign keys' definitions."""
    quote = schema_editor.quote_name
    foreign = _foreign_keys(cursor, table)
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype IN ('p', 'u', 'f')",
        [table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    cursor.execute(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass",
        [table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP INDEX {name}")  # regclass text: already quoted as needed
    cursor.execute(f"DROP TRIGGER IF EXISTS audit_accesslog_append_only ON {quote(table)}")
    return foreign


def _months(first: datetime.date, last: datetime.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _add_keys_and_indexes(schema_editor, cursor, model, foreign, *, partitioned) -> None:
    quote = schema_editor.quote_name
    key = "(id, at)" if partitioned else "(id)"
    unique = "(chain, seq, at)" if partitioned else "(chain, seq)"
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY {key}")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT accesslog_chain_seq UNIQUE {unique}")
    for name, definition in foreign:
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {quote(name)} {definition}")
    for index in model._meta.indexes:
        schema_editor.add_index(model, index)
    cursor.execute(TRIGGER)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    model = apps.get_model("audit", "AccessLog")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        if cursor.fetchone()[0] == "p":
            return  # already partitioned
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        foreign = _strip(schema_editor, cursor, OLD)
        cursor.execute(f"ALTER TABLE {OLD} ALTER COLUMN id DROP IDENTITY IF EXISTS")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            "PARTITION BY RANGE (at)"
        )
        cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cursor.execute("SELECT current_schema()")
        schema = schema_editor.quote_name(cursor.fetchone()[0])
        cursor.execute(PARTITION_FUNCTION.format(schema=schema))
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        today = datetime.datetime.now(tz).date()
        cursor.execute(f"SELECT min(at) FROM {OLD}")  # noqa: S608
        oldest = cursor.fetchone()[0]
        first = oldest.astimezone(tz).date() if oldest else today
        last = (today.replace(day=1) + datetime.timedelta(days=31 * MONTHS_AHEAD)).replace(day=1)
        for month in _months(first, last):
            cursor.execute("SELECT samverkan_access_log_partition(%s, %s)", [month, str(tz)])
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608
        cursor.execute(
            f"SELECT setval('{TABLE}_id_seq', coalesce(max(id), 1), max(id) IS NOT NULL) "  # noqa: S608
            f"FROM {TABLE}"
        )
        cursor.execute(f"DROP TABLE {OLD}")
        _add_keys_and_indexes(schema_editor, cursor, model, foreign, partitioned=True)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    model = apps.get_model("audit", "AccessLog")
    partitioned = "audit_accesslog_partitioned"
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        if cursor.fetchone()[0] != "p":
            return
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {partitioned}")
        foreign = _strip(schema_editor, cursor, partitioned)
        cursor.execute(f"ALTER TABLE {partitioned} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {TABLE}_id_seq")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {partitioned} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {partitioned}")  # noqa: S608
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), coalesce(max(id), 1), "  # noqa: S608
            f"max(id) IS NOT NULL) FROM {TABLE}"
        )
        cursor.execute(f"DROP TABLE {partitioned} CASCADE")  # and its partitions
        cursor.execute("DROP FUNCTION IF EXISTS samverkan_access_log_partition(date, text)")
        _add_keys_and_indexes(schema_editor, cursor, model, foreign, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_keyset_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
