"""Suggestions for the header's search box: the best prefix matches in the user's scope."""

# The SQL of `suggest` is built from constants and the SQL Django compiles for the matching
# querysets; every value (limits) is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connection as db_connection

from .backends import get_backend
from .models import SearchEntry
from .query import parse_query
from .registry import get_source
from .scope import _scope_q, visible_sources

SUGGESTION_COUNT = 8
SUGGEST_MIN_CHARS = 3


# Suggestions come first from the kinds of objects one jumps to (few entries each); the
# large logs (reports, milestones, contact history) fill up only what is left. A prefix of
# a common word matches tens of thousands of log entries, and ranking them all would cost
# every keystroke that much.
SUGGEST_FIRST = ("projekte", "presse", "dokumente", "kontakte", "organisationen")


def suggest(user, raw_query) -> list[dict]:
    """Top hits for the header box: prefix match on the last word, same scope as search.
    One query: the best of SUGGEST_FIRST, then the best of the other sources; the database
    stops as soon as it has SUGGESTION_COUNT rows, so the second part only runs (and ranks
    its many matches) when the first finds too few. Each source is matched on its own, so
    PostgreSQL uses its partial GIN index (a prefix of a common word matches tens of
    thousands of entries in the index over all sources)."""
    text = raw_query if isinstance(raw_query, str) else ""
    if len(text.strip()) < SUGGEST_MIN_CHARS:
        return []
    parsed = parse_query(text)
    if not parsed.is_searchable:
        return []
    scoped = visible_sources(user)
    if not scoped:
        return []
    backend = get_backend()
    tiers = [
        [(s, v) for s, v in scoped if s.key in SUGGEST_FIRST],
        [(s, v) for s, v in scoped if s.key not in SUGGEST_FIRST],
    ]
    parts, params = [], []
    for i, tier in enumerate(t for t in tiers if t):
        best = []
        for j, (source, visible) in enumerate(tier):
            entries = SearchEntry.objects.filter(_scope_q(source, visible))
            matched, rank = backend.match(entries, parsed, prefix=True)
            sql, values = (
                matched.annotate(rank=rank)
                .order_by("-rank", "title", "pk")
                .values_list("source", "title", "url", "rank")[:SUGGESTION_COUNT]
                .query.sql_with_params()
            )
            best.append(f"SELECT * FROM ({sql}) best{i}_{j}")
            params += values
        parts.append(
            f"SELECT * FROM (SELECT * FROM ({' UNION ALL '.join(best)}) tier{i} "
            f"ORDER BY 4 DESC, 2 LIMIT %s) ranked{i}"
        )
        params.append(SUGGESTION_COUNT)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({' UNION ALL '.join(parts)}) suggestions LIMIT %s",
            [*params, SUGGESTION_COUNT],
        )
        rows = cursor.fetchall()
    return [
        {"title": title, "type": str(get_source(key).label), "url": url}
        for key, title, url, _rank in rows
    ]
