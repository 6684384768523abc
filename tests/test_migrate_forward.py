"""A database of the previous release keeps its data when today's migrations run on it.

The issue: "Migrations keep data: test the migration forward on a database filled by
`seed_demo` and by the benchmark generator at a small scale: nothing lost, search answers the
same." The migrations since OLD_COMMIT are soest_office 0009 (AuditEvent gets an area, a
merge kind, longer targets), 0010 (the search models lose their keys into the apps; DocumentText
becomes ExtractedText) and stakeholders 0004/0005 (the contacts' own log moves into AuditEvent
and is dropped).

The old release runs from its own files (`git archive` of OLD_COMMIT) in subprocesses: it
fills a scratch database and records a snapshot (tests/migrate_forward/snapshot.py); today's
code migrates the same database and records the snapshot again. The embedded database (a
SQLite file) is always tested; PostgreSQL too when DATABASE_URL points to it, in a scratch
database of its own. About half a minute on SQLite, under a minute on PostgreSQL.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

OLD_COMMIT = "5ae78f4300e9b085611b45a659b9d07705dd0ae0"
NEW_CODE = Path(settings.BASE_DIR)
SCRIPTS = Path(__file__).resolve().parent / "migrate_forward"
# The smallest scale at which the benchmark generator still writes a row into every table it
# fills (12 users, 20 projects, 300 contacts, 5,000 deliveries).
BENCH_SCALE = "0.01"
SEARCH_USERS = ["buero", "soest", "lenkung"]  # the demo's office, partner, steering group
SEARCH_QUERIES = [
    "Stadtmodell",
    "Glasfaser",
    "Kettler",  # a contact of the demo
    "Kettlr",  # a typo: answered by the fuzzy search
    "Mikrorohrverband",  # only in an extracted document text (old_extras.py)
]
# How stakeholders 0004 maps an action of the contacts' log: (kind of AuditEvent, format),
# as its docstring documents; the count goes to details["anzahl"].
ACTIONS = {
    "export_csv": ("export", "csv"),
    "export_xlsx": ("export", "xlsx"),
    "export_vcard": ("export", "vcard"),
    "auskunft_json": ("auskunft", "json"),
    "auskunft_pdf": ("auskunft", "pdf"),
    "erasure": ("erasure", None),
    "import": ("import", None),
    "merge": ("merge", None),
}
SUBSCRIPTION_SCOPE = "Einwilligungsnachweis Abonnement"
# Tables that go away; their rows are checked in their successors (AuditEvent, ExtractedText).
REPLACED_TABLES = {"stakeholders_auditlogentry", "soest_office_documenttext"}
AUDIT_TABLE = "soest_office_auditevent"
# Variables of the calling environment that must not reach the commands: they would point
# them at another database, a broker or the other release's code.
NOT_INHERITED = {
    "DATABASE_URL",
    "BENCH_DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "PYTHONPATH",
    "MEDIA_ROOT",
    "EMAIL_URL",
    "EMAIL_FILE_PATH",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
MAX_FINDINGS = 20  # per check, so a broken migration still gives a readable failure


@pytest.fixture(scope="module")
def old_code(tmp_path_factory):
    """The files of OLD_COMMIT, shared by both databases and removed afterwards."""
    destination = tmp_path_factory.mktemp("old-release")
    materialise_old_code(destination)
    yield destination
    shutil.rmtree(destination, ignore_errors=True)


@pytest.fixture
def database_url(request, tmp_path):
    """An empty database for the old release: a SQLite file, or a scratch PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        with scratch_postgres_database() as url:
            yield url


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.integration,
                pytest.mark.skipif(
                    connection.vendor != "postgresql",
                    reason="braucht PostgreSQL (DATABASE_URL, zweiter Lauf von .ci/run)",
                ),
            ],
        ),
    ],
    indirect=True,
)
def test_migrating_a_filled_database_forward_keeps_its_data(old_code, database_url, tmp_path):
    old_env = command_env(old_code, database_url, tmp_path)
    new_env = command_env(NEW_CODE, database_url, tmp_path)
    fill_with_old_code(old_code, old_env)
    before = take_snapshot(old_code, old_env, tmp_path / "before.json")
    assert_dataset_exercises_the_migrations(before)

    migrate_forward(new_env)
    after = take_snapshot(NEW_CODE, new_env, tmp_path / "after.json")

    findings = {
        "Zeilen je Tabelle": tables_that_changed(before, after),
        "Protokoll (AuditLogEntry -> AuditEvent)": audit_entries_not_carried_over(before, after),
        "Dateitexte (DocumentText -> ExtractedText)": extracted_texts_not_kept(before, after),
        "Sucheinträge": search_entries_not_kept(before, after),
        "Suchantworten": search_answers_that_changed(before, after),
        "Suchstrukturen": search_structures_lost(before, after),
    }
    problems = {check: found for check, found in findings.items() if found}
    assert not problems, "\n".join(
        f"{check}:\n  " + "\n  ".join(found) for check, found in problems.items()
    )


# --- Steps ------------------------------------------------------------------------------------


def run(args, *, cwd, env=None, timeout=180):
    """subprocess.run that fails the test with the command's stderr (the traceback of the
    release that ran it) instead of a bare CalledProcessError."""
    try:
        return subprocess.run(
            args,
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.CalledProcessError as exc:
        pytest.fail(
            f"{' '.join(map(str, args))} (in {cwd}) endete mit {exc.returncode}:\n"
            f"{exc.stderr[-6000:]}\n{exc.stdout[-2000:]}",
            pytrace=False,
        )


def materialise_old_code(destination: Path) -> None:
    """Unpack OLD_COMMIT with `git archive`: the committed files only, no worktree to clean
    up, the repository untouched. Without git or the commit (a shallow clone) the test can
    only skip; CI checks out the full history, so it runs there."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git fehlt: der alte Stand lässt sich nicht auspacken")
    found = subprocess.run(
        [git, "-C", str(NEW_CODE), "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if found.returncode != 0:
        pytest.skip(
            f"Commit {OLD_COMMIT[:7]} (alter Stand) fehlt in diesem Klon (flacher Klon?); "
            f"der Test braucht die volle Historie. git: {found.stderr.strip()[:200]}"
        )
    archive = destination.parent / "old-release.tar"
    run([git, "archive", "--output", str(archive), OLD_COMMIT], cwd=NEW_CODE, timeout=60)
    run(["tar", "-x", "-f", str(archive), "-C", str(destination)], cwd=NEW_CODE, timeout=60)
    archive.unlink()


@contextmanager
def scratch_postgres_database():
    """A database of its own on the PostgreSQL server of DATABASE_URL (not pytest-django's
    test database: the old release must build its schema from nothing), dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"soest_migr_forward_{os.getpid()}"
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }

    def execute(statement):
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL(statement).format(sql.Identifier(name)))

    execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    execute("CREATE DATABASE {}")
    auth = quote(server["user"]) + (f":{quote(server['password'])}" if server["password"] else "")
    try:
        yield f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    finally:
        execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def command_env(code: Path, database_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment of one release's commands: its own code on the path, the scratch
    database, uploads and mails under tmp_path, DEBUG for seed_demo, tasks in-process."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(
        PYTHONPATH=str(code),
        DATABASE_URL=database_url,
        DEBUG="true",
        SECRET_KEY=f"migrate-forward-{secrets.token_urlsafe(32)}",
        # Empty rather than unset: a developer's .env beside manage.py must not bring a broker
        # in (settings read it without overwriting what the environment sets).
        REDIS_URL="",
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(code: Path, env: dict, *args: str, timeout: int = 180):
    """`manage.py` of the release in `code` (the old files or today's checkout)."""
    return run([sys.executable, "manage.py", *args], cwd=code, env=env, timeout=timeout)


def fill_with_old_code(old_code: Path, env: dict) -> None:
    """Fill the database as the old release did: the benchmark generator, the demo, the rows
    only the migrations care about, then the search index over all of it.

    The generator goes first: it builds its dataset in an empty database only (it migrates
    itself, writes explicit ids from 1 and refuses a database that is not a benchmark one).
    seed_demo then adds the demo on top: it looks its rows up by name and gets fresh ids
    past the generator's. The generator indexes its own rows; the demo's documents, audit
    entries and extracted texts come later, so the index is rebuilt at the end."""
    run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--scale",
            BENCH_SCALE,
            "--database-url",
            env["DATABASE_URL"],
        ],
        cwd=old_code,
        env=env,
        timeout=300,
    )
    manage(old_code, env, "seed_demo")
    manage(old_code, env, "shell", "-v0", "-c", (SCRIPTS / "old_extras.py").read_text())
    manage(old_code, env, "rebuild_search_index")


def migrate_forward(env: dict) -> None:
    """Today's migrations on the old release's database, as a deployment runs them."""
    manage(NEW_CODE, env, "migrate", "--noinput")


def take_snapshot(code: Path, env: dict, out: Path) -> dict:
    """What the database holds, read by `code`'s own models and search (snapshot.py)."""
    arguments = {"out": str(out), "users": SEARCH_USERS, "queries": SEARCH_QUERIES}
    env = {**env, "MIGRATE_FORWARD_SNAPSHOT": json.dumps(arguments)}
    manage(code, env, "shell", "-v0", "-c", (SCRIPTS / "snapshot.py").read_text())
    return json.loads(out.read_text(encoding="utf-8"))


# --- Checks -----------------------------------------------------------------------------------


def assert_dataset_exercises_the_migrations(before: dict) -> None:
    """The old database holds what the migrations move; otherwise "nothing lost" proves
    nothing (e.g. if a seeding step silently wrote no rows)."""
    entries = before["audit_log_entries"]
    assert {entry["action"] for entry in entries} == set(ACTIONS)
    assert any(event["target"].startswith("Kontakte: ") for event in before["audit_events"])
    assert {row["status"] for row in before["extracted_texts"]} >= {"done", "skipped"}
    assert any(entry["category"] for entry in before["search_entries"])
    assert any(entry["municipalities"] for entry in before["search_entries"])
    generated = ("projects_progressreport", "stakeholders_interaction", "news_delivery")
    assert all(before["tables"][table] for table in generated)
    office_answers = [before["search"][f"buero: {query}"] for query in SEARCH_QUERIES]
    assert all(answer["hits"] for answer in office_answers)


def _capped(findings: list[str]) -> list[str]:
    if len(findings) > MAX_FINDINGS:
        return [*findings[:MAX_FINDINGS], f"… und {len(findings) - MAX_FINDINGS} weitere"]
    return findings


def tables_that_changed(before: dict, after: dict) -> list[str]:
    """Every table keeps its row count; AuditEvent may only grow (by the moved entries,
    checked one by one below); the replaced tables are checked through their successors."""
    findings = []
    for table, count in sorted(before["tables"].items()):
        if table in REPLACED_TABLES:
            continue
        now = after["tables"].get(table)
        if now is None:
            findings.append(f"{table}: Tabelle fehlt (vorher {count} Zeilen)")
        elif now < count or (now != count and table != AUDIT_TABLE):
            findings.append(f"{table}: vorher {count} Zeilen, nachher {now}")
    return _capped(findings)


def _expected_event(entry: dict) -> tuple:
    """The AuditEvent an entry of the contacts' log becomes (stakeholders 0004)."""
    kind, fmt = ACTIONS[entry["action"]]
    details = {"format": fmt, "anzahl": entry["count"]} if fmt else {"anzahl": entry["count"]}
    area = "abo" if entry["scope"].startswith(SUBSCRIPTION_SCOPE) else "kontakte"
    return (
        entry["at"],
        entry["user_id"],
        entry["user__username"] or "",
        kind,
        entry["scope"],
        area,
        json.dumps(details, sort_keys=True),
    )


def _event_key(event: dict) -> tuple:
    return (
        event["created_at"],
        event["actor_id"],
        event["actor_name"],
        event["kind"],
        event["target"],
        event["area"],
        json.dumps(event["details"], sort_keys=True),
    )


def _is_short_copy(event: dict) -> bool:
    """A copy the old `stakeholders.services.audit_log` wrote beside its entry ("Kontakte:
    Export CSV", details {scope, count}); the migration puts the entry's data in its place."""
    details = event["details"] if isinstance(event["details"], dict) else {}
    return event["target"].startswith("Kontakte: ") and "count" in details


def audit_entries_not_carried_over(before: dict, after: dict) -> list[str]:
    """Each entry of the old log is exactly one AuditEvent with its time, user, mapped kind,
    scope as target and count; every other old event is still there unchanged; an old event
    changed only if it was a short copy that now holds its entry. Nothing else is added."""
    old_events = {event["id"]: event for event in before["audit_events"]}
    new_events = {event["id"]: event for event in after["audit_events"]}
    findings = [
        f"Ereignis {pk} fehlt: {old_events[pk]}"
        for pk in sorted(old_events.keys() - new_events.keys())
    ]
    expected = Counter(_expected_event(entry) for entry in before["audit_log_entries"])
    for pk, event in sorted(new_events.items()):
        old = old_events.get(pk)
        if old == event:
            continue
        key = _event_key(event)
        if expected[key] == 0:
            findings.append(f"Ereignis {pk} ist weder unverändert noch ein alter Eintrag: {event}")
        elif old is not None and not _is_short_copy(old):
            findings.append(f"Ereignis {pk} überschrieben: {_changes(old, event)}")
        else:
            expected[key] -= 1
    findings += [
        f"Eintrag des alten Protokolls fehlt ({missing}×): {key}"
        for key, missing in expected.items()
        if missing
    ]
    return _capped(findings)


def _by_key(rows: list[dict], *fields: str) -> dict:
    return {tuple(row[field] for field in fields): row for row in rows}


def _changes(old: dict, new: dict | None) -> str:
    """Only the fields that differ, so a finding fits on a line."""
    if new is None:
        return f"fehlt (vorher {old})"
    fields = sorted(old.keys() | new.keys())
    return ", ".join(
        f"{field}: {old.get(field)!r} -> {new.get(field)!r}"
        for field in fields
        if old.get(field) != new.get(field)
    )


def extracted_texts_not_kept(before: dict, after: dict) -> list[str]:
    """Each DocumentText is the ExtractedText (source "dokumente", its document's id) with
    the same file, status, text, note and time."""
    old = _by_key(before["extracted_texts"], "source", "object_id")
    new = _by_key(after["extracted_texts"], "source", "object_id")
    findings = [
        f"{key}: {_changes(row, new.get(key))}" for key, row in old.items() if new.get(key) != row
    ]
    findings += [f"{key}: neu {new[key]}" for key in new.keys() - old.keys()]
    return _capped(findings)


def search_entries_not_kept(before: dict, after: dict) -> list[str]:
    """Each search entry keeps its id, source, object, title, address, year, category (the
    field of action's id) and municipalities; none appears or vanishes."""
    old = _by_key(before["search_entries"], "id")
    new = _by_key(after["search_entries"], "id")
    findings = [
        f"Eintrag {key[0]}: {_changes(row, new.get(key))}"
        for key, row in old.items()
        if new.get(key) != row
    ]
    findings += [f"Eintrag {key[0]}: neu {new[key]}" for key in new.keys() - old.keys()]
    return _capped(findings)


def search_answers_that_changed(before: dict, after: dict) -> list[str]:
    """Each user gets the same hits and counts per type for each query."""
    return [
        f"{question}: vorher {answer}, nachher {after['search'].get(question)}"
        for question, answer in before["search"].items()
        if after["search"].get(question) != answer
    ]


def search_structures_lost(before: dict, after: dict) -> list[str]:
    """The search's own structures survive (on SQLite the FTS table and the trigger that a
    table rebuild drops; on PostgreSQL the GIN and trigram indexes); only the index of the
    removed field_of_action column may go."""
    lost = set(before["search_structures"]) - set(after["search_structures"])
    return sorted(name for name in lost if "field_of_action" not in name)
