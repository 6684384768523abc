"""Version 1 of the privacy text of the contribution form, so the page works on a fresh
database."""

import datetime

from django.db import migrations

TEXT = (
    "Das Projektbüro der Digitalen Modellregion Soest (Stadt Soest) speichert Ihren Beitrag, "
    "um ihn zu prüfen, nach der Freigabe zu veröffentlichen und zu beantworten. Ihren Namen "
    "zeigen wir nur, wenn Sie das wählen. Ihre E-Mail-Adresse ist freiwillig, wird nie "
    "veröffentlicht und dient nur der Bestätigung und der Nachricht über die Antwort; "
    "unbestätigte Beiträge löschen wir nach sieben Tagen, Adressen einige Zeit nach dem Ende "
    "der Beteiligung (der Beitrag bleibt dann ohne Namen). Sie können Ihren Beitrag und Ihre "
    "Adresse jederzeit über den Link in unseren E-Mails zurückziehen."
)


def create(apps, schema_editor):
    ConsentText = apps.get_model("participation", "ConsentText")
    ConsentText.objects.get_or_create(
        version="1",
        defaults={"text": TEXT, "valid_from": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},
    )


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
