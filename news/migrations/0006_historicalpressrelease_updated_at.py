import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def from_history_date(apps, schema_editor):
    """Older history rows did not record updated_at; the moment of the record is it."""
    historical = apps.get_model("news", "HistoricalPressRelease")
    historical.objects.update(updated_at=F("history_date"))


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_issue16_versions_four_eyes_embargo"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpressrelease",
            name="updated_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="geändert am",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(from_history_date, migrations.RunPython.noop, elidable=True),
    ]
