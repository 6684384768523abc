"""Demo data: participation open on the public project "Digitales Bürgerbüro", with
contributions in every state (waiting for moderation, accepted with an answer, rejected,
merged, and one waiting for its e-mail confirmation). Idempotent: by title."""

import datetime

from django.utils import timezone

from projects.models import Project

from .models import ConsentText, Contribution, Participation

PROJECT_SLUG = "digitales-buergerbuero"

# title, kind, category, status, name shown, answer status, answer, reject reason, days ago
CONTRIBUTIONS = [
    (
        "Termine auch samstags online buchen",
        "idea", "Öffnungszeiten", "accepted", "Petra Schäfer", "implementing",
        "Ab dem Frühjahr bietet das Bürgerbüro Soest jeden ersten Samstag im Monat Termine an; "
        "buchbar über das Portal.",
        "", 20,
    ),
    (
        "Ausweis-Abholung mit Benachrichtigung per SMS",
        "idea", "Benachrichtigung", "accepted", "", "reviewing",
        "Wir prüfen mit dem Rechenzentrum, ob SMS datenschutzkonform möglich sind.",
        "", 14,
    ),
    (
        "Formulare in Leichter Sprache",
        "remark", "Barrierefreiheit", "accepted", "Jonas K.", "not_feasible",
        "Die Bundesformulare können wir nicht ändern; für eigene Formulare gibt es ab Juni "
        "Erklärungen in Leichter Sprache.",
        "", 10,
    ),
    (
        "Mehr Parkplätze am Rathaus",
        "remark", "", "rejected", "", "", "",
        "Der Hinweis betrifft nicht das digitale Bürgerbüro; wir haben ihn an das Ordnungsamt "
        "weitergegeben.", 8,
    ),
    (
        "Wartezeit online anzeigen",
        "idea", "Öffnungszeiten", "pending", "", "", "", "", 2,
    ),
    (
        "Samstagstermine",
        "idea", "Öffnungszeiten", "merged", "", "", "", "", 18,
    ),
    (
        "Chat mit dem Bürgerbüro",
        "idea", "Benachrichtigung", "unconfirmed", "", "", "", "", 1,
    ),
]  # fmt: skip


def seed(stdout):
    project = Project.objects.filter(slug=PROJECT_SLUG).first()
    if project is None:
        return
    if not project.is_public:
        Project.objects.filter(pk=project.pk).update(is_public=True)
    today = timezone.localdate()
    participation, _created = Participation.objects.get_or_create(
        project=project,
        defaults={
            "enabled": True,
            "question": "Was würde Ihnen den Weg zum Bürgerbüro ersparen?",
            "starts_on": today - datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=60),
            "categories": "Öffnungszeiten\nBenachrichtigung\nBarrierefreiheit",
        },
    )
    text = ConsentText.objects.get(version="1")
    now = timezone.now()
    created = {}
    for title, kind, category, status, name, answer_status, answer, reason, days in CONTRIBUTIONS:
        at = now - datetime.timedelta(days=days)
        contribution, _new = Contribution.objects.get_or_create(
            participation=participation,
            title=title,
            defaults={
                "kind": kind,
                "text": f"{title}: das würde vielen Menschen einen Weg ersparen.",
                "category": category,
                "status": status,
                "author_name": name,
                "show_name": bool(name),
                "email": "demo-beteiligung@example.org" if status == "unconfirmed" else "",
                "consent_text": text,
                "created_at": at,
                "confirmed_at": None if status == "unconfirmed" else at,
                "moderated_at": at if status in ("accepted", "rejected", "merged") else None,
                "answer_status": answer_status,
                "answer_text": answer,
                "answered_at": at if answer else None,
                "reject_reason": reason,
            },
        )
        created[title] = contribution
    merged = created["Samstagstermine"]
    if merged.merged_into_id is None:
        merged.merged_into = created["Termine auch samstags online buchen"]
        merged.save(update_fields=["merged_into"])
    stdout.write(f"Beteiligung: {participation} mit {len(created)} Beiträgen")
