"""Writes of project documents: storing an upload, and deleting a document with its file
once the deletion is committed."""

from __future__ import annotations

from django.db import transaction

from soest_office.access import CHANGE, require

from ..models import Document, Project
from ..rules import CONTRIBUTE, DOCUMENT, PROJECT


def document_upload(
    *, actor, project: Project, title: str, kind: str, upload, is_public: bool = False
) -> Document:
    """Store an already validated upload (soest_office.uploads) for the project; `is_public`
    offers it on the public project page (only if the project is public, projects/rules.py)."""
    from soest_office.uploads import clean_display_name

    require(PROJECT.allows(actor, project, CONTRIBUTE))
    with transaction.atomic():
        document = Document(
            project=project,
            title=title,
            kind=kind,
            is_public=is_public,
            original_name=clean_display_name(upload.name),
            size=upload.size or 0,
            uploaded_by=actor,
        )
        document.file.save(upload.name, upload, save=False)
        document.save()
    return document


def document_delete(*, actor, document: Document) -> None:
    require(DOCUMENT.allows(actor, document, CHANGE))
    name = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))
