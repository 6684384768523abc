"""Merging two contacts into one without losing anything."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.plugins import PERSONAL_DATA

from .. import audit
from ..models import Contact, Interaction, Involvement, LegalBasisRecord, ListMembership
from .legal_basis import current_bases, legal_basis_record

# The fields where the office picks one value when both contacts have a different one (a
# radio per field on the merge page); an empty field takes the other contact's value.
# Notes are combined, never chosen; "do not contact" and withdrawals keep the stricter state.
MERGE_FIELDS = [
    "salutation",
    "title",
    "first_name",
    "last_name",
    "organisation",
    "function",
    "email",
    "email_secondary",
    "phone",
    "mobile",
    "street",
    "postal_code",
    "city",
    "country",
    "municipality",
    "category",
    "preferred_language",
    "preferred_channel",
]


class MergeChoiceError(ValueError):
    """A choice that names neither of the two contacts; nothing was changed."""


@dataclass(frozen=True)
class MergeConflict:
    """A field where both contacts have a value and the values differ."""

    field: str
    label: str
    keep_value: str
    merge_value: str


def _raw(contact: Contact, field: str):
    model_field = Contact._meta.get_field(field)
    return getattr(contact, model_field.attname)


def _display(contact: Contact, field: str) -> str:
    model_field = Contact._meta.get_field(field)
    if model_field.is_relation:
        related = getattr(contact, field)
        return str(related) if related is not None else ""
    if model_field.choices:
        return str(getattr(contact, f"get_{field}_display")())
    return str(getattr(contact, field) or "")


def _same(field: str, a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        a, b = a.strip(), b.strip()
        if field.startswith("email"):
            return a.lower() == b.lower()
    return a == b


def merge_conflicts(keep: Contact, merge: Contact) -> list[MergeConflict]:
    """The fields the office must decide: both contacts have a value, and they differ."""
    conflicts = []
    for field in MERGE_FIELDS:
        a, b = _raw(keep, field), _raw(merge, field)
        if a not in ("", None) and b not in ("", None) and not _same(field, a, b):
            conflicts.append(
                MergeConflict(
                    field=field,
                    label=str(Contact._meta.get_field(field).verbose_name),
                    keep_value=_display(keep, field),
                    merge_value=_display(merge, field),
                )
            )
    return conflicts


def merge_fills(keep: Contact, merge: Contact) -> list[tuple[str, str]]:
    """(label, value) of the fields `keep` lacks and takes from `merge` without a choice."""
    return [
        (str(Contact._meta.get_field(field).verbose_name), _display(merge, field))
        for field in MERGE_FIELDS
        if _raw(keep, field) in ("", None) and _raw(merge, field) not in ("", None)
    ]


@transaction.atomic
def contact_merge(
    *, keep: Contact, merge: Contact, user=None, choices: dict[str, int] | None = None
) -> Contact:
    """Merge `merge` into `keep` and delete `merge`. Nothing is lost: interactions,
    involvements, legal-basis records, list memberships and tags move over; empty fields of
    `keep` are filled from `merge`; where both have a value, `choices` ({field: the pk of the
    contact whose value stays}) decides, `keep` by default, and the value not taken is
    written into the notes (shown on the contact page, kept in the field history); "do not
    contact" wins; a purpose withdrawn on either side stays withdrawn afterwards even if the
    other side has a newer consent.

    Raises MergeChoiceError (before changing anything) when a choice names a third contact."""
    if keep.pk == merge.pk:
        raise ValueError("Ein Kontakt kann nicht mit sich selbst zusammengeführt werden.")
    choices = choices or {}
    for field, chosen in choices.items():
        if chosen not in (keep.pk, merge.pk) or field not in MERGE_FIELDS:
            label = Contact._meta.get_field(field).verbose_name if field in MERGE_FIELDS else field
            raise MergeChoiceError(
                f"Die Auswahl für »{label}« gehört zu keinem der beiden Kontakte "
                f"(Nr. {keep.pk} und Nr. {merge.pk}). Es wurde nichts geändert."
            )
    purposes_withdrawn = {
        purpose
        for contact in (keep, merge)
        for purpose, record in current_bases(contact=contact).items()
        if record.status == LegalBasisRecord.Status.WITHDRAWN
    }
    not_taken: list[tuple[str, str]] = []
    discarded_email = ""
    for conflict in merge_conflicts(keep, merge):
        if choices.get(conflict.field, keep.pk) == merge.pk:
            loser_value = conflict.keep_value
            raw = _raw(merge, conflict.field)
            setattr(keep, Contact._meta.get_field(conflict.field).attname, raw)
        else:
            loser_value = conflict.merge_value
        if conflict.field == "email":
            discarded_email = loser_value
        else:
            not_taken.append((conflict.label, loser_value))
    for field in MERGE_FIELDS:
        attname = Contact._meta.get_field(field).attname
        if getattr(keep, attname) in ("", None) and getattr(merge, attname) not in ("", None):
            setattr(keep, attname, getattr(merge, attname))
    if discarded_email:
        # An address is worth keeping where it can be used: the free second address.
        if not keep.email_secondary or _same("email", keep.email_secondary, keep.email):
            keep.email_secondary = discarded_email
        elif not _same("email", keep.email_secondary, discarded_email):
            not_taken.append((str(Contact._meta.get_field("email").verbose_name), discarded_email))
    if merge.notes and merge.notes not in keep.notes:
        keep.notes = (keep.notes + "\n" + merge.notes).strip()
    if not_taken:
        line = (
            f"Bei der Zusammenführung mit Nr. {merge.pk} am "
            f"{timezone.localdate():%d.%m.%Y} nicht übernommen: "
            + "; ".join(f"{label}: {value}" for label, value in not_taken)
        )
        keep.notes = (keep.notes + "\n" + line).strip()
    keep._change_reason = f"Zusammenführung mit Nr. {merge.pk}"
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
