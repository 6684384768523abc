"""What the stakeholders app puts into the search (found by the kernel, see
soest_office.plugins): contacts, organisations and the contact history, each found by those
its rule lets see it (stakeholders/rules.py: the office all, partners their municipality's).
"""

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from soest_office.plugins import SEARCH_SOURCES
from soest_office.search.indexing import search_index_later
from soest_office.search.registry import Document, Source

from .models import Contact, ImportJob, Interaction, Organisation


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def contact_document(contact) -> Document:
    organisation = contact.organisation
    return Document(
        title=contact.full_name or contact.last_name,
        summary=_join(contact.function, organisation.name if organisation else ""),
        body=_join(contact.notes, *(t.name for t in contact.tags.all())),
        names=_join(
            contact.first_name,
            contact.last_name,
            organisation.name if organisation else "",
            contact.email,
        ),
        municipality_ids=[contact.municipality_id],
        year=contact.created_at.year if contact.created_at else None,
        url=contact.get_absolute_url(),
    )


def organisation_document(organisation) -> Document:
    return Document(
        title=organisation.name,
        summary=_join(organisation.get_kind_display(), organisation.city),
        body=_join(organisation.notes, organisation.street, organisation.postal_code),
        names=_join(organisation.city),
        municipality_ids=[organisation.municipality_id],
        year=organisation.created_at.year if organisation.created_at else None,
        url=organisation.get_absolute_url(),
    )


def interaction_document(interaction) -> Document | None:
    contact = interaction.contact
    if contact is None or not interaction.summary:
        return None  # erased person: an anonymous count row, nothing to find
    project = interaction.project
    return Document(
        title=_("%(channel)s am %(date)s – %(name)s")
        % {
            "channel": interaction.get_channel_display(),
            "date": interaction.occurred_at.strftime("%d.%m.%Y"),
            "name": contact.full_name,
        },
        summary=interaction.summary,
        names=_join(
            contact.first_name,
            contact.last_name,
            contact.organisation.name if contact.organisation else "",
            project.title if project else "",
        ),
        municipality_ids=[contact.municipality_id],
        category_id=project.field_of_action_id if project else None,
        year=interaction.occurred_at.year,
        url=f"{contact.get_absolute_url()}#kontakthistorie",
    )


SEARCH_SOURCES.register(
    Source(
        key="kontakte",
        label=_("Kontakte"),
        model=Contact,
        document=contact_document,
        queryset=lambda: Contact.objects.select_related("organisation").prefetch_related("tags"),
        position=50,
        m2m=("tags",),
        dependencies=((Organisation, lambda ids: Contact.objects.filter(organisation_id__in=ids)),),
    )
)

SEARCH_SOURCES.register(
    Source(
        key="organisationen",
        label=_("Organisationen"),
        model=Organisation,
        document=organisation_document,
        queryset=lambda: Organisation.objects.all(),
        position=60,
    )
)

SEARCH_SOURCES.register(
    Source(
        key="kontakthistorie",
        label=_("Kontakthistorie"),
        model=Interaction,
        document=interaction_document,
        queryset=lambda: Interaction.objects.select_related("contact__organisation", "project"),
        position=70,
        dependencies=((Contact, lambda ids: Interaction.objects.filter(contact_id__in=ids)),),
    )
)


def _import_done(sender, instance, raw=False, **kwargs):
    """An import writes with bulk_create (no signals): when it is done, the contacts it
    created or updated and their organisations are indexed after commit (their contact
    history with them, as a dependency of the contacts), never the whole index."""
    contact_ids = getattr(instance, "written_contact_ids", None)
    if raw or instance.status != ImportJob.Status.DONE or not contact_ids:
        return
    search_index_later(Organisation, getattr(instance, "written_organisation_ids", []))
    search_index_later(Contact, contact_ids)


post_save.connect(_import_done, sender=ImportJob, dispatch_uid="stakeholders-search-import")
