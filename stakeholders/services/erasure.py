"""Erasure of persons (Art. 17 DSGVO), one by one or from the retention review."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.plugins import PERSONAL_DATA

from .. import audit
from ..models import Contact, Interaction, Involvement, LegalBasisRecord, ListMembership


@transaction.atomic
def contact_erase(*, contact: Contact, user=None, _log: bool = True) -> None:
    """Erase a person (Art. 17 DSGVO). Irreversible.

    The contact row, its field history, legal-basis records, involvements and list
    memberships are deleted; contact-history entries stay only as anonymous rows (date,
    channel, project) so the office keeps its counts. Every app's `personal_data.py`
    (soest_office.plugins.PERSONAL_DATA) anonymises its own rows first. The log says who
    erased and when, never whom."""
    pk = contact.pk
    for handler in PERSONAL_DATA:
        if handler.erase is not None:
            handler.erase(contact)
    Interaction.objects.filter(contact_id=pk).update(contact=None, summary="", recorded_by=None)
    LegalBasisRecord.objects.filter(contact_id=pk).delete()
    Involvement.objects.filter(contact_id=pk).delete()
    ListMembership.objects.filter(contact_id=pk).delete()
    audit.scrub_person(contact)
    contact.tags.clear()
    contact.delete()
    Contact.history.filter(id=pk).delete()
    if _log:
        _audit_erasure(user=user, count=1)


def _audit_erasure(*, user, count: int) -> None:
    # Who erased, when and how many; never whom (Art. 17: nothing personal left).
    audit_record(
        kind=AuditEvent.Kind.ERASURE, user=user, details={"anzahl": count}, area=audit.AREA
    )


@transaction.atomic
def contacts_erase_bulk(*, contacts: QuerySet, user=None) -> int:
    """Erase every contact of `contacts` (retention review); one log entry with the count."""
    count = 0
    for contact in contacts.order_by("pk"):
        contact_erase(contact=contact, user=user, _log=False)
        count += 1
    if count:
        _audit_erasure(user=user, count=count)
    return count
