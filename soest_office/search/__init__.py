"""Global search: sources registry, German query parsing, PostgreSQL/SQLite backends."""
