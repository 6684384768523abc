"""Writing the demo tables: organisations, contacts with legal bases and a first interaction,
the press and newsletter lists, involvements in the demo projects, retention rules."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from soest_office.models import Municipality

from ..models import (
    Contact,
    DistributionList,
    Interaction,
    Involvement,
    LegalBasisRecord,
    ListMembership,
    Organisation,
    Purpose,
    RetentionRule,
    Tag,
)
from .data import CONTACTS, INVOLVEMENTS, ORGANISATIONS


def seed(stdout):
    user = get_user_model().objects.filter(username="buero").order_by("pk").first()
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    now = timezone.now()

    orgs = []
    for name, kind, mun, street, plz, city, web in ORGANISATIONS:
        org, _created = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "municipality": municipalities.get(mun) if mun else None,
                "street": street,
                "postal_code": plz,
                "city": city,
                "website": web,
            },
        )
        orgs.append(org)

    contacts = []
    for i, (sal, first, last, org_i, function, email, phone, mun, cat, tags) in enumerate(CONTACTS):
        title = ""
        if first.startswith("Dr. "):
            title, first = "Dr.", first[4:]
        org = orgs[org_i] if org_i is not None else None
        # The business address, as an Outlook import brings it: the organisation's.
        address = (
            {"street": org.street, "postal_code": org.postal_code, "city": org.city} if org else {}
        )
        contact, created = Contact.objects.update_or_create(
            email=email,
            defaults={
                **address,
                "salutation": sal,
                "title": title,
                "first_name": first,
                "last_name": last,
                "organisation": orgs[org_i] if org_i is not None else None,
                "function": function,
                "phone": phone,
                "municipality": municipalities.get(mun) if mun else None,
                "category": cat,
                "created_by": user,
            },
        )
        contact.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
        contacts.append(contact)
        if created or not contact.legal_basis_records.exists():
            _seed_bases(contact, cat, i, now, user)
        if created or not contact.interactions.exists():
            Interaction.objects.create(
                contact=contact,
                occurred_at=now - dt.timedelta(days=7 * (i + 1)),
                channel=[
                    Interaction.Channel.PHONE,
                    Interaction.Channel.EMAIL,
                    Interaction.Channel.MEETING,
                    Interaction.Channel.EVENT,
                ][i % 4],
                summary=[
                    "Abstimmung zum Projektstand und nächsten Terminen.",
                    "Einladung zum Digitalforum Modellregion versandt.",
                    "Treffen im Projektbüro zur Vorbereitung des Förderantrags.",
                    "Austausch am Stand beim Soester Digitaltag.",
                ][i % 4],
                recorded_by=user,
            )

    press_list, _created = DistributionList.objects.update_or_create(
        name="Presseverteiler Modellregion",
        defaults={
            "purpose": Purpose.PRESS,
            "description": "Lokale und regionale Redaktionen für Pressemitteilungen.",
        },
    )
    news_list, _created = DistributionList.objects.update_or_create(
        name="Newsletter Digitale Modellregion",
        defaults={"purpose": Purpose.NEWSLETTER, "description": "Quartalsweiser Newsletter."},
    )
    for contact in contacts:
        if contact.category == Contact.Category.PRESS:
            ListMembership.objects.get_or_create(distribution_list=press_list, contact=contact)
        else:
            ListMembership.objects.get_or_create(distribution_list=news_list, contact=contact)

    from projects.models import Project

    found = 0
    for slugs, contact_i, role in INVOLVEMENTS:
        project = Project.objects.filter(slug__in=slugs).order_by("pk").first()
        if project is None:
            continue
        Involvement.objects.get_or_create(project=project, contact=contacts[contact_i], role=role)
        found += 1
    # Organisations take part too: the Stadtwerke in every broadband/infrastructure project.
    for project in Project.objects.filter(field_of_action__slug="infrastruktur").order_by("pk"):
        Involvement.objects.get_or_create(
            project=project, organisation=orgs[4], role=Involvement.Role.PARTNER
        )

    RetentionRule.objects.get_or_create(
        category="press", basis="legitimate_interest", defaults={"months": 60}
    )
    RetentionRule.objects.get_or_create(
        category="citizen", basis="consent", defaults={"months": 24}
    )
    stdout.write(
        f"Kontakte: {len(orgs)} Organisationen, {len(contacts)} Personen, 2 Verteiler, "
        f"{found} Projektbeteiligungen"
    )


def _seed_bases(contact, category, i, now, user):
    base = now - dt.timedelta(days=200 - i)
    if category == Contact.Category.PRESS:
        LegalBasisRecord.objects.create(
            contact=contact,
            purpose=Purpose.PRESS,
            status=LegalBasisRecord.Status.LEGITIMATE_INTEREST,
            method=LegalBasisRecord.Method.OTHER,
            source="Redaktion: Pressearbeit (Art. 6 Abs. 1 lit. f DSGVO)",
            effective_at=base,
            recorded_by=user,
        )
        return
    LegalBasisRecord.objects.create(
        contact=contact,
        purpose=Purpose.NEWSLETTER,
        status=LegalBasisRecord.Status.CONSENT,
        method=[
            LegalBasisRecord.Method.FORM,
            LegalBasisRecord.Method.IN_PERSON,
            LegalBasisRecord.Method.EMAIL,
        ][i % 3],
        source="Anmeldung Digitalforum",
        effective_at=base,
        recorded_by=user,
    )
    if i % 5 == 0:
        # One withdrawal, so the demo shows that only the latest state counts.
        LegalBasisRecord.objects.create(
            contact=contact,
            purpose=Purpose.NEWSLETTER,
            status=LegalBasisRecord.Status.WITHDRAWN,
            method=LegalBasisRecord.Method.EMAIL,
            source="Abmeldung per E-Mail",
            effective_at=base + dt.timedelta(days=30),
            recorded_by=user,
        )
    if category in (Contact.Category.ADMINISTRATION, Contact.Category.SCIENCE):
        LegalBasisRecord.objects.create(
            contact=contact,
            purpose=Purpose.PROJECT_INFO,
            status=LegalBasisRecord.Status.CONSENT,
            method=LegalBasisRecord.Method.IN_PERSON,
            source="Projekttreffen",
            effective_at=base,
            recorded_by=user,
        )
