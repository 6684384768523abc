"""A GIN index on the search vector per source (PostgreSQL only).

The search reads at most MATCH_LIMIT matches per source (soest_office/search/engine.py).
With one index over all sources, the matches of a small source (projects) among 30,000
matches of a common word in contact notes are only found by reading all of them; a partial
index per source hands over exactly that source's matches. The index over all sources
stays for the queries that do not ask for one source. A new source needs its index here
(tests/search/test_explain.py checks that every registered source has one).
"""

from django.db import migrations

SOURCES = [
    "projekte",
    "berichte",
    "meilensteine",
    "dokumente",
    "kontakte",
    "organisationen",
    "kontakthistorie",
    "presse",
]


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in SOURCES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_entry_vector_{key} "
            f"ON soest_office_searchentry USING gin (vector) WHERE source = '{key}'"
        )


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key in SOURCES:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_vector_{key}")


class Migration(migrations.Migration):
    dependencies = [("soest_office", "0007_export_job")]

    operations = [migrations.RunPython(_forward, _backward)]
