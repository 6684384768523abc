"""Demo press releases of the model region (idempotent: keyed by slug)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from soest_office.models import Municipality

from .models import PressRelease
from .services import tags_from_names

S = PressRelease.Status

RELEASES = [
    {
        "slug": "foerderbescheid-fuer-das-projektbuero-uebergeben",
        "title": "Förderbescheid für das Projektbüro der Digitalen Modellregion übergeben",
        "dateline": "Soest",
        "teaser": (
            "Das Land Nordrhein-Westfalen fördert das gemeinsame Projektbüro von Stadt Soest, "
            "Kreis Soest, Lippstadt und Iserlohn. Der Förderbescheid wurde heute im Soester "
            "Rathaus übergeben."
        ),
        "body": (
            "Mit der Übergabe des Förderbescheids beginnt die Arbeit des Projektbüros offiziell. "
            "Es koordiniert die Einzelprojekte der **Digitalen Modellregion Soest** und ist "
            "Ansprechpartner für Bürgerinnen, Bürger und Unternehmen.\n\n"
            "## Was das Projektbüro leistet\n\n"
            "- Steuerung der Einzelprojekte in den vier Kommunen\n"
            "- Berichte an den Fördermittelgeber\n"
            "- Öffentlichkeitsarbeit und Beteiligung\n\n"
            "„Die Digitalisierung gelingt nur gemeinsam“, betonte der Bürgermeister bei der "
            "Übergabe."
        ),
        "tags": ["Soest", "Digitale Modellkommune"],
        "municipalities": ["soest", "kreis-soest", "lippstadt", "iserlohn"],
        "status": S.PUBLISHED,
        "days_ago": 40,
        "author": "buero",
    },
    {
        "slug": "3d-stadtmodell-macht-soest-digital-erlebbar",
        "title": "3D-Stadtmodell macht Soest digital erlebbar",
        "dateline": "Soest",
        "teaser": (
            "Ein digitales 3D-Modell der Soester Altstadt hilft bei Planung und Beteiligung – "
            "von Bauvorhaben bis zur Hochwasservorsorge."
        ),
        "body": (
            "Das **3D-Stadtmodell** zeigt Gebäude, Straßen und Grünflächen der Altstadt "
            "maßstabsgetreu. Planerinnen und Planer können damit Varianten vergleichen, "
            "Bürgerinnen und Bürger Vorhaben anschaulich nachvollziehen.\n\n"
            "Das Modell entsteht als offener Datensatz und soll später auch für Lippstadt "
            "und Iserlohn aufgebaut werden."
        ),
        "tags": ["Smart City", "Soest"],
        "municipalities": ["soest"],
        "status": S.PUBLISHED,
        "days_ago": 12,
        "author": "buero2",
    },
    {
        "slug": "digitales-buergerbuero-behoerdengaenge-rund-um-die-uhr",
        "title": "Digitales Bürgerbüro: Behördengänge rund um die Uhr",
        "dateline": "Lippstadt",
        "teaser": (
            "Ummelden, Anwohnerparkausweis, Führungszeugnis: Im digitalen Bürgerbüro von "
            "Lippstadt lassen sich ab sofort 25 Verwaltungsleistungen online erledigen."
        ),
        "body": (
            "Das **digitale Bürgerbüro** ist rund um die Uhr erreichbar. Die Anträge werden "
            "medienbruchfrei an die Fachämter übergeben.\n\n"
            "Wer lieber persönlich kommt, kann online einen Termin buchen."
        ),
        "tags": ["E-Government", "Digitale Modellkommune"],
        "municipalities": ["lippstadt"],
        "status": S.PUBLISHED,
        "days_ago": 3,
        "author": "lippstadt",
    },
    {
        "slug": "buergerbeteiligung-ideen-fuer-die-digitale-innenstadt",
        "title": "Bürgerbeteiligung: Ideen für die digitale Innenstadt gesucht",
        "dateline": "Iserlohn",
        "teaser": (
            "Auf einer neuen Beteiligungsplattform können Iserlohnerinnen und Iserlohner "
            "Vorschläge für eine lebendige, digitale Innenstadt einbringen."
        ),
        "body": (
            "Bis Ende Januar sind alle eingeladen, Ideen einzureichen und zu kommentieren. "
            "Die Vorschläge fließen in das Innenstadtkonzept ein."
        ),
        "tags": ["Smart City", "Digitale Modellkommune"],
        "municipalities": ["iserlohn"],
        "status": S.SCHEDULED,
        "days_ahead": 3,
        "author": "buero",
        "embargo_note": "Sperrfrist: bis zur Veröffentlichung",
    },
    {
        "slug": "kostenloses-wlan-in-der-soester-altstadt",
        "title": "Kostenloses WLAN in der Soester Altstadt",
        "dateline": "Soest",
        "teaser": "Zwölf neue Zugangspunkte versorgen Marktplatz und Fußgängerzone.",
        "body": "Entwurf – Zahlen zur Nutzung folgen.",
        "tags": ["Smart City", "Soest"],
        "municipalities": ["soest"],
        "status": S.DRAFT,
        "author": "soest",
    },
    {
        "slug": "kreis-soest-startet-digitale-schulbuchausleihe",
        "title": "Kreis Soest startet digitale Schulbuchausleihe",
        "dateline": "Soest",
        "teaser": "Schulen im Kreis können Lernmittel künftig online verwalten.",
        "body": "Die Plattform wird im Frühjahr an fünf Pilotschulen erprobt.",
        "tags": ["E-Government"],
        "municipalities": ["kreis-soest"],
        "status": S.SUBMITTED,
        "author": "kreis",
    },
]


def seed(stdout):
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["buero", "buero2", "soest", "lippstadt", "kreis"]
        )
    }
    if "buero" not in users:
        stdout.write("Presse: Demo-Konten fehlen, übersprungen")
        return
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    now = timezone.now()
    for data in RELEASES:
        status = data["status"]
        author = users.get(data["author"], users["buero"])
        defaults = {
            "title": data["title"],
            "dateline": data["dateline"],
            "teaser": data["teaser"],
            "body": data["body"],
            "status": status,
            "author": author,
            "press_contact": users["buero"],
            "press_contact_phone": "02921 103-1234",
            "embargo_note": data.get("embargo_note", ""),
            "approved_by": users.get("buero2") if status in (S.PUBLISHED, S.SCHEDULED) else None,
            "published_at": now - dt.timedelta(days=data["days_ago"])
            if status == S.PUBLISHED
            else None,
            "publish_at": now + dt.timedelta(days=data["days_ahead"])
            if status == S.SCHEDULED
            else None,
        }
        release, _created = PressRelease.objects.update_or_create(
            slug=data["slug"], defaults=defaults
        )
        release.tags.set(tags_from_names(data["tags"]))
        release.municipalities.set(
            [municipalities[s] for s in data["municipalities"] if s in municipalities]
        )
        _link_projects(release)
    stdout.write(f"Pressemitteilungen: {len(RELEASES)}")


def _link_projects(release):
    """Relate releases to demo projects of the projects app, where they exist."""
    from projects.models import Project

    words = {
        "3d-stadtmodell": "stadtmodell",
        "buergerbuero": "buergerbuero",
        "buergerbeteiligung": "beteiligung",
    }
    for key, fragment in words.items():
        if key in release.slug:
            release.projects.set(
                Project.objects.filter(slug__icontains=fragment).order_by("pk")[:2]
            )
