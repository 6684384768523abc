"""Index upkeep for write paths of the apps that send no model signals.

- Project documents: text extraction is queued after the upload's transaction commits.
- Stakeholders' DSGVO registries: on erasure the person's contact-history entries leave the
  index at once (their text is blanked by `update()`); on merge the moved history is
  reindexed under the kept contact.
- Contact imports write with `bulk_create`: when an ImportJob is done, the contacts it
  created or updated, their organisations and the contact history of those contacts are
  reindexed in the background (never the whole index).
"""

from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save

# Importing the tasks here (hooks are connected from AppConfig.ready) registers them in
# every worker: Celery's autodiscovery only imports `<app>.tasks`.
from . import tasks as _tasks  # noqa: F401
from .indexing import search_index_bulk
from .models import SearchEntry


def _document_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not instance.file:
        return
    from .extract import supported
    from .models import DocumentText
    from .tasks import extract_document_text

    done = DocumentText.objects.filter(document=instance, file_name=instance.file.name).exists()
    if done or not supported(instance.file.name):
        return
    document_id = instance.pk
    transaction.on_commit(lambda: extract_document_text.delay(document_id=document_id))


def _contact_erased(contact):
    interaction_ids = list(contact.interactions.values_list("pk", flat=True))
    SearchEntry.objects.filter(source="kontakthistorie", object_id__in=interaction_ids).delete()
    SearchEntry.objects.filter(source="kontakte", object_id=contact.pk).delete()


def _contacts_merged(keep, merge):
    from stakeholders.models import Interaction

    search_index_bulk(Interaction, keep.interactions.values_list("pk", flat=True))


IMPORT_CHUNK = 2000  # contacts per indexing task after an import


@shared_task(acks_late=True)
def index_imported(*, contact_ids: list[int], organisation_ids: list[int]) -> int:
    """Index what an import wrote: these contacts, these organisations and the contact
    history of these contacts (it names them). Idempotent; objects gone since are removed
    from the index."""
    from stakeholders.models import Contact, Interaction, Organisation

    count = search_index_bulk(Organisation, organisation_ids)
    count += search_index_bulk(Contact, contact_ids)
    history = Interaction.objects.filter(contact_id__in=contact_ids).values_list("pk", flat=True)
    return count + search_index_bulk(Interaction, list(history))


def _import_saved(sender, instance, raw=False, **kwargs):
    # Only the save that finishes the import says what it wrote (importer.import_commit).
    contact_ids = getattr(instance, "written_contact_ids", None)
    if raw or instance.status != "done" or not contact_ids:
        return
    organisation_ids = list(getattr(instance, "written_organisation_ids", []))

    def queue():
        for start in range(0, len(contact_ids), IMPORT_CHUNK):
            index_imported.delay(
                contact_ids=contact_ids[start : start + IMPORT_CHUNK],
                organisation_ids=organisation_ids if start == 0 else [],
            )

    transaction.on_commit(queue)


def connect():
    try:
        from projects.models import Document
    except ImportError:
        Document = None
    if Document is not None:
        post_save.connect(_document_saved, sender=Document, dispatch_uid="soest-search-extract")

    try:
        from stakeholders import dsgvo
        from stakeholders.models import ImportJob
    except ImportError:
        return
    if _contact_erased not in dsgvo.ERASURE_HOOKS:
        dsgvo.ERASURE_HOOKS.append(_contact_erased)
    if _contacts_merged not in dsgvo.MERGE_HOOKS:
        dsgvo.MERGE_HOOKS.append(_contacts_merged)
    post_save.connect(_import_saved, sender=ImportJob, dispatch_uid="soest-search-import")
