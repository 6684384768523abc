"""Matching and ranking on PostgreSQL (production) and SQLite (embedded default).

Both receive a ParsedQuery whose clauses hold only folded letters and digits, and build
their query language from those; user text never reaches tsquery or FTS5 syntax.

PostgreSQL: a stored tsvector per entry (configuration `soest_german`: unaccent + german
stemming; weights title A, summary B, body C, names D) with a GIN index, ranked by
ts_rank; typo tolerance through pg_trgm `<%` on the folded names and Kölner Phonetik codes.
SQLite: an FTS5 table holding the same texts stemmed in Python (Snowball German), ranked
by bm25 with column weights; typo tolerance through its vocabulary (difflib) and the same
phonetic codes.
"""

# SQL here is built from constants only; every value (the words of a query) is a bound
# parameter, and those words hold nothing but letters and digits.
# ruff: noqa: S608, S611

from __future__ import annotations

import difflib
from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from .models import SearchEntry
from .normalize import contract, contracted_text, phonetic, stem, stemmed_text
from .query import Clause, ParsedQuery

MAX_INDEXED_CHARS = 100_000
PG_CONFIG = "soest_german"
ENTRY_TABLE = "soest_office_searchentry"
# The columns of an entry that a re-index replaces.
ENTRY_FIELDS = [
    "title",
    "summary",
    "body",
    "names_norm",
    "phonetic",
    "url",
    "category_id",
    "year",
]


def _texts(entry) -> tuple[str, str, str, str]:
    return (
        entry.title,
        entry.summary[:MAX_INDEXED_CHARS],
        entry.body[:MAX_INDEXED_CHARS],
        entry.names_norm,
    )


class PostgresBackend:
    vendor = "postgresql"

    # The whole entry, its weighted vector included, in one statement per batch: values
    # travel as arrays and are unnested in SQL, and the row is written once (a separate
    # UPDATE of the vector would write every row and its GIN index entries twice).
    UPSERT_SQL = (
        f"INSERT INTO {ENTRY_TABLE} (source, object_id, title, summary, body, names_norm, "
        "phonetic, url, category_id, year, updated_at, vector) "
        "SELECT %s, d.object_id, d.title, d.summary, d.body, d.names_norm, d.phonetic, d.url, "
        "d.category_id, d.year, now(), "
        f"setweight(to_tsvector('{PG_CONFIG}', d.v_title), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}', d.v_summary), 'B') || "
        f"setweight(to_tsvector('{PG_CONFIG}', d.v_body), 'C') || "
        f"setweight(to_tsvector('{PG_CONFIG}', d.v_names), 'D') "
        "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
        "%s::text[], %s::bigint[], %s::int[], %s::text[], %s::text[], %s::text[], %s::text[]) "
        "AS d(object_id, title, summary, body, names_norm, phonetic, url, category_id, "
        "year, v_title, v_summary, v_body, v_names) "
        "ON CONFLICT (source, object_id) DO UPDATE SET title = EXCLUDED.title, "
        "summary = EXCLUDED.summary, body = EXCLUDED.body, names_norm = EXCLUDED.names_norm, "
        "phonetic = EXCLUDED.phonetic, url = EXCLUDED.url, "
        "category_id = EXCLUDED.category_id, year = EXCLUDED.year, "
        "updated_at = EXCLUDED.updated_at, vector = EXCLUDED.vector "
        "RETURNING object_id, id"
    )

    def save(self, source_key: str, entries: Sequence) -> None:
        """Insert or replace the entries of one source; sets each entry's pk."""
        if not entries:
            return
        rows = [
            (
                e.object_id,
                e.title,
                e.summary,
                e.body,
                e.names_norm,
                e.phonetic,
                e.url,
                e.category_id,
                e.year,
                *(contracted_text(t) for t in _texts(e)),
            )
            for e in entries
        ]
        columns = [list(column) for column in zip(*rows, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(self.UPSERT_SQL, [source_key, *columns])
            ids = dict(cursor.fetchall())
        for entry in entries:
            entry.pk = ids[entry.object_id]

    def _clause_query(self, clause: Clause, *, prefix: bool = False) -> SearchQuery:
        words = [contract(w) for w in clause]
        if len(words) > 1:
            return SearchQuery(" ".join(words), config=PG_CONFIG, search_type="phrase")
        query = SearchQuery(words[0], config=PG_CONFIG, search_type="plain")
        if prefix:
            # The word holds only letters and digits, so quoting it keeps to_tsquery safe.
            query |= SearchQuery(f"'{words[0]}':*", config=PG_CONFIG, search_type="raw")
        return query

    def match(self, qs: QuerySet, parsed: ParsedQuery, *, fuzzy=False, prefix=False):
        """Filter `qs` to entries matching the query; returns (queryset, rank expression)."""
        last = len(parsed.required) - 1
        fuzzy_terms = set(parsed.fuzzy_terms()) if fuzzy else set()
        combined = None
        similarity = []
        for i, clause in enumerate(parsed.required):
            query = self._clause_query(clause, prefix=prefix and i == last)
            combined = query if combined is None else combined & query
            condition = Q(vector=query)
            if clause[0] in fuzzy_terms and len(clause) == 1:
                word = clause[0]
                # pg_trgm's `<%`: the word is similar to some extent of the names (GIN index).
                condition |= Q(
                    Func(
                        Value(word),
                        F("names_norm"),
                        template="(%(expressions)s)",
                        arg_joiner=" <%% ",
                        output_field=BooleanField(),
                    )
                )
                code = phonetic(word)
                if len(code) >= 2:
                    condition |= Q(phonetic__contains=f" {code} ")
                similarity.append(
                    Func(
                        Value(word),
                        F("names_norm"),
                        function="word_similarity",
                        output_field=FloatField(),
                    )
                )
            qs = qs.filter(condition)
        for clause in parsed.excluded:
            qs = qs.exclude(vector=self._clause_query(clause))
        rank = SearchRank(F("vector"), combined)
        for expression in similarity:
            rank = rank + expression
        return qs, rank


class SqliteBackend:
    vendor = "sqlite"
    fts = "soest_search_fts"
    text_columns = "{title summary body names}"
    # bm25 weights of title, summary, body, names, phon: title above summary above body.
    rank_sql = "-bm25(soest_search_fts, 10.0, 4.0, 1.0, 0.5, 0.0)"

    def save(self, source_key: str, entries: Sequence) -> None:
        """Insert or replace the entries of one source and their FTS5 rows; sets the pks."""
        if not entries:
            return
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["source", "object_id"],
            update_fields=[*ENTRY_FIELDS, "updated_at"],
        )
        # SQLite returns no ids for rows that were updated instead of inserted.
        ids = dict(
            SearchEntry.objects.filter(
                source=source_key, object_id__in=[e.object_id for e in entries]
            ).values_list("object_id", "pk")
        )
        for entry in entries:
            entry.pk = ids[entry.object_id]
        rows = [(e.pk, *(stemmed_text(t) for t in _texts(e)), e.phonetic.strip()) for e in entries]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {self.fts} WHERE rowid = %s",
                [(e.pk,) for e in entries],
            )
            cursor.executemany(
                f"INSERT INTO {self.fts} (rowid, title, summary, body, names, phon) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )

    def _phrase(self, clause: Clause) -> str:
        return '"' + " ".join(stem(w) for w in clause) + '"'

    def _close_words(self, word: str) -> list[str]:
        target = stem(word)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM soest_search_fts_vocab WHERE col = 'names' "
                "AND length(term) BETWEEN %s AND %s",
                [len(target) - 2, len(target) + 2],
            )
            vocabulary = [row[0] for row in cursor.fetchall()]
        return difflib.get_close_matches(target, vocabulary, n=5, cutoff=0.8)

    def _clause_expr(self, clause: Clause, *, prefix=False, fuzzy=False) -> str:
        alternatives = [self._phrase(clause)]
        if prefix and len(clause) == 1:
            # The stored words are stemmed (ue -> u included): match the stemmed prefix too.
            alternatives += [f'"{stem(clause[0])}"*', f'"{clause[0]}"*']
        if fuzzy:
            alternatives += [f'"{w}"' for w in self._close_words(clause[0])]
        expr = f"({self.text_columns} : ({' OR '.join(alternatives)}))"
        code = phonetic(clause[0]) if fuzzy else ""
        if len(code) >= 2:
            expr = f'({expr} OR (phon : "{code}"))'
        return expr

    def match_expression(self, parsed: ParsedQuery, *, fuzzy=False, prefix=False) -> str:
        last = len(parsed.required) - 1
        fuzzy_terms = set(parsed.fuzzy_terms()) if fuzzy else set()
        parts = [
            self._clause_expr(
                clause,
                prefix=prefix and i == last,
                fuzzy=len(clause) == 1 and clause[0] in fuzzy_terms,
            )
            for i, clause in enumerate(parsed.required)
        ]
        expression = " AND ".join(parts)
        for clause in parsed.excluded:
            expression = f"({expression}) NOT ({self.text_columns} : {self._phrase(clause)})"
        return expression

    def match(self, qs: QuerySet, parsed: ParsedQuery, *, fuzzy=False, prefix=False):
        expression = self.match_expression(parsed, fuzzy=fuzzy, prefix=prefix)
        matching = RawSQL(
            f"SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH %s",
            [expression],
        )
        # A correlated subquery per entry; the joiner puts the entry's id after `rowid =`
        # so that Django can alias the outer table when this ends up inside a subquery.
        rank = Func(
            Value(expression),
            F("pk"),
            template=(
                f"(SELECT {self.rank_sql} FROM {self.fts} WHERE {self.fts} MATCH %(expressions)s)"
            ),
            arg_joiner=" AND rowid = ",
            output_field=FloatField(),
        )
        return qs.filter(pk__in=matching), rank


def get_backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"Suche für Datenbank {connection.vendor} nicht verfügbar")
