"""The contacts' part of the one audit log (`soest_office.AuditEvent`).

Every processing of personal data (export, import, merge, Auskunft, erasure) is written with
`soest_office.audit.audit_record(..., area=AREA)`; the subscriptions, whose subscribers are
contacts, write with `AREA_SUBSCRIPTIONS`. `/kontakte/protokoll/` shows these events, and an
erasure blanks the erased person's name out of them (`scrub_person`).
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from soest_office.models import AuditEvent

AREA = "kontakte"
AREA_SUBSCRIPTIONS = "abo"
PERSONAL_DATA_AREAS = (AREA, AREA_SUBSCRIPTIONS)
PERSONAL_DATA_KINDS = (
    AuditEvent.Kind.EXPORT,
    AuditEvent.Kind.IMPORT,
    AuditEvent.Kind.MERGE,
    AuditEvent.Kind.AUSKUNFT,
    AuditEvent.Kind.ERASURE,
)
ERASED = "[gelöscht]"


def personal_data_events() -> QuerySet:
    """The processing of contacts' and subscribers' personal data, newest first."""
    return AuditEvent.objects.filter(area__in=PERSONAL_DATA_AREAS, kind__in=PERSONAL_DATA_KINDS)


def scrub_person(contact) -> None:
    """Blank the contact's last name and e-mail addresses out of the apps' events (target and
    details), inside the erasure's transaction.

    Export events keep their filter, and a free-text search for this person's name or address
    would be personal data. Every area written by an app is searched, not only the contacts':
    a name may have been typed into any filter. The account events (empty area) are left
    alone: they name staff accounts, and a colleague who shares a contact's surname keeps
    their log."""
    words = {w for w in (contact.last_name, contact.email, contact.email_secondary) if len(w) > 2}
    for word in words:
        pattern = re.compile(re.escape(word), re.IGNORECASE)
        # The database preselects by the word's longest ASCII part: SQLite compares only ASCII
        # letters case-insensitively and keeps other letters in JSON as \u escapes. The exact
        # (case-insensitive) match is made here.
        core = _ascii_core(word)
        events = AuditEvent.objects.exclude(area="").filter(
            Q(target__icontains=core) | Q(details__icontains=core)
        )
        for event in events.order_by("pk"):
            target = pattern.sub(ERASED, event.target)
            details = _blank_out(event.details, pattern)
            if (target, details) != (event.target, event.details):
                event.target, event.details = target, details
                event.save(update_fields=["target", "details"])


def _ascii_core(word: str) -> str:
    runs = re.findall(r"[A-Za-z0-9@._+-]+", word)
    return max(runs, key=len) if runs else word


def _blank_out(value, pattern):
    if isinstance(value, dict):
        return {key: _blank_out(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_blank_out(item, pattern) for item in value]
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    return value
