from django.db import migrations

MUNICIPALITIES = [
    ("Stadt Soest", "soest"),
    ("Stadt Lippstadt", "lippstadt"),
    ("Stadt Iserlohn", "iserlohn"),
    ("Kreis Soest", "kreis-soest"),
]
GROUPS = ["Projektbüro", "Kommune", "Lenkungskreis"]


def create(apps, schema_editor):
    Municipality = apps.get_model("soest_office", "Municipality")
    Group = apps.get_model("auth", "Group")
    for name, slug in MUNICIPALITIES:
        Municipality.objects.update_or_create(slug=slug, defaults={"name": name})
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    # Permissions are attached by soest_office.roles after every migrate (post_migrate),
    # because most models of the apps do not exist yet at this point.


class Migration(migrations.Migration):
    dependencies = [
        ("soest_office", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
