"""Which database the benchmark uses, and how it is (re)built.

The benchmark never writes to the development or test database: it uses, in this order,
`--database-url`, `BENCH_DATABASE_URL`, then PostgreSQL `soest_bench_data` on 127.0.0.1 when
reachable, else the SQLite file bench/bench.sqlite3. A database is only wiped when it is
empty or carries the benchmark's marker table.
"""

import hashlib
import os
import socket
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
SQLITE_PATH = BENCH_DIR / "bench.sqlite3"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/soest_bench_data"
MARKER_TABLE = "bench_meta"


def _postgres_reachable(host="127.0.0.1", port=5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def choose_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    if _postgres_reachable():
        return DEFAULT_PG_URL
    return f"sqlite:///{SQLITE_PATH}"


def setup_django(url: str) -> None:
    """Point Django at the benchmark database and the bench settings, then start it."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
    # The in-process runner uses eager tasks and the local-memory cache, like `make run`;
    # the distribution scenario starts its own processes with REDIS_URL.
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def read_marker() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        if MARKER_TABLE not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = 'dataset'")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def write_marker(value: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key varchar(40) PRIMARY KEY, value text)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = 'dataset'")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES ('dataset', %s)",  # noqa: S608
            [value],
        )


def wipe() -> None:
    """Drop everything in the benchmark database (refuses a database that is not one)."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables and MARKER_TABLE not in tables:
        raise SystemExit(
            f"Die Datenbank {connection.settings_dict['NAME']} enthält Tabellen, ist aber keine "
            "Benchmark-Datenbank (keine Tabelle bench_meta). Abbruch: nichts wurde gelöscht."
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    else:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{connection.settings_dict['NAME']}{suffix}").unlink(missing_ok=True)


def migration_state() -> str:
    """The migrations the code has: a new migration in any app invalidates the dataset."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = ",".join(f"{app}.{name}" for app, name in sorted(loader.disk_migrations))
    return hashlib.sha256(names.encode()).hexdigest()[:12]
