"""Trigram indexes for the text search of the contact list (PostgreSQL only).

The contact list searches with `icontains`, which PostgreSQL runs as
`UPPER(column::text) LIKE UPPER('%word%')`; a GIN index with `gin_trgm_ops` on exactly that
expression answers it without reading the whole table (see filters.contacts_matching).

The pg_trgm extension comes from soest_office's migration 0004 (the global search). The
indexes are not part of the models' Meta: SQLite has no GIN indexes, and SQLite rebuilds a
table with all of its model indexes on many schema changes. So they are created here on
PostgreSQL only (plain SQL, as `django.contrib.postgres` is not installed), and other
databases migrate without them.
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("contact_first_name_trgm", "stakeholders_contact", "first_name"),
    ("contact_last_name_trgm", "stakeholders_contact", "last_name"),
    ("contact_email_trgm", "stakeholders_contact", "email"),
    ("organisation_name_trgm", "stakeholders_organisation", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0002_contact_category_subscriber"),
        ("soest_office", "0004_search_backends"),  # CREATE EXTENSION pg_trgm
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
