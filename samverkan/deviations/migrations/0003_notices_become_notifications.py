from django.db import migrations


def move_notices(apps, schema_editor):
    Notice = apps.get_model("deviations", "Notice")
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=notice.user_id,
                text=notice.text,
                url=f"/avvikelser/{notice.deviation_id}/",
                about=f"deviations.deviation:{notice.deviation_id}",
                created_at=notice.created_at,
                read_at=notice.read_at,
                emailed_at=notice.created_at,  # they were e-mailed when made
            )
            for notice in Notice.objects.all()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("deviations", "0002_default_categories"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_notices, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notice"),
    ]
