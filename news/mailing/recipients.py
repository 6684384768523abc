"""Who a press mailing reaches: the members of the chosen distribution lists and extra
contacts who have a current legal basis for the mailing's purpose, one per contact and
address; and the salutation each gets."""

from __future__ import annotations

from django.db.models import Q

from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, DistributionList, Involvement, Purpose

from ..models import PressRelease


def salutation_for(contact: Contact) -> str:
    """'Sehr geehrte Frau Dr. Weber,' – or a neutral greeting without a salutation."""
    last = " ".join(p for p in (contact.title, contact.last_name) if p)
    if contact.salutation == Contact.Salutation.MS:
        return f"Sehr geehrte Frau {last},"
    if contact.salutation == Contact.Salutation.MR:
        return f"Sehr geehrter Herr {last},"
    return f"Guten Tag {contact.full_name},"


def effective_recipients(*, lists, extra_contacts=()) -> list[tuple[Contact, str]]:
    """(contact, purpose) pairs the mailing would reach: each list's members with a current
    legal basis for the list's purpose, plus extra contacts with one for press; one per
    contact and per e-mail address (first list wins)."""
    seen_contacts, seen_emails, result = set(), set(), []

    def take(contacts, purpose):
        for contact in contacts.order_by("last_name", "first_name", "pk"):
            email = contact.email.strip().lower()
            if contact.pk in seen_contacts or email in seen_emails:
                continue
            seen_contacts.add(contact.pk)
            seen_emails.add(email)
            result.append((contact, purpose))

    for distribution_list in lists:
        take(
            stakeholder_services.effective_recipients(distribution_list=distribution_list),
            distribution_list.purpose,
        )
    extra_ids = [c.pk for c in extra_contacts]
    if extra_ids:
        take(
            stakeholder_services.recipients_for_purpose(
                purpose=Purpose.PRESS, contacts=Contact.objects.filter(pk__in=extra_ids)
            ),
            Purpose.PRESS,
        )
    return result


def excluded_members(*, lists) -> int:
    """How many list members the consent rule leaves out (shown before sending)."""
    members = Contact.objects.filter(memberships__distribution_list__in=lists).distinct().count()
    reachable = {c.pk for c, _p in effective_recipients(lists=lists)}
    return max(0, members - len(reachable))


def undeliverable_members(*, lists) -> list[Contact]:
    """List members whose address came back as undeliverable (a hard bounce): skipped,
    and named before sending."""
    return list(
        Contact.objects.filter(memberships__distribution_list__in=lists)
        .undeliverable()
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def suggested_contacts(*, release: PressRelease):
    """Contacts involved in the release's projects or belonging to its municipalities, with a
    current legal basis for press mailings."""
    project_ids = [p.pk for p in release.projects.all()]
    municipality_ids = [m.pk for m in release.municipalities.all()]
    if not project_ids and not municipality_ids:
        return Contact.objects.none()
    involved = Involvement.objects.filter(project_id__in=project_ids).values("contact_id")
    candidates = Contact.objects.filter(
        Q(pk__in=involved) | Q(municipality_id__in=municipality_ids)
    )
    return stakeholder_services.recipients_for_purpose(
        purpose=Purpose.PRESS, contacts=candidates
    ).order_by("last_name", "first_name")


def lists_for_choice():
    return DistributionList.objects.order_by("name")
