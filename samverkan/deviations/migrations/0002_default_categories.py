from django.db import migrations

CATEGORIES = [
    ("Remiss avvisad", "En remiss eller begäran om insats avvisades."),
    ("Oklart ansvar", "Det var oklart vilken huvudman eller verksamhet som hade ansvaret."),
    ("Väntetid", "Barnet fick vänta orimligt länge på en insats eller ett möte."),
    ("Information delades inte", "Uppgifter som behövdes lämnades inte, trots samtycke."),
    ("SIP hölls inte", "En samordnad individuell plan upprättades eller följdes inte upp."),
    ("Annat", ""),
]


def add(apps, schema_editor):
    Category = apps.get_model("deviations", "Category")
    for position, (name, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("deviations", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
