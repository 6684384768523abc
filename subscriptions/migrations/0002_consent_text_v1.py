"""Version 1 of the consent text, so the subscribe page works on a fresh database."""

import datetime

from django.db import migrations

TEXT = (
    "Ich willige ein, dass das Projektbüro der Digitalen Modellregion Soest (Stadt Soest) "
    "meine E-Mail-Adresse und – falls angegeben – meinen Namen speichert, um mir "
    "Pressemitteilungen zu den gewählten Rubriken und Kommunen per E-Mail zu schicken. "
    "Die Einwilligung ist freiwillig und kann jederzeit über den Abmeldelink in jeder E-Mail "
    "mit Wirkung für die Zukunft widerrufen werden."
)


def create(apps, schema_editor):
    ConsentText = apps.get_model("subscriptions", "ConsentText")
    ConsentText.objects.get_or_create(
        version="1",
        defaults={"text": TEXT, "valid_from": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},
    )


class Migration(migrations.Migration):
    dependencies = [("subscriptions", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
