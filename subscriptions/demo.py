"""Demo data: the Rubriken of the press releases and a few confirmed subscribers."""

from django.utils import timezone

from news.models import PressRelease, Section
from soest_office.models import Municipality
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, LegalBasisRecord

from .models import ConsentText, Frequency, Subscription

SECTIONS = [
    ("Politik", "politik"),
    ("Verwaltung digital", "verwaltung-digital"),
    ("Bildung", "bildung"),
    ("Mobilität", "mobilitaet"),
    ("Stadtentwicklung", "stadtentwicklung"),
    ("Beteiligung", "beteiligung"),
]

# email, first name, last name, sections, municipality slugs, frequency, days ago
SUBSCRIBERS = [
    ("anna.becker@example.org", "Anna", "Becker", ["bildung"], ["soest"], Frequency.IMMEDIATE, 120),
    ("m.kaya@example.org", "Mehmet", "Kaya", [], [], Frequency.WEEKLY, 80),
    (
        "info@stadtwerke-beispiel.de",
        "",
        "Stadtwerke Beispiel",
        ["mobilitaet"],
        [],
        Frequency.WEEKLY,
        45,
    ),
    (
        "digital@gemeinde-beispiel.de",
        "",
        "Gemeinde Beispiel (Digitalisierung)",
        ["verwaltung-digital"],
        [],
        Frequency.IMMEDIATE,
        20,
    ),
    (
        "j.schulte@example.org",
        "Jana",
        "Schulte",
        ["beteiligung", "stadtentwicklung"],
        ["lippstadt"],
        Frequency.IMMEDIATE,
        5,
    ),
]

KEYWORDS = {
    "bildung": "bildung",
    "3d": "stadtentwicklung",
    "stadtmodell": "stadtentwicklung",
    "bürgerbüro": "verwaltung-digital",
    "beteiligung": "beteiligung",
    "förderbescheid": "politik",
}


def seed(stdout):
    sections = {}
    for position, (name, slug) in enumerate(SECTIONS, start=1):
        sections[slug], _c = Section.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for release in PressRelease.objects.filter(section__isnull=True):
        title = release.title.lower()
        slug = next((s for word, s in KEYWORDS.items() if word in title), None)
        if slug:
            PressRelease.objects.filter(pk=release.pk).update(section=sections[slug])
    text = ConsentText.objects.get(version="1")
    places = {m.slug: m for m in Municipality.objects.all()}
    now = timezone.now()
    for email, first, last, section_slugs, place_slugs, frequency, days in SUBSCRIBERS:
        contact, created = Contact.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "category": Contact.Category.SUBSCRIBER,
            },
        )
        confirmed = now - timezone.timedelta(days=days)
        if created or not contact.legal_basis_records.filter(purpose="newsletter").exists():
            stakeholder_services.legal_basis_record(
                contact=contact,
                purpose="newsletter",
                status=LegalBasisRecord.Status.CONSENT,
                method=LegalBasisRecord.Method.FORM,
                source="Web-Formular (Double-Opt-in); Einwilligungstext Version 1 (Demo)",
                at=confirmed,
            )
        subscription, _c = Subscription.objects.update_or_create(
            contact=contact,
            defaults={
                "email": email,
                "frequency": frequency,
                "consent_text": text,
                "requested_at": confirmed - timezone.timedelta(minutes=7),
                "confirmed_at": confirmed,
                "digest_sent_until": confirmed,
            },
        )
        subscription.sections.set([sections[s] for s in section_slugs])
        subscription.municipalities.set([places[s] for s in place_slugs if s in places])
    stdout.write(f"subscriptions: {len(SECTIONS)} Rubriken, {len(SUBSCRIBERS)} Abonnements")
