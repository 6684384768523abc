"""The newsletter consent: the consent text in force, and whether a contact's consent for
the newsletter purpose is current. The consent itself lives in stakeholders (one legal-basis
record per contact and purpose); this module only asks it for the newsletter purpose."""

from __future__ import annotations

from django.utils import timezone

from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, Purpose

from ..models import ConsentText

PURPOSE = Purpose.NEWSLETTER


def current_consent_text() -> ConsentText:
    """The newest version in force (a data migration creates version 1)."""
    text = (
        ConsentText.objects.filter(valid_from__lte=timezone.now())
        .order_by("-valid_from", "-pk")
        .first()
    )
    if text is None:
        raise ConsentText.DoesNotExist("Kein gültiger Einwilligungstext angelegt.")
    return text


def has_consent(contact_id: int) -> bool:
    return (
        stakeholder_services.recipients_for_purpose(
            purpose=PURPOSE, contacts=Contact.objects.filter(pk=contact_id)
        )
        .only("pk")
        .exists()
    )


def consenting_contact_ids(contact_ids) -> set[int]:
    return set(
        stakeholder_services.recipients_for_purpose(
            purpose=PURPOSE, contacts=Contact.objects.filter(pk__in=list(contact_ids))
        ).values_list("pk", flat=True)
    )
