"""The stakeholders app's own share of erasure and merge, beside its Auskunft
(stakeholders/dsgvo.py), registered like every app's (found by the kernel, see
soest_office.plugins): the search index and the Auskunft files of a person."""

from soest_office.exports import export_jobs_delete
from soest_office.models import ExportJob
from soest_office.plugins import PERSONAL_DATA, PersonalData
from soest_office.search.indexing import search_index_later, search_index_remove

from .dsgvo import AUSKUNFT_EXPORT
from .models import Contact, Interaction


def erase_from_search(contact) -> None:
    """The person's entry and contact history leave the index in the erasure's transaction
    (the history is blanked with update(), which sends no signals)."""
    search_index_remove(Interaction, contact.interactions.values_list("pk", flat=True))
    search_index_remove(Contact, [contact.pk])


def merge_in_search(keep, merge) -> None:
    """The history moved to `keep` is indexed under the kept contact after commit."""
    search_index_later(Interaction, keep.interactions.values_list("pk", flat=True))


def erase_auskunft_files(contact) -> None:
    """The person's Auskunft files go with the person."""
    export_jobs_delete(ExportJob.objects.filter(kind=AUSKUNFT_EXPORT, params__contact=contact.pk))


def merge_auskunft_files(keep, merge) -> None:
    """An Auskunft about the merged-away contact is outdated: delete it."""
    erase_auskunft_files(merge)


PERSONAL_DATA.register(
    PersonalData(key="suchindex", erase=erase_from_search, merge=merge_in_search, position=1)
)
PERSONAL_DATA.register(
    PersonalData(
        key="auskunft_dateien",
        erase=erase_auskunft_files,
        merge=merge_auskunft_files,
        position=2,
    )
)
