"""Background jobs of the search: document text extraction and bulk reindexing."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .indexing import rebuild_search_index, search_index_update

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def extract_document_text(*, document_id: int) -> str:
    """Extract the text of one uploaded project document and reindex it.

    Idempotent: a document whose current file was already handled is skipped, so a retried
    or redelivered task does the work once. Limits (size, pages, characters, wall clock) come
    from extract.Limits; the soft/hard time limits stop anything that still hangs. A file that
    cannot be read is recorded as skipped/failed with a German note, never retried.
    """
    from projects.models import Document

    from .extract import ExtractionError, extract_text
    from .models import DocumentText

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "gone"
    existing = DocumentText.objects.filter(document=document).first()
    if existing is not None and existing.file_name == document.file.name:
        return "unchanged"
    status, text, note = DocumentText.Status.DONE, "", ""
    try:
        with document.file.open("rb") as fileobj:
            text = extract_text(fileobj, document.file.name, size=document.file.size)
    except ExtractionError as exc:
        status, note = DocumentText.Status.SKIPPED, str(exc)
    except SoftTimeLimitExceeded:
        status, note = DocumentText.Status.FAILED, "Zeitlimit überschritten."
    except Exception:  # a hostile file must not crash-loop the worker
        logger.exception("text extraction failed for document %s", document_id)
        status, note = DocumentText.Status.FAILED, "Datei nicht lesbar."
    DocumentText.objects.update_or_create(
        document=document,
        defaults={"file_name": document.file.name, "status": status, "text": text, "note": note},
    )
    search_index_update(document)
    return status


@shared_task(acks_late=True)
def reindex_sources(*, keys: list[str]) -> dict:
    """Rebuild the entries of some sources (after imports and other bulk writes). Idempotent."""
    return rebuild_search_index(keys)
