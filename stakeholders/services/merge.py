"""Merging two contacts into one without losing anything."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.plugins import PERSONAL_DATA

from .. import audit
from ..models import Contact, Interaction, Involvement, LegalBasisRecord, ListMembership
from .legal_basis import current_bases, legal_basis_record

MERGE_FIELDS = [
    "salutation",
    "title",
    "first_name",
    "organisation_id",
    "function",
    "email",
    "email_secondary",
    "phone",
    "mobile",
    "municipality_id",
    "notes",
]


@transaction.atomic
def contact_merge(*, keep: Contact, merge: Contact, user=None) -> Contact:
    """Merge `merge` into `keep` and delete `merge`. Nothing is lost: interactions,
    involvements, legal-basis records, list memberships and tags move over; empty fields of
    `keep` are filled from `merge`; "do not contact" wins; a purpose withdrawn on either side
    stays withdrawn afterwards even if the other side has a newer consent."""
    if keep.pk == merge.pk:
        raise ValueError("Ein Kontakt kann nicht mit sich selbst zusammengeführt werden.")
    purposes_withdrawn = {
        purpose
        for contact in (keep, merge)
        for purpose, record in current_bases(contact=contact).items()
        if record.status == LegalBasisRecord.Status.WITHDRAWN
    }
    for field in MERGE_FIELDS:
        if not getattr(keep, field) and getattr(merge, field):
            setattr(keep, field, getattr(merge, field))
    if merge.email and keep.email and merge.email.lower() != keep.email.lower():
        if not keep.email_secondary:
            keep.email_secondary = merge.email
        else:
            keep.notes = (keep.notes + f"\nWeitere E-Mail: {merge.email}").strip()
    if merge.notes and merge.notes not in keep.notes:
        keep.notes = (keep.notes + "\n" + merge.notes).strip()
    keep.do_not_contact = keep.do_not_contact or merge.do_not_contact
    keep.save()

    Interaction.objects.filter(contact=merge).update(contact=keep)
    LegalBasisRecord.objects.filter(contact=merge).update(contact=keep)
    for involvement in Involvement.objects.filter(contact=merge):
        if Involvement.objects.filter(
            contact=keep, project_id=involvement.project_id, role=involvement.role
        ).exists():
            involvement.delete()
        else:
            involvement.contact = keep
            involvement.save(update_fields=["contact"])
    kept_lists = set(
        ListMembership.objects.filter(contact=keep).values_list("distribution_list_id", flat=True)
    )
    ListMembership.objects.filter(contact=merge).exclude(
        distribution_list_id__in=kept_lists
    ).update(contact=keep)
    keep.tags.add(*merge.tags.all())
    for handler in PERSONAL_DATA:
        if handler.merge is not None:
            handler.merge(keep, merge)

    now = timezone.now()
    for purpose, record in current_bases(contact=keep).items():
        if purpose in purposes_withdrawn and record.status != LegalBasisRecord.Status.WITHDRAWN:
            legal_basis_record(
                contact=keep,
                purpose=purpose,
                status=LegalBasisRecord.Status.WITHDRAWN,
                method=LegalBasisRecord.Method.MERGE,
                source="Widerruf bei Zusammenführung übernommen",
                at=max(now, record.effective_at),
                recorded_by=user,
            )
    merge_pk = merge.pk
    merge.delete()
    # The field history of the merged record moves to `keep` (nothing lost, and an erasure of
    # `keep` later removes it too); only the technical "deleted" entry of the merge goes.
    Contact.history.filter(id=merge_pk, history_type="-").delete()
    Contact.history.filter(id=merge_pk).update(id=keep.pk)
    audit_record(
        kind=AuditEvent.Kind.MERGE,
        user=user,
        target=f"Kontakt {keep.pk}",
        details={"anzahl": 2, "übernommen_aus": f"Kontakt {merge_pk}"},
        area=audit.AREA,
    )
    return keep
