"""One dataset: `generate` writes every part in one transaction; `ensure_dataset` builds it
only when the database does not hold it yet (keyed by generator version, scale, seed and
migrations) and then rebuilds the search index."""

import datetime as dt
import random
import time

from .context import Run
from .meetings import generate_meetings
from .news import generate_news
from .participation import generate_participation
from .projects import generate_projects
from .stakeholders import generate_stakeholders
from .users import _ensure_reference_data, generate_users
from .writer import Writer

DEFAULT_SEED = 20190901
GENERATOR_VERSION = "5"


def generate(*, scale: float, seed: int = DEFAULT_SEED, stdout=print) -> dict:
    """Write the dataset into the (empty, migrated) default database. Returns row counts."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from meetings.models import (
        ActionItem,
        AgendaItem,
        Attendance,
        Body,
        Decision,
        DecisionCounter,
        Meeting,
        Membership,
    )
    from news.models import Distribution, PressRelease
    from news.models import Tag as PressTag
    from participation.models import Contribution, Participation, Support
    from projects.models import BudgetLine, FundingDecision, Milestone, ProgressReport, Project
    from soest_office.models import Municipality, User
    from stakeholders.models import Contact, DistributionList, Organisation, Tag

    rnd = random.Random(seed)
    tz = dt.UTC
    now = dt.datetime(2026, 6, 1, 9, 0, tzinfo=tz)
    w = Writer(connection, now)
    started = time.monotonic()

    def step(label):
        stdout(f"  {label:<28} {time.monotonic() - started:6.1f} s")

    run = Run(scale=scale, rnd=rnd, w=w, now=now, step=step)
    with transaction.atomic():
        _ensure_reference_data()
        people = generate_users(run)
        n_proj = generate_projects(run, people)
        recipients = generate_stakeholders(run, people, n_proj)
        generate_news(run, people, n_proj, recipients)
        generate_meetings(run, people, n_proj)
        # Last: it draws after everything else, so the rows above stay as they were.
        generate_participation(run, people.office_ids)

        # Explicit ids were written: move the sequences past them.
        models = [
            Municipality,
            User,
            Project,
            FundingDecision,
            BudgetLine,
            Milestone,
            ProgressReport,
            Organisation,
            Tag,
            Contact,
            DistributionList,
            PressTag,
            PressRelease,
            Distribution,
            Body,
            Membership,
            Meeting,
            AgendaItem,
            Attendance,
            Decision,
            DecisionCounter,
            ActionItem,
            Participation,
            Contribution,
            Support,
        ]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("fertig (ANALYZE)")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "rows": dict(sorted(w.counts.items())),
    }


SEARCH_INDEX_CHUNK = 10_000


def _index_chunk(task):
    from soest_office.search.indexing import search_index_bulk
    from soest_office.search.registry import sources

    key, ids = task
    model = next(source.model for source in sources() if source.key == key)
    return key, search_index_bulk(model, ids)


def rebuild_search_index_parallel(workers: int = 2) -> dict:
    """The search index of the fresh dataset, built by `workers` processes (PostgreSQL).

    Indexing is half Python (building each document) and half PostgreSQL (stemming, GIN
    inserts); one process leaves a core idle. The same indexing functions the application
    uses, run over chunks of primary keys."""
    import multiprocessing

    from django.db import connections

    from soest_office.search.registry import sources

    tasks = []
    for source in sources():
        ids = list(source.queryset().order_by("pk").values_list("pk", flat=True))
        tasks += [
            (source.key, ids[i : i + SEARCH_INDEX_CHUNK])
            for i in range(0, len(ids), SEARCH_INDEX_CHUNK)
        ]
    connections.close_all()  # every process opens its own connection
    counts = {}
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for key, count in pool.imap_unordered(_index_chunk, tasks):
            counts[key] = counts.get(key, 0) + count
    return counts


def dataset_key(scale: float, seed: int) -> str:
    from .. import database

    return (
        f"v{GENERATOR_VERSION}|scale={scale:g}|seed={seed}|migrations={database.migration_state()}"
    )


def ensure_dataset(*, scale: float, seed: int, force: bool = False, keep: bool = False) -> dict:
    """Migrate and generate unless the database already holds this very dataset (or, with
    `keep`, any complete dataset of this scale and seed, e.g. from an older generator)."""
    from django.core.management import call_command
    from django.db import connection

    from .. import database

    key = dataset_key(scale, seed)
    marker = database.read_marker() or ""
    if keep and f"|scale={scale:g}|seed={seed}|" in marker:
        print(f"Vorhandener Datensatz wird behalten ({marker}).")
        return {"reused": True, "key": marker}
    if not force and marker == key:
        print(f"Datensatz vorhanden ({key}), wird wiederverwendet.")
        return {"reused": True, "key": key}
    print(f"Erzeuge Datensatz {key} in {connection.settings_dict['NAME']} …")
    database.wipe()
    connection.close()
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = round(time.monotonic() - started, 1)
    database.write_marker("building")
    info = generate(scale=scale, seed=seed)
    # Bulk rows bypass the signals that feed the global search index: rebuild it once.
    from django.core.management import get_commands

    if "rebuild_search_index" in get_commands():
        started = time.monotonic()
        if connection.vendor == "postgresql":
            info["search_index_entries"] = rebuild_search_index_parallel()
            # What autovacuum does in production a minute after such a load (this machine's
            # PostgreSQL runs with autovacuum off): statistics for the planner, visibility
            # maps, and the GIN indexes' pending lists (rows inserted after the index was
            # created, scanned one by one by every search) merged into the indexes. Without
            # it the contact search took 60 ms of trigram pending list instead of 5 ms.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        else:  # SQLite takes one writer at a time
            call_command("rebuild_search_index", verbosity=0)
        info["search_index_seconds"] = round(time.monotonic() - started, 1)
    database.write_marker(key)
    return {"reused": False, "key": key, "migrate_seconds": migrate_seconds, **info}
