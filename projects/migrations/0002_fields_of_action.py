from django.db import migrations

FIELDS_OF_ACTION = [
    ("E-Government / digitales Bürgerbüro", "e-government"),
    ("Bildung", "bildung"),
    ("Infrastruktur", "infrastruktur"),
    ("Attraktive Innenstadt", "innenstadt"),
    ("Mobilität", "mobilitaet"),
    ("Gesundheit", "gesundheit"),
]


def create(apps, schema_editor):
    FieldOfAction = apps.get_model("projects", "FieldOfAction")
    for position, (name, slug) in enumerate(FIELDS_OF_ACTION, start=1):
        FieldOfAction.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
