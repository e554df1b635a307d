"""Indexes for reading the log newest first by (at, id), a page at a time by keyset.

Each index ends in (at, id), after the column a page is filtered on, so that PostgreSQL reads
a page in order straight from the index, with no sort and however deep the page: (at, id)
for the whole log and for a period, and (object_type, object_id, ...), (user, ...),
(child_id, ...) and (action, ...) for the filters. They replace the indexes on (at), (user),
(object_type, object_id, at), (user, at) and (child_id, at), which the new ones serve too.

Only indexes change: no row is touched (the table's triggers refuse UPDATE and DELETE, and
the rows are hash-chained). On PostgreSQL the indexes are built and dropped CONCURRENTLY,
so that writing to the log (every logged request) does not wait while a large table is
indexed; hence the migration is not atomic. The new ones are built before the old ones go.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

NEW = [
    models.Index(fields=["at", "id"], name="accesslog_at_id"),
    models.Index(fields=["object_type", "object_id", "at", "id"], name="accesslog_object_at_id"),
    models.Index(fields=["user", "at", "id"], name="accesslog_user_at_id"),
    models.Index(fields=["child_id", "at", "id"], name="accesslog_child_at_id"),
    models.Index(fields=["action", "at", "id"], name="accesslog_action_at_id"),
]
OLD = [
    models.Index(fields=["object_type", "object_id", "at"], name="accesslog_object"),
    models.Index(fields=["user", "at"], name="accesslog_user"),
    models.Index(fields=["child_id", "at"], name="accesslog_child"),
]
OLD_SINGLE_COLUMNS = ["at", "user_id"]  # the fields' own indexes (db_index)


def _concurrently(schema_editor) -> dict:
    return {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}


def _single_column_indexes(schema_editor, model, columns) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and len(info["columns"]) == 1
        and info["columns"][0] in columns
    ]


def _drop(schema_editor, name: str) -> None:
    how = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX {how}IF EXISTS {schema_editor.quote_name(name)}")


def forwards(apps, schema_editor):
    model = apps.get_model("audit", "AccessLog")
    for index in NEW:
        schema_editor.add_index(model, index, **_concurrently(schema_editor))
    for name in _single_column_indexes(schema_editor, model, OLD_SINGLE_COLUMNS):
        _drop(schema_editor, name)
    for index in OLD:
        _drop(schema_editor, index.name)


def backwards(apps, schema_editor):
    model = apps.get_model("audit", "AccessLog")
    for index in OLD:
        schema_editor.add_index(model, index, **_concurrently(schema_editor))
    for name in ("at", "user"):
        field = model._meta.get_field(name)
        schema_editor.execute(
            schema_editor._create_index_sql(model, fields=[field], **_concurrently(schema_editor))
        )
    for index in NEW:
        _drop(schema_editor, index.name)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("audit", "0004_append_only_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *[
                    migrations.RemoveIndex(model_name="accesslog", name=index.name)
                    for index in OLD
                ],
                migrations.AlterField(
                    model_name="accesslog",
                    name="at",
                    field=models.DateTimeField(
                        default=django.utils.timezone.now,
                        verbose_name="tidpunkt",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslog",
                    name="user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="användare",
                    ),
                ),
                *[migrations.AddIndex(model_name="accesslog", index=index) for index in NEW],
            ],
            database_operations=[
                migrations.RunPython(forwards, backwards, elidable=False),
            ],
        ),
    ]
