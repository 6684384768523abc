"""At benchmark scale PostgreSQL answers searches from the GIN indexes, not a table scan."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soest_office.search.backends import PostgresBackend
from soest_office.search.engine import search
from soest_office.search.models import SearchEntry
from soest_office.search.query import parse_query
from soest_office.search.registry import sources

ROWS = 20_000

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN der GIN-Indizes braucht PostgreSQL (DATABASE_URL, zweiter Lauf)",
    ),
]


@pytest.fixture
def many_entries(db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO soest_office_searchentry
                (source, object_id, title, summary, body, names_norm, phonetic, url,
                 updated_at, vector)
            SELECT 'projekte', g, 'Projekt ' || g, '', 'Text ' || md5(g::text),
                   'projekt ' || md5(g::text), ' 1 ', '/x/', now(),
                   to_tsvector('soest_german', 'projekt nummer ' || md5(g::text))
            FROM generate_series(1, %s) AS g
            """,
            [ROWS],
        )
        # What autovacuum does in production: move the GIN pending lists into the index.
        for index in ("search_entry_vector_gin", "search_entry_names_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE soest_office_searchentry")
    entry = SearchEntry(
        source="projekte",
        object_id=ROWS + 1,
        title="Glasfaser Lippstadt",
        names_norm="glasfaser lippstadt",
        url="/y/",
    )
    PostgresBackend().save("projekte", [entry])


def _plan(qs) -> str:
    with connection.cursor() as cursor:
        # Small tables tempt the planner to scan; at 20,000 rows it must not need to.
        cursor.execute("SET LOCAL enable_seqscan = off")
    return qs.explain()


def test_full_text_search_uses_the_vector_gin_index(many_entries):
    qs, _rank = PostgresBackend().match(SearchEntry.objects.all(), parse_query("Glasfaser"))
    assert [e.title for e in qs] == ["Glasfaser Lippstadt"]
    plan = qs.explain()
    assert "Bitmap Index Scan on search_entry_vector_gin" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_typo_tolerance_uses_the_trigram_index(many_entries):
    qs, _rank = PostgresBackend().match(
        SearchEntry.objects.all(), parse_query("Lipstadt"), fuzzy=True
    )
    assert [e.title for e in qs] == ["Glasfaser Lippstadt"]
    plan = _plan(qs)
    assert "search_entry_names_trgm" in plan, plan


def test_every_source_has_its_partial_vector_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'soest_office_searchentry'"
        )
        names = {row[0] for row in cursor.fetchall()}
    missing = {s.key for s in sources()} - {
        name.removeprefix("search_entry_vector_") for name in names
    }
    assert not missing, f"Migration mit GIN-Index je Quelle fehlt für: {missing}"


@pytest.fixture
def common_word_entries(db):
    """The benchmark's scale 1 for the two sources the word is most common in: 200,000
    contact notes and 2,000 projects; a tenth of each name a Förderbescheid."""
    with connection.cursor() as cursor:
        for source, rows in (("kontakthistorie", 200_000), ("projekte", 2_000)):
            cursor.execute(
                """
                INSERT INTO soest_office_searchentry
                    (source, object_id, title, summary, body, names_norm, phonetic, url,
                     updated_at, vector)
                SELECT %s, g, 'Eintrag ' || g, '', '', '', ' 1 ', '/x/', now(),
                       to_tsvector('soest_german', md5(g::text) ||
                           CASE WHEN g %% 10 = 0 THEN ' forderbescheid' ELSE '' END)
                FROM generate_series(1, %s) AS g
                """,
                [source, rows],
            )
        for key in ("kontakthistorie", "projekte"):
            cursor.execute(
                "SELECT gin_clean_pending_list(%s::regclass)", [f"search_entry_vector_{key}"]
            )
        cursor.execute("ANALYZE soest_office_searchentry")


def test_search_reads_each_source_through_its_partial_index(common_word_entries, django_user_model):
    from soest_office.access import Role

    office = django_user_model.objects.create_user("buero-explain")
    office.groups.add(Group.objects.get(name=Role.OFFICE.value))
    with CaptureQueriesContext(connection) as captured:
        result = search(office, "Förderbescheid")
    # 20,000 contact notes match: read up to the limit; the 200 projects are all counted.
    assert result.capped == {"kontakthistorie"}
    assert {s.key: n for s, n in result.type_counts}["projekte"] == 200
    sql = max(captured.captured_queries, key=lambda q: len(q["sql"]))["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for key in ("kontakthistorie", "projekte"):
        assert f"Bitmap Index Scan on search_entry_vector_{key}" in plan, plan
    # (Small tables such as the municipalities may be scanned.)
    assert not re.search(r"Seq Scan on soest_office_searchentry(\s|$)", plan), plan


@pytest.mark.django_db(transaction=True)
def test_rebuild_vacuums_the_search_tables(reference_data):
    """After a rebuild the GIN pending lists are merged (VACUUM), not left for every search
    to scan entry by entry."""
    from django.core.management import call_command

    call_command("rebuild_search_index", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables "
            "WHERE relname = 'soest_office_searchentry'"
        )
        last_vacuum, last_analyze = cursor.fetchone()
    assert last_vacuum is not None
    assert last_analyze is not None
