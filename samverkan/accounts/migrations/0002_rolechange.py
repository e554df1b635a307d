"""The role-change log: who changed whose roles, when, from where. Append-only; on
PostgreSQL the database itself refuses UPDATE and DELETE on the table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION accounts_rolechange_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_rolechange is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_rolechange_append_only
    BEFORE UPDATE OR DELETE ON accounts_rolechange
    FOR EACH ROW EXECUTE FUNCTION accounts_rolechange_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS accounts_rolechange_append_only ON accounts_rolechange;
DROP FUNCTION IF EXISTS accounts_rolechange_append_only();
"""


def refuse_update_and_delete(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def allow_update_and_delete(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="tidpunkt")),
                ("actor_label", models.CharField(blank=True, max_length=300, verbose_name="ändrad av (vid tillfället)")),
                ("subject_label", models.CharField(max_length=300, verbose_name="vems roller (vid tillfället)")),
                ("kind", models.CharField(choices=[("flag", "Systemroll"), ("unit", "Anställning"), ("seat", "Plats i organ"), ("group", "Grupp eller behörighet"), ("account", "Nytt konto")], max_length=8, verbose_name="slag")),
                ("change", models.CharField(max_length=500, verbose_name="ändring")),
                ("source", models.CharField(choices=[("admin", "Administrationen"), ("app", "Tjänsten"), ("command", "Kommando")], max_length=8, verbose_name="källa")),
                ("path", models.CharField(blank=True, max_length=500, verbose_name="adress")),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP-adress")),
                ("actor", models.ForeignKey(blank=True, help_text="Tomt när ändringen gjordes av ett kommando, utan inloggad användare.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="ändrad av")),
                ("subject", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="vems roller")),
            ],
            options={
                "verbose_name": "rolländring",
                "verbose_name_plural": "rolländringar",
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["subject", "at"], name="rolechange_subject"), models.Index(fields=["actor", "at"], name="rolechange_actor")],
            },
        ),
        migrations.RunPython(refuse_update_and_delete, allow_update_and_delete, elidable=False),
    ]
