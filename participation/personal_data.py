"""Participation's share of the data protection duties towards a person (found by the
kernel, see soest_office.plugins): the person's contributions (by linked contact or by the
contact's address) in the Auskunft; on erasure the contributions are anonymised (the texts
stay, without name, address or link), pending supports of the address deleted."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soest_office.plugins import PERSONAL_DATA, PersonalData

from .models import Contribution, Support
from .services.public import anonymise, email_hash


def _of(contact):
    q = Q(contact=contact)
    if contact.email:
        q |= Q(email__iexact=contact.email)
    return Contribution.objects.filter(q).select_related("participation__project", "consent_text")


def auskunft_rows(contact) -> list[dict]:
    rows = [
        {
            "Projekt": c.participation.project.title,
            "Titel": c.title,
            "Text": c.text,
            "Name": c.author_name,
            "Name öffentlich": "ja" if c.show_name else "nein",
            "E-Mail-Adresse": c.email,
            "Status": c.get_status_display(),
            "eingereicht am": c.created_at,
            "bestätigt am": c.confirmed_at,
            "Einwilligungstext": f"Version {c.consent_text.version}",
            "Antwort des Projektbüros": c.answer_text,
        }
        for c in _of(contact)
    ]
    if contact.email:
        supports = Support.objects.filter(email_hash=email_hash(contact.email)).select_related(
            "contribution"
        )
        rows += [
            {
                "Unterstützung für": s.contribution.title,
                "bestätigt am": s.confirmed_at,
            }
            for s in supports
        ]
    return rows


def erase(contact) -> None:
    for contribution in _of(contact):
        anonymise(contribution)
        contribution.save()
    if contact.email:
        Support.objects.filter(email__iexact=contact.email).delete()
        Support.objects.filter(email_hash=email_hash(contact.email)).delete()


def merge(keep, merge_contact) -> None:
    Contribution.objects.filter(contact=merge_contact).update(contact=keep)


PERSONAL_DATA.register(
    PersonalData(
        key="beteiligung",
        label=_("Bürgerbeteiligung (Beiträge und Unterstützungen)"),
        auskunft=auskunft_rows,
        erase=erase,
        merge=merge,
        position=70,
    )
)
