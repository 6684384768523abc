"""The one audit log takes in the contacts' processing log (stakeholders.AuditLogEntry).

- `area`: which part of the intranet wrote an event ("kontakte", "abo", "projekte"; empty for
  account events), indexed together with the time, so a part's own view of the log (e.g.
  /kontakte/protokoll/) reads only its rows, newest first.
- kind `merge` (Zusammenführung), which the contacts' log had and the central one lacked.
- `target` as long as the old log's scope (500), so no old entry is cut when it moves.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("soest_office", "0008_search_vector_per_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="area",
            field=models.CharField(blank=True, default="", max_length=20, verbose_name="Bereich"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "Anmeldung"),
                    ("login_failed", "Fehlgeschlagene Anmeldung"),
                    ("locked_out", "Anmeldung gesperrt"),
                    ("logout", "Abmeldung"),
                    ("password_change", "Passwort geändert"),
                    ("password_reset", "Passwort zurückgesetzt"),
                    ("role_change", "Rolle geändert"),
                    ("municipality_change", "Kommune geändert"),
                    ("otp_enabled", "Zwei-Faktor eingerichtet"),
                    ("otp_disabled", "Zwei-Faktor abgeschaltet"),
                    ("otp_failed", "Falscher Zwei-Faktor-Code"),
                    ("export", "Export"),
                    ("import", "Import"),
                    ("merge", "Zusammenführung"),
                    ("auskunft", "Auskunft (Art. 15 DSGVO)"),
                    ("erasure", "Löschung (Art. 17 DSGVO)"),
                ],
                db_index=True,
                max_length=32,
                verbose_name="Ereignis",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="target",
            field=models.CharField(blank=True, max_length=500, verbose_name="Betroffen"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["area", "-created_at"], name="auditevent_area_created"),
        ),
    ]
