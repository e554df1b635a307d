"""A rotation's turns become rows naming a principal (and the board that acts for it),
instead of a JSON list of names.

Each name of the old list becomes a turn: of the principal with exactly that name; failing
that, of the municipality of the rotating body's group's first area, with the name kept as
the party (Norrtälje's "Socialnämnden" becomes Socialnämnden, Norrtälje kommun). A name
neither gives is left out, and said so on the console.
"""

import django.db.models.deletion
from django.db import migrations, models


def turns_from_names(apps, schema_editor):
    ConvenerRotation = apps.get_model("governance", "ConvenerRotation")
    RotationTurn = apps.get_model("governance", "RotationTurn")
    Principal = apps.get_model("organisations", "Principal")
    Area = apps.get_model("organisations", "Area")
    for rotation in ConvenerRotation.objects.select_related("body"):
        municipality = None
        if rotation.body.local_group_id:
            area = (
                Area.objects.filter(local_groups=rotation.body.local_group_id)
                .select_related("municipality")
                .order_by("pk")
                .first()
            )
            municipality = area.municipality if area else None
        position = 0
        for name in rotation.order or []:
            principal = Principal.objects.filter(name=name).first()
            party = ""
            if principal is None:
                principal, party = municipality, name
            if principal is None:
                print(f"  Rotation {rotation.pk}: no principal for {name!r}; left out.")
                continue
            position += 1
            RotationTurn.objects.create(
                rotation=rotation, position=position, principal=principal, party=party
            )


def names_from_turns(apps, schema_editor):
    ConvenerRotation = apps.get_model("governance", "ConvenerRotation")
    for rotation in ConvenerRotation.objects.prefetch_related("turns__principal"):
        rotation.order = [
            turn.party or turn.principal.name
            for turn in sorted(rotation.turns.all(), key=lambda turn: turn.position)
        ]
        rotation.save(update_fields=["order"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="convenerrotation",
            name="start_year",
            field=models.PositiveSmallIntegerField(
                help_text="Året då den första parten i turordningen var sammankallande.",
                verbose_name="första år",
            ),
        ),
        migrations.CreateModel(
            name="RotationTurn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(verbose_name="plats i turordningen"),
                ),
                (
                    "party",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "Den nämnd eller det utskott hos huvudmannen som kallar, om det är ett."
                        ),
                        max_length=200,
                        verbose_name="part",
                    ),
                ),
                (
                    "principal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.principal",
                        verbose_name="huvudman",
                    ),
                ),
                (
                    "rotation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="turns",
                        to="governance.convenerrotation",
                    ),
                ),
            ],
            options={
                "verbose_name": "tur",
                "verbose_name_plural": "turer",
                "ordering": ["position", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("rotation", "position"), name="rotation_turn_once"
                    )
                ],
            },
        ),
        # A default, so that going back can add the column again before it is filled.
        migrations.AlterField(
            model_name="convenerrotation",
            name="order",
            field=models.JSONField(
                default=list, help_text="Parterna i turordning.", verbose_name="turordning"
            ),
        ),
        migrations.RunPython(turns_from_names, names_from_turns),
        migrations.RemoveField(model_name="convenerrotation", name="order"),
    ]
