"""Demo data of the projects app: sub-projects of the Digitale Modellregion Soest.

Idempotent: projects by slug, milestones by title, funding by reference, reports by
reporting date, documents by title. Active projects are dated relative to today so the
dashboard has upcoming and overdue milestones; the Projektbüro's own project keeps its real
funding period 2019-2021.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from soest_office.models import Municipality

from . import services
from .models import (
    BudgetLine,
    Document,
    Drawdown,
    FieldOfAction,
    FundingDecision,
    Milestone,
    ProgressReport,
    Project,
    ProjectContact,
)

FUNDER = "Ministerium für Wirtschaft, Innovation, Digitalisierung und Energie des Landes NRW"
PROGRAMME = "Digitale Modellregionen in NRW"

# A minimal, valid one-page PDF for the demo documents.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _d(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# slug, title, field, lead, participants, status, light, reason, start, end, budget, public,
# summary, transferability
PROJECTS = [
    (
        "3d-stadtmodell",
        "3D-Stadtmodell Soest mit Anwendungen für Dritte",
        "infrastruktur",
        "soest",
        ["kreis-soest"],
        Project.Status.IN_PROGRESS,
        Project.TrafficLight.YELLOW,
        "Die Datenlieferung des Katasteramts verzögert sich um etwa zwei Monate.",
        _d(-540),
        _d(200),
        Decimal("1450000.00"),
        True,
        "Ein digitaler Zwilling der Soester Innenstadt (LoD2/LoD3) als offene Datengrundlage "
        "für Planung, Tourismus und Anwendungen von Hochschulen und Unternehmen.",
        "CityGML-Export und offene Schnittstellen; Leitfaden zur Befliegung und "
        "Datenaufbereitung für Kommunen ab 20.000 Einwohnern.",
    ),
    (
        "digitales-buergerbuero",
        "Digitales Bürgerbüro",
        "e-government",
        "soest",
        ["lippstadt", "iserlohn", "kreis-soest"],
        Project.Status.IN_PROGRESS,
        Project.TrafficLight.GREEN,
        "",
        _d(-600),
        _d(320),
        Decimal("2100000.00"),
        True,
        "Gewerbeanmeldung online, papierlose Anträge und Terminvergabe für die Bürgerbüros "
        "der Partnerkommunen.",
        "Antragsstrecken nach dem Einer-für-Alle-Prinzip; Formularbaukasten und "
        "Prozessmodelle (BPMN) stehen anderen Kommunen zur Verfügung.",
    ),
    (
        "buergerbeteiligung-online",
        "Bürgerbeteiligung online",
        "e-government",
        "lippstadt",
        ["soest"],
        Project.Status.IN_PROGRESS,
        Project.TrafficLight.GREEN,
        "",
        _d(-400),
        _d(150),
        Decimal("380000.00"),
        True,
        "Beteiligungsportal für Bauleitplanung, Bürgerhaushalt und Ideenkarten.",
        "Open-Source-Portal (Consul) mit Betriebskonzept und Moderationsleitfaden.",
    ),
    (
        "digitale-schulen-iserlohn",
        "Digitale Schulen Iserlohn – WLAN und Lernplattform",
        "bildung",
        "iserlohn",
        [],
        Project.Status.IN_PROGRESS,
        Project.TrafficLight.RED,
        "Lieferengpass bei Endgeräten; zwei Schulen ohne ausgeleuchtetes WLAN.",
        _d(-300),
        _d(60),
        Decimal("920000.00"),
        False,
        "Flächendeckendes WLAN, Lernplattform und Fortbildung der Lehrkräfte an zwölf Schulen.",
        "",
    ),
    (
        "digitale-innenstadt-lippstadt",
        "Digitale Innenstadt Lippstadt – Parkleitsystem und Händlerplattform",
        "innenstadt",
        "lippstadt",
        ["soest"],
        Project.Status.IN_PROGRESS,
        Project.TrafficLight.YELLOW,
        "Händlerbeteiligung unter Plan: 38 statt 60 Geschäfte auf der Plattform.",
        _d(-350),
        _d(240),
        Decimal("640000.00"),
        False,
        "Sensorbasiertes Parkleitsystem und lokaler Online-Marktplatz für den Einzelhandel.",
        "",
    ),
    (
        "mobilitaetsplattform-kreis-soest",
        "Mobilitätsplattform Kreis Soest (On-Demand-Verkehr)",
        "mobilitaet",
        "kreis-soest",
        ["soest", "lippstadt"],
        Project.Status.PLANNED,
        Project.TrafficLight.GREEN,
        "",
        _d(30),
        _d(760),
        Decimal("1150000.00"),
        False,
        "Buchbarer Rufbus und Mobilitäts-App für die ländlichen Ortsteile.",
        "",
    ),
    (
        "telemedizin-laendlicher-raum",
        "Telemedizin im ländlichen Raum",
        "gesundheit",
        "kreis-soest",
        ["iserlohn"],
        Project.Status.IDEA,
        Project.TrafficLight.GREEN,
        "",
        None,
        None,
        Decimal("0.00"),
        False,
        "Videosprechstunden und Telekonsile zwischen Hausarztpraxen und Kliniken.",
        "",
    ),
    (
        "projektbuero",
        "Projektbüro Digitale Modellregion Soest",
        "e-government",
        "soest",
        ["lippstadt", "iserlohn", "kreis-soest"],
        Project.Status.COMPLETED,
        Project.TrafficLight.GREEN,
        "",
        datetime.date(2019, 1, 1),
        datetime.date(2021, 12, 31),
        Decimal("1250000.00"),
        True,
        "Steuerung, Förderabwicklung und Öffentlichkeitsarbeit der Modellregion.",
        "Organisationsmodell eines interkommunalen Projektbüros mit Geschäftsordnung des "
        "Lenkungskreises.",
    ),
]

# slug -> [(title, due offset or date, done?)]
MILESTONES = {
    "3d-stadtmodell": [
        ("Befliegung abgeschlossen", -400, True),
        ("Gebäudemodell LoD2 fertig", -120, True),
        ("Datenplattform für Dritte online", 20, False),
        ("Hackathon mit der Hochschule Hamm-Lippstadt", 140, False),
    ],
    "digitales-buergerbuero": [
        ("Gewerbeanmeldung online", -200, True),
        ("Papierlose Anträge im Bürgerbüro", -10, False),
        ("Rollout in Iserlohn", 12, False),
    ],
    "buergerbeteiligung-online": [
        ("Beteiligungsportal live", -90, True),
        ("Erstes Bürgerhaushaltsverfahren", 25, False),
    ],
    "digitale-schulen-iserlohn": [
        ("WLAN-Ausleuchtung", -60, False),
        ("Lernplattform eingeführt", -20, True),
    ],
    "digitale-innenstadt-lippstadt": [
        ("Sensoren im Parkhaus Nord", -150, True),
        ("Händlerplattform mit 60 Geschäften", 45, False),
    ],
    "mobilitaetsplattform-kreis-soest": [("Vergabe des Betriebs", 90, False)],
    "projektbuero": [
        ("Förderbescheid erhalten", datetime.date(2019, 3, 15), True),
        ("Zwischenbericht an das Ministerium", datetime.date(2020, 6, 30), True),
        ("Abschlussbericht", datetime.date(2021, 12, 31), True),
    ],
}

# slug -> [(days before today or date, percent, light, reason, achieved, next, risks, spent)]
REPORTS = {
    "3d-stadtmodell": [
        (
            -270,
            35,
            "green",
            "",
            "Befliegung und Rohdatenaufbereitung abgeschlossen.",
            "Gebäudemodell LoD2 erzeugen.",
            "",
            "380000",
        ),
        (
            -90,
            60,
            "yellow",
            "Die Datenlieferung des Katasteramts verzögert sich um etwa zwei Monate.",
            "LoD2-Modell der Innenstadt fertig; Dom und Ölmühle in LoD3.",
            "Datenplattform für Dritte freischalten.",
            "Personalengpass im Vermessungsamt.",
            "810000",
        ),
    ],
    "digitales-buergerbuero": [
        (
            -200,
            40,
            "green",
            "",
            "Gewerbeanmeldung online in Soest und Lippstadt.",
            "Papierlose Anträge.",
            "",
            "700000",
        ),
        (
            -30,
            65,
            "green",
            "",
            "Wohngeld- und Meldeanträge papierlos; 1.200 Online-Anträge.",
            "Rollout in Iserlohn.",
            "",
            "1210000",
        ),
    ],
    "buergerbeteiligung-online": [
        (
            -80,
            55,
            "green",
            "",
            "Portal live; 2.300 registrierte Nutzerinnen und Nutzer.",
            "Bürgerhaushalt vorbereiten.",
            "",
            "190000",
        ),
    ],
    "digitale-schulen-iserlohn": [
        (
            -150,
            30,
            "yellow",
            "Lieferzeiten für Access Points.",
            "Ausschreibung WLAN vergeben.",
            "Ausleuchtung.",
            "",
            "240000",
        ),
        (
            -40,
            45,
            "red",
            "Lieferengpass bei Endgeräten; zwei Schulen ohne ausgeleuchtetes WLAN.",
            "Lernplattform an allen Schulen eingeführt.",
            "WLAN nachrüsten.",
            "Termin 31.07. gefährdet.",
            "410000",
        ),
    ],
    "digitale-innenstadt-lippstadt": [
        (
            -120,
            40,
            "yellow",
            "Händlerbeteiligung unter Plan: 38 statt 60 Geschäfte auf der Plattform.",
            "Parkleitsystem mit 420 Stellplätzen in Betrieb.",
            "Händleransprache mit der Werbegemeinschaft.",
            "",
            "260000",
        ),
    ],
    "projektbuero": [
        (
            datetime.date(2020, 6, 30),
            50,
            "green",
            "",
            "Projektbüro arbeitsfähig, zwölf Einzelprojekte gestartet.",
            "Zwischenbericht.",
            "",
            "610000",
        ),
        (
            datetime.date(2021, 12, 31),
            100,
            "green",
            "",
            "Alle Meilensteine des Projektbüros erreicht; Abschlussbericht eingereicht.",
            "",
            "",
            "1238000",
        ),
    ],
}

# slug -> (reference, decision date, start, end, eligible, rate, granted, own, drawdowns)
FUNDING = {
    "3d-stadtmodell": (
        "DMR-SO-2019-014",
        _d(-560),
        _d(-540),
        _d(45),
        "1450000",
        "90",
        "1305000",
        "145000",
        [(-400, "400000", "400000"), (-120, "300000", "300000")],
    ),
    "digitales-buergerbuero": (
        "DMR-SO-2019-021",
        _d(-620),
        _d(-600),
        _d(320),
        "2100000",
        "90",
        "1890000",
        "210000",
        [(-300, "800000", "800000")],
    ),
    "buergerbeteiligung-online": (
        "DMR-LP-2020-003",
        _d(-420),
        _d(-400),
        _d(150),
        "380000",
        "80",
        "304000",
        "76000",
        [(-200, "150000", "150000")],
    ),
    "digitale-schulen-iserlohn": (
        "DMR-IS-2020-007",
        _d(-320),
        _d(-300),
        _d(60),
        "900000",
        "90",
        "810000",
        "90000",
        [(-100, "300000", "300000")],
    ),
    "projektbuero": (
        "DMR-PB-2019-001",
        datetime.date(2019, 3, 15),
        datetime.date(2019, 1, 1),
        datetime.date(2021, 12, 31),
        "1250000",
        "100",
        "1250000",
        "0",
        [
            (datetime.date(2019, 6, 1), "400000", "400000"),
            (datetime.date(2020, 6, 1), "450000", "450000"),
            (datetime.date(2021, 11, 1), "388000", "388000"),
        ],
    ),
}

DOCUMENTS = {
    "projektbuero": [
        (
            "Förderbescheid Projektbüro",
            Document.Kind.FUNDING_DECISION,
            "Foerderbescheid_Projektbuero_2019.pdf",
        )
    ],
    "3d-stadtmodell": [
        ("Protokoll Lenkungskreis März", Document.Kind.MINUTES, "Protokoll_Lenkungskreis.pdf")
    ],
}

BUDGET_LINES = {
    "3d-stadtmodell": [
        ("Befliegung und Datenaufbereitung", "520000", "510000"),
        ("Plattform und Schnittstellen", "600000", "250000"),
        ("Projektsteuerung", "330000", "50000"),
    ],
    "projektbuero": [("Personal", "980000", "972000"), ("Sachkosten", "270000", "266000")],
}


def _date(value):
    return value if isinstance(value, datetime.date) else _d(value)


def seed(stdout):
    User = get_user_model()
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    fields = {f.slug: f for f in FieldOfAction.objects.all()}
    if len(municipalities) < 4 or len(fields) < 6:
        # The reference data comes from the data migrations; without it there is nothing
        # sensible to attach projects to (e.g. a database emptied by `flush`).
        stdout.write("Projekte: übersprungen (Kommunen/Handlungsfelder fehlen; migrate ausführen)")
        return
    office = User.objects.filter(username="buero").first()
    partners = {
        u.municipality.slug: u
        for u in User.objects.filter(
            username__in=["soest", "lippstadt", "iserlohn", "kreis"], municipality__isnull=False
        ).select_related("municipality")
    }
    for (
        slug,
        title,
        field,
        lead,
        participants,
        status,
        light,
        reason,
        start,
        end,
        budget,
        public,
        summary,
        transferability,
    ) in PROJECTS:
        project, _created = Project.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "field_of_action": fields[field],
                "lead_municipality": municipalities[lead],
                "status": status,
                "traffic_light": light,
                "traffic_light_reason": reason,
                "start_date": start,
                "planned_end_date": end,
                "total_budget": budget,
                "is_public": public,
                "summary": summary,
                "transferability": transferability,
                "responsible": office,
            },
        )
        project.participating_municipalities.set([municipalities[p] for p in participants])
        for muni_slug in [lead, *participants]:
            if muni_slug in partners:
                ProjectContact.objects.update_or_create(
                    project=project,
                    municipality=municipalities[muni_slug],
                    defaults={"user": partners[muni_slug]},
                )
        for m_title, due, done in MILESTONES.get(slug, []):
            due_date = _date(due)
            Milestone.objects.update_or_create(
                project=project,
                title=m_title,
                defaults={"due_date": due_date, "done_date": due_date if done else None},
            )
        if slug in FUNDING:
            ref, decided, p_start, p_end, eligible, rate, granted, own, drawdowns = FUNDING[slug]
            decision, _ = FundingDecision.objects.update_or_create(
                project=project,
                reference=ref,
                defaults={
                    "funder": FUNDER,
                    "programme": PROGRAMME,
                    "decision_date": decided,
                    "period_start": p_start,
                    "period_end": p_end,
                    "eligible_costs": eligible,
                    "funding_rate": rate,
                    "granted_amount": granted,
                    "own_share": own,
                },
            )
            for when, requested, received in drawdowns:
                Drawdown.objects.update_or_create(
                    funding_decision=decision,
                    requested_date=_date(when),
                    defaults={
                        "requested_amount": requested,
                        "received_amount": received,
                        "received_date": _date(when) + datetime.timedelta(days=21),
                    },
                )
        for line_title, planned, spent in BUDGET_LINES.get(slug, []):
            BudgetLine.objects.update_or_create(
                project=project,
                title=line_title,
                defaults={"planned_amount": planned, "spent_amount": spent},
            )
        author = partners.get(lead) or office
        for when, percent, r_light, r_reason, achieved, next_steps, risks, spent in REPORTS.get(
            slug, []
        ):
            report, created = ProgressReport.objects.get_or_create(
                project=project,
                reporting_date=_date(when),
                defaults={
                    "author": author,
                    "municipality": municipalities[lead],
                    "percent_complete": percent,
                    "traffic_light": r_light,
                    "traffic_light_reason": r_reason,
                    "achieved": achieved,
                    "next_steps": next_steps,
                    "risks": risks,
                    "spent_to_date": Decimal(spent),
                    "status": ProgressReport.Status.SUBMITTED,
                    "submitted_at": timezone.now(),
                },
            )
            if created and office is not None:
                services.report_accept(actor=office, report=report)
        for d_title, kind, filename in DOCUMENTS.get(slug, []):
            if not Document.objects.filter(project=project, title=d_title).exists():
                document = Document(
                    project=project,
                    title=d_title,
                    kind=kind,
                    original_name=filename,
                    size=len(DEMO_PDF),
                    uploaded_by=office,
                )
                document.file.save(filename, ContentFile(DEMO_PDF), save=False)
                document.save()
    # One fresh report waiting for the office's review.
    buergerbuero = Project.objects.get(slug="buergerbeteiligung-online")
    if "lippstadt" in partners:
        ProgressReport.objects.get_or_create(
            project=buergerbuero,
            reporting_date=_d(-2),
            defaults={
                "author": partners["lippstadt"],
                "municipality": municipalities["lippstadt"],
                "percent_complete": 70,
                "traffic_light": "green",
                "achieved": "Bürgerhaushalt mit 410 Vorschlägen vorbereitet.",
                "next_steps": "Abstimmungsphase starten.",
                "spent_to_date": Decimal("245000"),
                "status": ProgressReport.Status.SUBMITTED,
                "submitted_at": timezone.now(),
            },
        )
    stdout.write(f"Projekte: {Project.objects.count()}")
