"""The search models lose their foreign keys into the apps (the kernel knows no app).

- SearchEntry.field_of_action (FK to projects.FieldOfAction) becomes `category_id`, a plain
  id of the category facet an app registers (soest_office.search.registry.CategoryFacet).
- DocumentText (one-to-one with projects.Document) becomes ExtractedText, keyed like a
  search entry by (source, object_id); every row is kept, its document id becomes the
  object id of the source "dokumente".

Data moves with UPDATE statements on the same tables, so the migration costs the same on
SQLite and PostgreSQL and needs no app's model. Earlier migrations (0003, 0005) still name
the projects app as a dependency: that is the history of databases that applied them.
"""

from django.db import migrations, models
from django.db.models import F

DOCUMENT_SOURCE = "dokumente"


def copy_ids_forward(apps, schema_editor):
    try:
        DocumentText = apps.get_model("soest_office", "DocumentText")
    except LookupError:
        return  # called with today's models (the tests' reference_data): nothing to move
    SearchEntry = apps.get_model("soest_office", "SearchEntry")
    SearchEntry.objects.filter(field_of_action__isnull=False).update(
        category_id=F("field_of_action_id")
    )
    DocumentText.objects.update(source=DOCUMENT_SOURCE, object_id=F("document_id"))


def restore_fts_trigger(apps, schema_editor):
    # SQLite rebuilds a table to drop a foreign key column, and its triggers go with the old
    # table: the FTS rows must still leave with their entry (migration 0004).
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER IF NOT EXISTS soest_search_fts_delete "
            "AFTER DELETE ON soest_office_searchentry "
            "BEGIN DELETE FROM soest_search_fts WHERE rowid = old.id; END"
        )


def copy_ids_backward(apps, schema_editor):
    SearchEntry = apps.get_model("soest_office", "SearchEntry")
    DocumentText = apps.get_model("soest_office", "DocumentText")
    SearchEntry.objects.filter(category_id__isnull=False).update(
        field_of_action_id=F("category_id")
    )
    DocumentText.objects.exclude(source=DOCUMENT_SOURCE).delete()
    DocumentText.objects.update(document_id=F("object_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("soest_office", "0009_auditevent_area_merge"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="category_id",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="Kategorie"),
        ),
        migrations.AddField(
            model_name="documenttext",
            name="source",
            field=models.CharField(default=DOCUMENT_SOURCE, max_length=40, verbose_name="Quelle"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="documenttext",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="Objekt-ID"),
        ),
        migrations.RunPython(copy_ids_forward, copy_ids_backward),
        migrations.RemoveField(model_name="searchentry", name="field_of_action"),
        migrations.RunPython(restore_fts_trigger, migrations.RunPython.noop),
        migrations.RemoveField(model_name="documenttext", name="document"),
        migrations.AlterField(
            model_name="documenttext",
            name="object_id",
            field=models.PositiveBigIntegerField(verbose_name="Objekt-ID"),
        ),
        migrations.RenameModel(old_name="DocumentText", new_name="ExtractedText"),
        migrations.AlterModelOptions(
            name="extractedtext",
            options={
                "verbose_name": "extrahierter Dateitext",
                "verbose_name_plural": "extrahierte Dateitexte",
            },
        ),
        migrations.AddConstraint(
            model_name="extractedtext",
            constraint=models.UniqueConstraint(
                fields=("source", "object_id"), name="extracted_text_unique"
            ),
        ),
    ]
