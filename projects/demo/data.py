"""The demo's data tables: projects, milestones, reports, funding, documents and budget
lines of the Digitale Modellregion Soest. Active projects are dated relative to today so the
dashboard has upcoming and overdue milestones; the Projektbüro's own project keeps its real
funding period 2019-2021."""

import datetime
from decimal import Decimal

from django.utils import timezone

from ..models import Document, Project

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
        ),
        (
            "Geschäftsordnung des Lenkungskreises",
            Document.Kind.OTHER,
            "Geschaeftsordnung_Lenkungskreis.pdf",
        ),
    ],
    "3d-stadtmodell": [
        ("Protokoll Lenkungskreis März", Document.Kind.MINUTES, "Protokoll_Lenkungskreis.pdf"),
        (
            "Leitfaden zur Befliegung für Kommunen",
            Document.Kind.CONCEPT,
            "Leitfaden_3D-Stadtmodell.pdf",
        ),
    ],
    "digitales-buergerbuero": [
        (
            "Prozessmodelle Gewerbeanmeldung (BPMN)",
            Document.Kind.CONCEPT,
            "Prozessmodelle_Gewerbeanmeldung.pdf",
        )
    ],
    "buergerbeteiligung-online": [
        ("Moderationsleitfaden Beteiligungsportal", Document.Kind.CONCEPT, "Moderation.pdf")
    ],
}

# What the public project pages show (issue 18): milestones and documents by title, and the
# projects whose granted funding the office released. Everything else stays internal.
PUBLIC_MILESTONES = {
    "Befliegung abgeschlossen",
    "Gebäudemodell LoD2 fertig",
    "Datenplattform für Dritte online",
    "Gewerbeanmeldung online",
    "Rollout in Iserlohn",
    "Beteiligungsportal live",
    "Erstes Bürgerhaushaltsverfahren",
    "Förderbescheid erhalten",
    "Abschlussbericht",
}
PUBLIC_DOCUMENTS = {
    "Leitfaden zur Befliegung für Kommunen",
    "Prozessmodelle Gewerbeanmeldung (BPMN)",
    "Moderationsleitfaden Beteiligungsportal",
    "Geschäftsordnung des Lenkungskreises",
}
FUNDING_PUBLIC = {"projektbuero"}


# slug: (line title, planned); spent comes from RECEIPTS (the ledger), never typed.
BUDGET_LINES = {
    "3d-stadtmodell": [
        ("Befliegung und Datenaufbereitung", "520000"),
        ("Plattform und Schnittstellen", "600000"),
        ("Projektsteuerung", "330000"),
    ],
    "projektbuero": [("Personal", "980000"), ("Sachkosten", "270000")],
}

# slug: (line title, number, receipt date, payee, purpose, net, gross, paid on or None)
RECEIPTS = {
    "3d-stadtmodell": [
        (
            "Befliegung und Datenaufbereitung",
            "SO-2024-001",
            _d(-430),
            "Luftbild Westfalen GmbH",
            "Befliegung Stadtgebiet, Schrägluftbilder",
            "350000.00",
            "416500.00",
            _d(-410),
        ),
        (
            "Befliegung und Datenaufbereitung",
            "SO-2024-002",
            _d(-300),
            "GeoDaten Sauerland GmbH",
            "LoD2-Gebäudemodell, Texturierung",
            "78571.43",
            "93500.00",
            _d(-280),
        ),
        (
            "Plattform und Schnittstellen",
            "SO-2025-003",
            _d(-150),
            "Urban Platform AG",
            "Lizenz und Einrichtung der Datenplattform",
            "210084.03",
            "250000.00",
            _d(-130),
        ),
        (
            "Projektsteuerung",
            "SO-2025-004",
            _d(-60),
            "Beratung Hellweg GmbH",
            "Projektsteuerung 1. Halbjahr",
            "42016.81",
            "50000.00",
            _d(-40),
        ),
        (
            "Plattform und Schnittstellen",
            "SO-2025-005",
            _d(-5),
            "Urban Platform AG",
            "Schnittstelle ALKIS (noch nicht bezahlt)",
            "20000.00",
            "23800.00",
            None,
        ),
    ],
}


def as_date(value):
    return value if isinstance(value, datetime.date) else _d(value)
