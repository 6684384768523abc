"""Demo data of the meetings app: the Lenkungskreis with members from every municipality,
two held meetings with approved minutes, decisions and action items (one overdue), a third
held meeting marked public (its minutes await approval) and one planned meeting; the
Projektteam's series (every four weeks). Idempotent: nothing is added when the Lenkungskreis
has meetings already (the series is looked up by its title)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from projects.models import Project
from soest_office.models import Municipality

from .models import ActionItem, AgendaItem, Attendance, Body, Meeting, MeetingSeries, Membership
from .services import decisions, minutes

MEMBERS = [
    ("buero", Membership.Function.CHAIR),
    ("lenkung", Membership.Function.MEMBER),
    ("soest", Membership.Function.MEMBER),
    ("lippstadt", Membership.Function.MEMBER),
    ("iserlohn", Membership.Function.MEMBER),
    ("kreis", Membership.Function.MEMBER),
]


def _at(days: int, hour: int = 15) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _meeting(body, title, days, status, *, public=False, items=()):
    meeting = Meeting.objects.create(
        body=body,
        title=title,
        starts_at=_at(days),
        ends_at=_at(days, 17),
        place="Rathaus Soest, Ratssaal",
        status=status,
        is_public=public,
    )
    created = []
    for position, (title_, minutes_text, duration) in enumerate(items, start=1):
        created.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                title=title_,
                minutes=minutes_text,
                duration_minutes=duration,
            )
        )
    return meeting, created


def seed(stdout):
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=[m for m, _ in MEMBERS])}
    if "buero" not in users:
        stdout.write("Sitzungen: Demo-Konten fehlen, übersprungen")
        return
    office = users["buero"]
    body, _ = Body.objects.get_or_create(
        slug="lenkungskreis",
        defaults={
            "name": "Lenkungskreis Digitale Modellregion",
            "code": "LK",
            "kind": Body.Kind.STEERING,
            "description": "Die Bürgermeister, der Kreis und das Projektbüro steuern die "
            "Modellregion.",
        },
    )
    team, _ = Body.objects.get_or_create(
        slug="projektteam",
        defaults={"name": "Projektteam", "code": "PT", "kind": Body.Kind.PROJECT_TEAM},
    )
    # The Projektteam meets every four weeks (its series page: /gremien/projektteam/reihen/…).
    MeetingSeries.objects.get_or_create(
        body=team,
        title="Projektteam (alle vier Wochen)",
        defaults={
            "rule": MeetingSeries.Rule.EVERY_WEEKS,
            "every_weeks": 4,
            "first_start": _at(7, 10),
            "until": timezone.localdate() + dt.timedelta(days=7 + 7 * 4 * 5),
            "duration_minutes": 90,
            "place": "Kreishaus Soest, Raum 2",
            "template_agenda": "Berichte aus den Kommunen | 30\nStand der offenen Aufgaben | 15\n"
            "Verschiedenes | 10",
        },
    )
    for username, function in MEMBERS:
        if username in users:
            Membership.objects.get_or_create(
                body=body, user=users[username], defaults={"function": function}
            )
    if body.meetings.exists():
        stdout.write("Sitzungen: vorhanden")
        return
    projects = list(Project.objects.order_by("pk")[:3])
    municipalities = {m.slug: m for m in Municipality.objects.all()}
    held = Meeting.Status.HELD
    first, first_items = _meeting(
        body,
        "1. Sitzung des Lenkungskreises",
        -120,
        held,
        items=[
            ("Begrüßung und Tagesordnung", "Die Tagesordnung wurde angenommen.", 10),
            ("Stand der Einzelprojekte", "Das Projektbüro berichtete über alle Projekte.", 45),
        ],
    )
    decisions.decision_create(
        office,
        first,
        text="Der Lenkungskreis beschließt die Projektliste 2026.",
        vote="unanimous",
        agenda_item=first_items[1],
        projects=projects[:2],
    )
    decisions.action_item_create(
        office,
        first,
        title="Förderantrag für das WLAN an Schulen vorbereiten",
        due=timezone.localdate() - dt.timedelta(days=60),
        owner_municipality=municipalities.get("soest"),
        project=projects[0] if projects else None,
    )
    ActionItem.objects.filter(meeting=first).update(status=ActionItem.Status.DONE)
    second, second_items = _meeting(
        body,
        "2. Sitzung des Lenkungskreises",
        -60,
        held,
        items=[
            ("Genehmigung des Protokolls der letzten Sitzung", "Genehmigt.", 5),
            ("Stand der offenen Aufgaben", "Der Förderantrag ist eingereicht.", 15),
            ("Digitale Innenstadt", "Lippstadt stellt den Zeitplan vor.", 30),
        ],
    )
    decisions.decision_create(
        office,
        second,
        text="Die Digitale Innenstadt Lippstadt wird um drei Monate verlängert.",
        vote="counted",
        votes=(5, 0, 1),
        agenda_item=second_items[2],
        projects=projects[1:2],
    )
    decisions.action_item_create(
        office,
        second,
        title="Zeitplan Digitale Innenstadt überarbeiten",
        due=timezone.localdate() - dt.timedelta(days=10),  # overdue
        owner_municipality=municipalities.get("lippstadt"),
        project=projects[1] if len(projects) > 1 else None,
    )
    decisions.action_item_create(
        office,
        second,
        title="Kennzahlen für den Jahresbericht liefern",
        due=timezone.localdate() + dt.timedelta(days=20),
        owner_user=users.get("lenkung", office),
    )
    third, _items = _meeting(
        body,
        "3. Sitzung des Lenkungskreises (öffentlich)",
        -14,
        held,
        public=True,
        items=[
            ("Genehmigung des Protokolls der letzten Sitzung", "Genehmigt.", 5),
            ("Bürgerbeteiligung online", "Vorstellung der Plattform.", 30),
        ],
    )
    decisions.decision_create(
        office, third, text="Die Beteiligungsplattform geht online.", vote="unanimous"
    )
    for meeting in (first, second, third):
        for member in body.memberships.all():
            Attendance.objects.get_or_create(
                meeting=meeting, user_id=member.user_id, defaults={"attended": True}
            )
    minutes.minutes_approve(office, first, approved_in=second)
    minutes.minutes_approve(office, second, approved_in=third)
    _meeting(body, "4. Sitzung des Lenkungskreises", 21, Meeting.Status.PLANNED)
    stdout.write("Sitzungen: Lenkungskreis mit 4 Sitzungen")
