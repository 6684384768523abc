"""The one-pass SQL summary of a search: counts per type, facets and the ids of the hits to
show, from a single statement over the matching entries of the user's scope."""

# The SQL of `_summarise` is built from constants, quoted table names and the SQL Django
# compiles for the matching queryset; every value (filters, limits) is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection as db_connection
from django.db.models import F, QuerySet

from soest_office.models import Municipality

from .filters import Filters
from .models import SearchEntry
from .registry import Source, category_facet


@dataclass
class _Summary:
    """What one pass over the matching entries yields."""

    type_counts: list[tuple[Source, int]] = field(default_factory=list)
    capped: set[str] = field(default_factory=set)
    municipality_facet: list[dict] = field(default_factory=list)
    category_facet: list[dict] = field(default_factory=list)
    year_facet: list[dict] = field(default_factory=list)
    hit_ids: list[int] = field(default_factory=list)  # in display order


def _summarise(
    matches: list[tuple[Source, QuerySet | None, QuerySet, object]],
    filters: Filters,
    *,
    page: tuple[int, int] | None = None,
    aggregates: bool = True,
) -> _Summary:
    """Counts per type, the three facets and the ids of the hits to show, from ONE pass
    over the matching entries (every further pass, one per count, facet and the ranking,
    would read them all again).

    The pass reads at most MATCH_LIMIT + 1 matches of each type, with the chosen
    municipality, field of action and year applied (facets narrow the search down), and
    ranks only those: a word found in 30,000 contact notes costs what 500 cost.
    `matches` holds, per source, the user's scope (None: all of it), the matching entries
    and their rank. On PostgreSQL each source's matches are a MATERIALIZED CTE (`e<i>`),
    read lazily until the limit is reached: the planner plans it for all matches (a bitmap
    scan of the source's partial GIN index, migration 0008) instead of hoping that a table
    scan meets enough matches early. The scope is checked per entry read (`s<i>`; OFFSET 0
    keeps it a lookup by primary key instead of a join that reads the whole scope first).
    Hits: the best GROUP_SIZE per type (overview) or one page (`page`: offset, limit) of
    the chosen type, ordered by rank, title and id. Only ids and ranks are sorted; the
    texts of the few hits shown are read afterwards."""
    # The limits are the engine's, read on each call: a test that lowers
    # `engine.MATCH_LIMIT` changes them here too (and the engine imports this module).
    from .engine import GROUP_SIZE, MATCH_LIMIT

    facet = category_facet()

    qn = db_connection.ops.quote_name
    through = SearchEntry.municipalities.through
    allowed = [source for source, _visible, _matched, _rank in matches]
    postgres = db_connection.vendor == "postgresql"
    fence = " MATERIALIZED" if postgres else ""
    probe = " OFFSET 0" if postgres else ""
    ctes, samples, params = [], [], []
    for i, (_source, visible, matched, rank) in enumerate(matches):
        sql, values = (
            filters.apply(matched, skip="source")
            .order_by()
            .annotate(rank=rank)
            .values_list("id", "object_id", "source", "year", "category_id", "title", "rank")
            .query.sql_with_params()
        )
        ctes.append(
            f"e{i} (id, object_id, source, year, category_id, title, rank) AS{fence} ({sql})"
        )
        params += values
        scope = ""
        if visible is not None:
            visible_sql, visible_values = (
                visible.order_by().values(visible_pk=F("pk")).query.sql_with_params()
            )
            scope = (
                f" WHERE EXISTS (SELECT 1 FROM ({visible_sql}) v{i} "
                f"WHERE v{i}.visible_pk = e{i}.object_id{probe})"
            )
            params += visible_values
        ctes.append(
            f"s{i} AS (SELECT e{i}.id, e{i}.source, e{i}.year, e{i}.category_id, "
            f"e{i}.title, e{i}.rank FROM e{i}{scope} LIMIT %s)"
        )
        params.append(MATCH_LIMIT + 1)
        samples.append(f"SELECT * FROM s{i}")

    # Municipality, field and year are applied inside the samples already; what is left
    # is the chosen type, which every part but the counts per type applies.
    any_type = ("1 = 1", [])
    chosen_type = ("m.source = %s", [filters.source.key]) if filters.source else any_type

    # Every part yields (kind, key, n, label, position); UNION ALL needs one shape.
    parts: list[str] = []
    if aggregates:
        clause, values = any_type
        parts.append(
            "SELECT 'typ', CAST(m.source AS TEXT), COUNT(*), CAST(NULL AS TEXT), "
            "CAST(NULL AS INTEGER) FROM m "
            f"WHERE {clause} GROUP BY m.source"
        )
        params += values
        clause, values = chosen_type
        parts.append(
            "SELECT 'kommune', CAST(mu.slug AS TEXT), c.n, CAST(mu.name AS TEXT), "
            f"CAST(NULL AS INTEGER) FROM (SELECT t.{qn('municipality_id')} AS municipality_id, "
            f"COUNT(*) AS n FROM {qn(through._meta.db_table)} t "
            f"WHERE t.{qn('searchentry_id')} IN (SELECT m.id FROM m WHERE {clause}) "
            f"GROUP BY t.{qn('municipality_id')}) c "
            f"JOIN {qn(Municipality._meta.db_table)} mu ON mu.id = c.municipality_id"
        )
        params += values
        if facet is not None:
            clause, values = chosen_type
            parts.append(
                "SELECT 'kategorie', CAST(f.slug AS TEXT), COUNT(*), CAST(f.name AS TEXT), "
                f"CAST(f.position AS INTEGER) FROM m JOIN {qn(facet.model._meta.db_table)} f "
                f"ON f.id = m.category_id WHERE {clause} "
                "GROUP BY f.slug, f.name, f.position"
            )
            params += values
        clause, values = chosen_type
        parts.append(
            "SELECT 'jahr', CAST(m.year AS TEXT), COUNT(*), CAST(NULL AS TEXT), "
            "CAST(NULL AS INTEGER) FROM m "
            f"WHERE {clause} AND m.year IS NOT NULL GROUP BY m.year"
        )
        params += values
    clause, values = chosen_type
    if page is None:
        # The best few of each type: a top-N sort per type instead of sorting every match.
        for i, source in enumerate(allowed):
            parts.append(
                f"SELECT 'treffer', CAST(h.id AS TEXT), {i * 1000} + ROW_NUMBER() OVER "
                "(ORDER BY h.rank DESC, h.title, h.id), CAST(NULL AS TEXT), "
                "CAST(NULL AS INTEGER) FROM (SELECT m.id, m.rank, m.title FROM m "
                f"WHERE {clause} AND m.source = %s "
                "ORDER BY m.rank DESC, m.title, m.id LIMIT %s) h"
            )
            params += [*values, source.key, GROUP_SIZE]
    else:
        offset, limit = page
        parts.append(
            "SELECT 'treffer', CAST(h.id AS TEXT), h.position, CAST(NULL AS TEXT), "
            "CAST(NULL AS INTEGER) FROM ("
            "SELECT m.id, ROW_NUMBER() OVER (ORDER BY m.rank DESC, m.title, m.id) AS position "
            f"FROM m WHERE {clause}) h WHERE h.position > %s AND h.position <= %s"
        )
        # The row read beyond the limit only tells that there are more: never shown.
        params += [*values, offset, min(offset + limit, MATCH_LIMIT)]
    sql = (
        f"WITH {', '.join(ctes)}, m (id, source, year, category_id, title, rank) AS "
        f"({' UNION ALL '.join(samples)}) " + " UNION ALL ".join(parts)
    )
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    summary = _Summary()
    counts, hits = {}, []
    for kind, key, n, label, position in rows:
        if kind == "typ":
            counts[key] = min(n, MATCH_LIMIT)
            if n > MATCH_LIMIT:
                summary.capped.add(key)
        elif kind == "kommune":
            summary.municipality_facet.append({"slug": key, "name": label, "count": n})
        elif kind == "kategorie":
            summary.category_facet.append(
                {"slug": key, "name": label, "count": n, "position": position}
            )
        elif kind == "jahr":
            summary.year_facet.append({"year": int(key), "count": n})
        else:
            hits.append((n, int(key)))
    summary.type_counts = [(s, counts[s.key]) for s in allowed if counts.get(s.key)]
    summary.municipality_facet.sort(key=lambda f: f["name"])
    summary.category_facet.sort(key=lambda f: (f.pop("position"), f["name"]))
    summary.year_facet.sort(key=lambda f: -f["year"])
    summary.hit_ids = [pk for _position, pk in sorted(hits)]
    return summary
