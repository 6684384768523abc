"""The legal basis per contact and purpose: reading the current state, appending a new one,
withdrawing consent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Contact, LegalBasisRecord, Purpose


def current_basis(*, contact: Contact, purpose: str) -> LegalBasisRecord | None:
    return (
        LegalBasisRecord.objects.filter(contact=contact, purpose=purpose)
        .order_by("-effective_at", "-pk")
        .first()
    )


def current_bases(*, contact: Contact) -> dict[str, LegalBasisRecord]:
    """Purpose -> newest record, from one query (records ordered newest first)."""
    result: dict[str, LegalBasisRecord] = {}
    for record in contact.legal_basis_records.select_related("recorded_by").order_by(
        "-effective_at", "-pk"
    ):
        result.setdefault(record.purpose, record)
    return result


@transaction.atomic
def legal_basis_record(
    *,
    contact: Contact,
    purpose: str,
    status: str,
    method: str = LegalBasisRecord.Method.OTHER,
    source: str = "",
    at=None,
    recorded_by=None,
) -> LegalBasisRecord:
    """Append a new legal-basis state for (contact, purpose). Older records stay as history;
    the newest by `effective_at` counts."""
    return LegalBasisRecord.objects.create(
        contact=contact,
        purpose=purpose,
        status=status,
        method=method,
        source=source[:255],
        effective_at=at or timezone.now(),
        recorded_by=recorded_by,
    )


@transaction.atomic
def consent_withdraw(
    *,
    contact: Contact,
    purpose: str,
    source: str,
    at=None,
    method: str = LegalBasisRecord.Method.UNSUBSCRIBE,
    recorded_by=None,
) -> LegalBasisRecord:
    """Record a withdrawal/objection for `purpose`, effective immediately (or at `at`).

    Made for the unsubscribe link of press mails (hence the default method). Idempotent in
    effect: if the newest record already is a withdrawal, it is returned and nothing is added.
    """
    if purpose not in Purpose.values:
        raise ValueError(f"Unbekannter Zweck: {purpose!r}")
    latest = current_basis(contact=contact, purpose=purpose)
    if latest is not None and latest.status == LegalBasisRecord.Status.WITHDRAWN:
        return latest
    return legal_basis_record(
        contact=contact,
        purpose=purpose,
        status=LegalBasisRecord.Status.WITHDRAWN,
        method=method,
        source=source,
        at=at,
        recorded_by=recorded_by,
    )
