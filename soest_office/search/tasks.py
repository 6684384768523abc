"""Background jobs of the search: index upkeep after writes, file text extraction, rebuilds."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .indexing import rebuild_search_index, search_index_bulk, search_index_changes

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def index_changes(*, changes: dict[str, list[int]]) -> int:
    """Index the objects a transaction changed ({"app.model": [ids]}) and the documents
    that show their data. Idempotent: reads the current state, so running it twice, late or
    after a killed worker leaves the same index; deleted objects leave it."""
    return search_index_changes(changes)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def extract_file_text(*, source: str, object_id: int) -> str:
    """Extract the text of the uploaded file of one object of a search source and reindex
    the object.

    Idempotent: an object whose current file was already handled is skipped, so a retried
    or redelivered task does the work once. Limits (size, pages, characters, wall clock) come
    from extract.Limits; the soft/hard time limits stop anything that still hangs. A file that
    cannot be read is recorded as skipped/failed with a German note, never retried.
    """
    from .extract import ExtractionError, extract_text
    from .models import ExtractedText
    from .registry import get_source

    registered = get_source(source)
    if registered is None or not registered.file_field:
        return "gone"
    obj = registered.model._default_manager.filter(pk=object_id).first()
    stored = getattr(obj, registered.file_field, None) if obj is not None else None
    if not stored:
        return "gone"
    existing = ExtractedText.objects.filter(source=source, object_id=object_id).first()
    if existing is not None and existing.file_name == stored.name:
        return "unchanged"
    status, text, note = ExtractedText.Status.DONE, "", ""
    try:
        with stored.open("rb") as fileobj:
            text = extract_text(fileobj, stored.name, size=stored.size)
    except ExtractionError as exc:
        status, note = ExtractedText.Status.SKIPPED, str(exc)
    except SoftTimeLimitExceeded:
        status, note = ExtractedText.Status.FAILED, "Zeitlimit überschritten."
    except Exception:  # a hostile file must not crash-loop the worker
        logger.exception("text extraction failed for %s %s", source, object_id)
        status, note = ExtractedText.Status.FAILED, "Datei nicht lesbar."
    ExtractedText.objects.update_or_create(
        source=source,
        object_id=object_id,
        defaults={"file_name": stored.name, "status": status, "text": text, "note": note},
    )
    search_index_bulk(registered.model, [object_id])
    return status


@shared_task(acks_late=True)
def reindex_objects(*, model: str, ids: list[int]) -> int:
    """Reindex these objects of a model ("app.model") now. Idempotent."""
    from django.apps import apps

    return search_index_bulk(apps.get_model(model), ids)


@shared_task(acks_late=True)
def reindex_sources(*, keys: list[str]) -> dict:
    """Rebuild the entries of some sources (after imports and other bulk writes). Idempotent."""
    return rebuild_search_index(keys)
