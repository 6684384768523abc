"""Keeping the search index current: the functions signals, tasks and commands call.

Writes of the apps never index inside the request: the signal receivers (signals.py) note
what changed and queue one task after commit (`search_index_changes`), which indexes the
changed objects and the documents that show data of them (a project's title in its
reports). Bulk paths that send no signals (`QuerySet.update()`, `bulk_create()`, imports,
merges) call `search_index_bulk(Model, ids)` from their own background task, or
`search_index_later(Model, ids)` to queue it. All functions are idempotent; objects that no
longer exist leave the index, with their extracted file text.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, connections, transaction

from .. import caching
from .backends import MAX_INDEXED_CHARS, get_backend
from .models import ExtractedText, SearchEntry
from .normalize import normalized_text, phonetic_text
from .registry import Source, source_for_model, sources

CHUNK_SIZE = 500
# The cache generation (soest_office.caching) of the search page's results and the
# suggestions (views.py): new after every write of the index and of the data it scopes by.
GENERATION = "search"
MAX_EXTRACTED_CHARS = 200_000


def _entry_for(source: Source, obj, extracted: str) -> tuple[SearchEntry, list[int]] | None:
    document = source.document(obj)
    if document is None:
        return None
    names = f"{document.title} {document.names}"
    body = "\n".join(part for part in (document.body, extracted[:MAX_EXTRACTED_CHARS]) if part)
    entry = SearchEntry(
        source=source.key,
        object_id=obj.pk,
        title=document.title[:300],
        summary=(document.summary or "")[:MAX_INDEXED_CHARS],
        body=body[:MAX_INDEXED_CHARS],
        names_norm=normalized_text(names),
        phonetic=f" {phonetic_text(names)} ",
        url=document.url,
        category_id=document.category_id,
        year=document.year,
    )
    return entry, sorted({m for m in document.municipality_ids if m})


def _extracted_texts(source: Source, objects: list) -> dict[int, str]:
    """The extracted file texts of these objects (one query, for sources with files)."""
    if not source.file_field or not objects:
        return {}
    return dict(
        ExtractedText.objects.filter(
            source=source.key,
            object_id__in=[obj.pk for obj in objects],
            status=ExtractedText.Status.DONE,
        ).values_list("object_id", "text")
    )


@transaction.atomic
def search_index_objects(source: Source, objects: Iterable) -> int:
    """Write the entries of these objects of one source (create, replace or remove)."""
    objects = list(objects)
    texts = _extracted_texts(source, objects)
    built = []
    gone = []
    for obj in objects:
        result = _entry_for(source, obj, texts.get(obj.pk, ""))
        if result is None:
            gone.append(obj.pk)
        else:
            built.append(result)
    if gone or built:
        index_changed()
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
    """(Re)index one object of a registered source now; removes it when no longer
    indexable. For tasks and commands (requests queue through the signals)."""
    source = source_for_model(type(obj))
    if source is not None:
        search_index_bulk(source.model, [obj.pk])


def search_index_bulk(model, ids: Iterable[int] | None = None) -> int:
    """Reindex the given objects (all of the model when `ids` is None) now; entries of
    objects that no longer exist are removed. For tasks: imports, merges, erasure."""
    source = source_for_model(model)
    if source is None:
        return 0
    return _reindex(source, None if ids is None else list(ids))


def search_index_remove(model, ids: Iterable[int]) -> None:
    """Remove these objects' entries (and extracted file texts) now, in the caller's
    transaction: for erasure, where a name must not stay findable until a task runs."""
    source = source_for_model(model)
    if source is None:
        return
    ids = list(ids)
    SearchEntry.objects.filter(source=source.key, object_id__in=ids).delete()
    ExtractedText.objects.filter(source=source.key, object_id__in=ids).delete()
    index_changed()


def search_index_later(model, ids: Iterable[int]) -> None:
    """Queue the reindexing of these objects after the current transaction commits (for
    write paths that bypass model signals)."""
    from .signals import pending

    for pk in ids:
        pending.add(model, pk)


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
    texts = ExtractedText.objects.filter(source=source.key)
    if ids is not None:
        stale = stale.filter(object_id__in=ids)
        texts = texts.filter(object_id__in=ids)
    if stale.exclude(object_id__in=seen).delete()[0]:
        index_changed()
    if source.file_field:
        texts.exclude(object_id__in=seen).delete()
    return count


def search_index_changes(changes: dict[str, list[int]]) -> int:
    """Index what changed: `changes` maps model labels ("projects.project") to ids of
    objects saved, deleted or otherwise changed. Indexes those of registered sources and,
    for every source that depends on a changed model, the documents showing its data."""
    from django.apps import apps

    count = 0
    for label, ids in changes.items():
        model = apps.get_model(label)
        count += search_index_bulk(model, ids)
        for source in sources():
            for dependency, resolve in source.dependencies:
                if dependency is model:
                    dependent = list(resolve(ids).values_list("pk", flat=True))
                    if dependent:
                        count += search_index_bulk(source.model, dependent)
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
    index_changed()
    return counts


def index_changed() -> None:
    """Start a new generation of the cached search results and suggestions (GENERATION),
    now and once more when the transaction commits (caching.bump_written)."""
    caching.bump_written(GENERATION)


def connect_generation() -> None:
    """The cached search answers depend on the index and on who may see which object: a
    write to any model of an app with a search source (the rules ask those apps' rows: a
    report's status, a project's municipalities, a body's members) or to a municipality
    starts a new generation, like every write of the index itself (`index_changed`)."""
    from ..models import Municipality

    labels = dict.fromkeys(source.model._meta.app_label for source in sources())
    caching.bump_on_writes(GENERATION, [*caching.data_models(*labels), Municipality])


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


def ensure_source_indexes(using: str = "default", **kwargs) -> None:
    """A partial GIN index on the search vector per registered source (PostgreSQL; see
    migration 0008 for why), made after migrate (post_migrate), so a source an app adds
    later gets its index without a kernel migration naming it."""
    db = connections[using]
    table = SearchEntry._meta.db_table
    if db.vendor != "postgresql" or table not in db.introspection.table_names():
        return
    with db.cursor() as cursor:
        for source in sources():
            key = source.key
            if not key.replace("_", "").isalnum():
                continue  # the key becomes part of an identifier
            # The literal predicate, as in 0008: the planner matches it to `source = ...`.
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_entry_vector_{key} ON {table} "
                f"USING gin (vector) WHERE source = '{key}'"
            )
