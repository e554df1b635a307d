"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the access log.

The only exception is a transaction that has run ``SET LOCAL samverkan.retention = 'on'``,
which ``manage.py prune_access_log`` does. TRUNCATE is not refused (Django's test runner
empties tables with it); in production the application's database role should not own the
table, so that it cannot TRUNCATE, ALTER or DROP it either (see the README).

The chain heads may be updated (every write moves one) but not deleted.
SQLite has no such guard; the hash chain still shows any change.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION samverkan_access_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('samverkan.retention', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The access log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Rows leave the log only through manage.py prune_access_log.';
END;
$$;

CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION samverkan_access_log_append_only();

CREATE TRIGGER audit_accesslogchain_no_delete
    BEFORE DELETE ON audit_accesslogchain
    FOR EACH ROW EXECUTE FUNCTION samverkan_access_log_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_accesslogchain_no_delete ON audit_accesslogchain;
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS samverkan_access_log_append_only();
"""


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the % in the function are literal

    return operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_seal_existing_rows")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
