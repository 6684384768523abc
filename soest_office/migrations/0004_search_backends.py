"""Backend-specific search structures (see soest_office/search/backends.py).

PostgreSQL: the unaccent and pg_trgm extensions, a text search configuration `soest_german`
(german stemming after unaccent), a GIN index on the stored vector and trigram GIN indexes on
the folded names and their phonetic codes. SQLite: an FTS5 table keyed by the entry id, its
vocabulary view (for typo suggestions) and a trigger removing FTS rows with their entry.
Creating the extensions needs a role allowed to do so (the database owner on PostgreSQL 13+
for these two trusted extensions, or a superuser).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

POSTGRES_FORWARD = [
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'soest_german') THEN
        CREATE TEXT SEARCH CONFIGURATION soest_german (COPY = german);
        ALTER TEXT SEARCH CONFIGURATION soest_german
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
      END IF;
    END $$;
    """,
    "CREATE INDEX IF NOT EXISTS search_entry_vector_gin "
    "ON soest_office_searchentry USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_entry_names_trgm "
    "ON soest_office_searchentry USING gin (names_norm gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_entry_phonetic_trgm "
    "ON soest_office_searchentry USING gin (phonetic gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_phonetic_trgm",
    "DROP INDEX IF EXISTS search_entry_names_trgm",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS soest_german",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS soest_search_fts USING fts5("
    "title, summary, body, names, phon, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS soest_search_fts_vocab "
    "USING fts5vocab(soest_search_fts, 'col')",
    "CREATE TRIGGER IF NOT EXISTS soest_search_fts_delete "
    "AFTER DELETE ON soest_office_searchentry "
    "BEGIN DELETE FROM soest_search_fts WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS soest_search_fts_delete",
    "DROP TABLE IF EXISTS soest_search_fts_vocab",
    "DROP TABLE IF EXISTS soest_search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("soest_office", "0003_search_entry")]

    operations = [
        # Both operations do nothing on databases other than PostgreSQL.
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
