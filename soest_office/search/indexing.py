"""Keeping the search index current: the functions services, signals and commands call.

Contract for the apps: after a write path that bypasses model signals (`QuerySet.update()`,
`bulk_create()`, raw SQL, imports, merges), call `search_index_bulk(Model, ids)`; single saves
and deletes are covered by the signals in signals.py. All functions are idempotent and run
in the caller's transaction, so a rolled-back write leaves the index as it was.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from .backends import MAX_INDEXED_CHARS, get_backend
from .models import SearchEntry
from .normalize import normalized_text, phonetic_text
from .registry import Source, source_for_model, sources

CHUNK_SIZE = 500


def _entry_for(source: Source, obj) -> tuple[SearchEntry, list[int]] | None:
    document = source.document(obj)
    if document is None:
        return None
    names = f"{document.title} {document.names}"
    entry = SearchEntry(
        source=source.key,
        object_id=obj.pk,
        title=document.title[:300],
        summary=(document.summary or "")[:MAX_INDEXED_CHARS],
        body=(document.body or "")[:MAX_INDEXED_CHARS],
        names_norm=normalized_text(names),
        phonetic=f" {phonetic_text(names)} ",
        url=document.url,
        field_of_action_id=document.field_of_action_id,
        year=document.year,
    )
    return entry, sorted({m for m in document.municipality_ids if m})


@transaction.atomic
def search_index_objects(source: Source, objects: Iterable) -> int:
    """Write the entries of these objects of one source (create, replace or remove)."""
    objects = list(objects)
    built = []
    gone = []
    for obj in objects:
        result = _entry_for(source, obj)
        if result is None:
            gone.append(obj.pk)
        else:
            built.append(result)
    if gone:
        SearchEntry.objects.filter(source=source.key, object_id__in=gone).delete()
    if not built:
        return 0
    entries = [entry for entry, _ in built]
    get_backend().save(source.key, entries)
    through = SearchEntry.municipalities.through
    through.objects.filter(searchentry_id__in=[e.pk for e in entries]).delete()
    through.objects.bulk_create(
        [
            through(searchentry_id=entry.pk, municipality_id=municipality_id)
            for entry, (_, municipality_ids) in zip(entries, built, strict=True)
            for municipality_id in municipality_ids
        ]
    )
    return len(entries)


def search_index_update(obj) -> None:
    """(Re)index one object of a registered source; removes it when no longer indexable."""
    source = source_for_model(type(obj))
    if source is None:
        return
    search_index_bulk(source.model, [obj.pk])


def search_index_delete(model, pk) -> None:
    source = source_for_model(model)
    if source is not None:
        SearchEntry.objects.filter(source=source.key, object_id=pk).delete()


def search_index_bulk(model, ids: Iterable[int] | None = None) -> int:
    """Reindex the given objects (all of the model when `ids` is None); entries of objects
    that no longer exist are removed. For imports, merges, erasure and other bulk paths."""
    source = source_for_model(model)
    if source is None:
        return 0
    return _reindex(source, None if ids is None else list(ids))


@transaction.atomic
def _reindex(source: Source, ids: list | None) -> int:
    queryset = source.queryset().order_by("pk")
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    count = 0
    seen = []
    batch = []
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        batch.append(obj)
        seen.append(obj.pk)
        if len(batch) >= CHUNK_SIZE:
            count += search_index_objects(source, batch)
            batch = []
    count += search_index_objects(source, batch)
    stale = SearchEntry.objects.filter(source=source.key)
    if ids is not None:
        stale = stale.filter(object_id__in=ids)
    stale.exclude(object_id__in=seen).delete()
    return count


def rebuild_search_index(keys: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the entries of the given sources (all when None); returns counts per source.
    Entries of sources no longer registered are removed."""
    wanted = set(keys) if keys else None
    counts = {}
    for source in sources():
        if wanted is None or source.key in wanted:
            counts[source.key] = _reindex(source, None)
    if wanted is None:
        SearchEntry.objects.exclude(source__in=[s.key for s in sources()]).delete()
    return counts


def vacuum_search_tables() -> None:
    """After a bulk (re)build on PostgreSQL: VACUUM (ANALYZE) moves what the GIN indexes
    collected in their pending lists (scanned entry by entry by every search) into the
    indexes and gives the planner statistics, as autovacuum would some time later. Skipped
    inside a transaction (VACUUM cannot run there) and on SQLite."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [SearchEntry._meta.db_table, SearchEntry.municipalities.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
