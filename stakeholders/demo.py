"""Demo contacts of the model region: organisations, people, a press list with journalists
under legitimate interest, consents, interactions and involvements in the demo projects.

Idempotent: everything is keyed on natural keys (organisation name, contact e-mail, list
name); legal-basis records and interactions are only added once per contact.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from soest_office.models import Municipality

from .models import (
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

K = Organisation.Kind

# name, kind, municipality slug, street, postal code, city, website
ORGANISATIONS = [
    (
        "Stadt Soest – Fachbereich Digitalisierung",
        K.ADMINISTRATION,
        "soest",
        "Am Vreithof 8",
        "59494",
        "Soest",
        "https://www.soest.de",
    ),
    (
        "Stadt Lippstadt – Stabsstelle Digitalisierung",
        K.ADMINISTRATION,
        "lippstadt",
        "Ostwall 1",
        "59555",
        "Lippstadt",
        "https://www.lippstadt.de",
    ),
    (
        "Stadt Iserlohn – Ressort IT",
        K.ADMINISTRATION,
        "iserlohn",
        "Schillerplatz 7",
        "58636",
        "Iserlohn",
        "https://www.iserlohn.de",
    ),
    (
        "Kreis Soest – Digitale Verwaltung",
        K.ADMINISTRATION,
        "kreis-soest",
        "Hoher Weg 1-3",
        "59494",
        "Soest",
        "https://www.kreis-soest.de",
    ),
    (
        "Stadtwerke Soest",
        K.BUSINESS,
        "soest",
        "Aldegreverwall 12",
        "59494",
        "Soest",
        "https://www.stadtwerke-soest.de",
    ),
    (
        "Fachhochschule Südwestfalen, Standort Soest",
        K.SCIENCE,
        "soest",
        "Lübecker Ring 2",
        "59494",
        "Soest",
        "https://www.fh-swf.de",
    ),
    (
        "Hochschule Hamm-Lippstadt",
        K.SCIENCE,
        "lippstadt",
        "Dr.-Arnold-Hueck-Str. 3",
        "59557",
        "Lippstadt",
        "https://www.hshl.de",
    ),
    (
        "Wirtschaftsförderung Kreis Soest",
        K.ASSOCIATION,
        "kreis-soest",
        "Wiesenstraße 11",
        "59494",
        "Soest",
        "",
    ),
    (
        "Werbegemeinschaft Lippstadt e. V.",
        K.CIVIL_SOCIETY,
        "lippstadt",
        "Lange Straße 14",
        "59555",
        "Lippstadt",
        "",
    ),
    (
        "Soester Anzeiger",
        K.PRESS,
        "soest",
        "Schloitweg 19-21",
        "59494",
        "Soest",
        "https://www.soester-anzeiger.de",
    ),
    (
        "Der Patriot",
        K.PRESS,
        "lippstadt",
        "Hansastraße 2",
        "59557",
        "Lippstadt",
        "https://www.derpatriot.de",
    ),
    (
        "Iserlohner Kreisanzeiger",
        K.PRESS,
        "iserlohn",
        "Theodor-Heuss-Ring 4",
        "58636",
        "Iserlohn",
        "https://www.ikz-online.de",
    ),
    (
        "WDR Studio Siegen",
        K.PRESS,
        None,
        "Frankfurter Str. 50",
        "57074",
        "Siegen",
        "https://www1.wdr.de",
    ),
]

# salutation, first, last, organisation, function, e-mail, phone, municipality, category, tags
CONTACTS = [
    (
        "Frau",
        "Martina",
        "Kettler",
        9,
        "Redakteurin Lokales",
        "m.kettler@demo-soester-anzeiger.de",
        "02921 688-210",
        "soest",
        "press",
        ["Presse"],
    ),
    (
        "Herr",
        "Jonas",
        "Brüggemann",
        10,
        "Redakteur",
        "j.brueggemann@demo-patriot.de",
        "02941 201-33",
        "lippstadt",
        "press",
        ["Presse"],
    ),
    (
        "Frau",
        "Aylin",
        "Demir",
        11,
        "Volontärin",
        "a.demir@demo-ikz.de",
        "02371 822-140",
        "iserlohn",
        "press",
        ["Presse"],
    ),
    (
        "Herr",
        "Stefan",
        "Vogelsang",
        12,
        "Hörfunk-Reporter",
        "s.vogelsang@demo-wdr.de",
        "0271 5904-0",
        None,
        "press",
        ["Presse", "Hörfunk"],
    ),
    (
        "Frau",
        "Dr. Claudia",
        "Hüsken",
        5,
        "Professorin Wirtschaftsinformatik",
        "huesken@demo-fh-swf.de",
        "02921 378-3456",
        "soest",
        "science",
        ["Smart City"],
    ),
    (
        "Herr",
        "Thomas",
        "Wiemers",
        4,
        "Leiter Netze",
        "t.wiemers@demo-stadtwerke-soest.de",
        "02921 392-101",
        "soest",
        "business",
        ["Breitband"],
    ),
    (
        "Frau",
        "Petra",
        "Schulte-Bockum",
        0,
        "Fachbereichsleiterin",
        "p.schulte-bockum@demo-soest.de",
        "02921 103-1100",
        "soest",
        "administration",
        ["E-Government"],
    ),
    (
        "Herr",
        "Marc",
        "Overhoff",
        1,
        "Digitalisierungsbeauftragter",
        "m.overhoff@demo-lippstadt.de",
        "02941 980-420",
        "lippstadt",
        "administration",
        ["E-Government"],
    ),
    (
        "Frau",
        "Sandra",
        "Lohmann",
        2,
        "Projektleiterin 3D-Stadtmodell",
        "s.lohmann@demo-iserlohn.de",
        "02371 217-2210",
        "iserlohn",
        "administration",
        ["3D-Stadtmodell"],
    ),
    (
        "Herr",
        "Andreas",
        "Kemper",
        3,
        "CDO",
        "a.kemper@demo-kreis-soest.de",
        "02921 30-2500",
        "kreis-soest",
        "administration",
        ["E-Government"],
    ),
    (
        "Frau",
        "Nicole",
        "Brinkhoff",
        8,
        "Vorsitzende",
        "info@demo-werbegemeinschaft-lippstadt.de",
        "02941 5555",
        "lippstadt",
        "civil_society",
        ["Innenstadt"],
    ),
    (
        "Herr",
        "Günter",
        "Freiberg",
        None,
        "",
        "g.freiberg@demo-mail.de",
        "",
        "soest",
        "citizen",
        ["Bürgerbeteiligung"],
    ),
    (
        "Frau",
        "Elke",
        "Rademacher",
        None,
        "",
        "elke.rademacher@demo-mail.de",
        "0171 2345678",
        "iserlohn",
        "citizen",
        ["Bürgerbeteiligung"],
    ),
    (
        "Herr",
        "Dirk",
        "Hollmann",
        6,
        "Transferstelle",
        "d.hollmann@demo-hshl.de",
        "02941 8783-0",
        "lippstadt",
        "science",
        ["Mobilität"],
    ),
    (
        "Frau",
        "Birgit",
        "Schmalenbach",
        7,
        "Gründungsberatung",
        "schmalenbach@demo-wfg-soest.de",
        "02921 30-3380",
        "kreis-soest",
        "business",
        ["Wirtschaft"],
    ),
]

# project slug candidates (the projects demo decides the final slugs), contact index, role
INVOLVEMENTS = [
    (
        ["3d-stadtmodell", "3d-stadtmodell-iserlohn", "digitales-3d-stadtmodell"],
        8,
        Involvement.Role.CONTACT_PERSON,
    ),
    (
        ["3d-stadtmodell", "3d-stadtmodell-iserlohn", "digitales-3d-stadtmodell"],
        4,
        Involvement.Role.EXPERT,
    ),
    (
        ["digitales-buergerbuero", "buergerbuero", "digitales-buergerbuero-soest"],
        6,
        Involvement.Role.CONTACT_PERSON,
    ),
    (
        ["digitales-buergerbuero", "buergerbuero", "digitales-buergerbuero-soest"],
        9,
        Involvement.Role.PARTNER,
    ),
    (
        ["online-buergerbeteiligung", "buergerbeteiligung", "buergerbeteiligung-online"],
        7,
        Involvement.Role.CONTACT_PERSON,
    ),
    (
        ["online-buergerbeteiligung", "buergerbeteiligung", "buergerbeteiligung-online"],
        11,
        Involvement.Role.MULTIPLIER,
    ),
    (["projektbuero", "projektbuero-modellregion"], 9, Involvement.Role.FUNDER),
]


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
        contact, created = Contact.objects.update_or_create(
            email=email,
            defaults={
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
