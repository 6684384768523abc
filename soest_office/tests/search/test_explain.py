"""At benchmark scale PostgreSQL answers searches from the GIN indexes, not a table scan."""

import pytest
from django.db import connection

from soest_office.search.backends import PostgresBackend
from soest_office.search.models import SearchEntry
from soest_office.search.query import parse_query

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
