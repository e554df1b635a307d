"""A consent is recorded by a unit and opens only that unit's principal's information.

Existing consents are attributed to the unit that owns the child's record: the one whose
information they were recorded to share.
"""

import django.db.models.deletion
from django.db import migrations, models


def attribute_to_owning_unit(apps, schema_editor):
    Consent = apps.get_model("consent", "Consent")
    for consent in Consent.objects.select_related("child").filter(recorded_by_unit=None):
        consent.recorded_by_unit_id = consent.child.owning_unit_id
        consent.save(update_fields=["recorded_by_unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0003_scanned_form_types"),
        ("organisations", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="recorded_by_unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="registrerat av verksamhet",
            ),
        ),
        migrations.RunPython(attribute_to_owning_unit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consent",
            name="recorded_by_unit",
            field=models.ForeignKey(
                help_text="Samtycket öppnar bara den här verksamhetens huvudmans uppgifter.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="registrerat av verksamhet",
            ),
        ),
        migrations.AlterField(
            model_name="consent",
            name="units",
            field=models.ManyToManyField(
                help_text="Verksamheterna som får ta del av uppgifterna om barnet.",
                related_name="consents",
                to="organisations.unit",
                verbose_name="verksamheter som får ta del",
            ),
        ),
    ]
