"""Samples of the meetings app: a Lenkungskreis meeting (not confidential) with one agenda
item, a paper and an action item of Soest, created once per world."""

from .world import sample


def meeting_world(world):
    cached = getattr(world, "_meetings", None)
    if cached is not None:
        return cached
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from meetings.models import ActionItem, AgendaItem, Body, Meeting, Paper
    from soest_office.models import Municipality

    body, _ = Body.objects.get_or_create(
        slug="beispiel-lenkungskreis",
        defaults={"name": "Beispiel: Lenkungskreis", "code": "BLK", "kind": "steering"},
    )
    start = timezone.now() + timedelta(days=10)
    meeting = Meeting.objects.create(
        body=body,
        title="Beispiel: 5. Sitzung",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Rathaus Soest",
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Beispiel: Bericht")
    paper = Paper(agenda_item=item, title="Beispiel: Vorlage", original_name="vorlage.pdf")
    paper.file.save("vorlage.pdf", ContentFile(b"%PDF-1.4\n%beispiel\n"), save=True)
    action = ActionItem.objects.create(
        body=body,
        meeting=meeting,
        title="Beispiel: Förderantrag einreichen",
        owner_municipality=Municipality.objects.get(slug="soest"),
        due=timezone.localdate() + timedelta(days=20),
    )
    public = Meeting.objects.create(
        body=body,
        title="Beispiel: öffentliche Sitzung",
        starts_at=start - timedelta(days=40),
        ends_at=start - timedelta(days=40) + timedelta(hours=2),
        place="Rathaus Soest",
        is_public=True,
    )
    public_item = AgendaItem.objects.create(meeting=public, position=1, title="Beispiel: TOP")
    public_paper = Paper(agenda_item=public_item, title="Beispiel: Vorlage", original_name="v.pdf")
    public_paper.file.save("v.pdf", ContentFile(b"%PDF-1.4\n%oeffentlich\n"), save=True)
    from meetings.models import MeetingSeries

    series = MeetingSeries.objects.create(
        body=body,
        title="Beispiel: Reihe",
        rule=MeetingSeries.Rule.EVERY_WEEKS,
        every_weeks=4,
        first_start=start,
        until=(start + timedelta(days=120)).date(),
        template_agenda="Beispiel: Berichte | 30",
    )
    member = world.users.get("steering") or world._sample_user
    membership, _ = body.memberships.get_or_create(user=member)
    world._meetings = {
        "body": body,
        "meeting": meeting,
        "item": item,
        "paper": paper,
        "action": action,
        "public": public,
        "public_item": public_item,
        "public_paper": public_paper,
        "membership": membership,
        "series": series,
    }
    return world._meetings


@sample("meetings:body_detail", "meetings:series_create")
def _body(world):
    return {"slug": meeting_world(world)["body"].slug}


@sample(
    "meetings:meeting_detail",
    "meetings:meeting_edit",
    "meetings:minutes_pdf",
    "meetings:agenda_item_create",
    "meetings:decision_create",
    "meetings:action_item_create",
    "meetings:attendance",
)
def _meeting(world):
    return {"pk": meeting_world(world)["meeting"].pk}


@sample("meetings:meeting_action")
def _meeting_action(world):
    return {"pk": meeting_world(world)["meeting"].pk, "action": "durchgefuehrt"}


@sample("meetings:agenda_item_edit", "meetings:minutes_edit", "meetings:paper_create")
def _agenda_item(world):
    found = meeting_world(world)
    return {"pk": found["meeting"].pk, "item_pk": found["item"].pk}


@sample("meetings:paper_download")
def _paper(world):
    return {"pk": meeting_world(world)["paper"].pk}


@sample("meetings:action_status")
def _action(world):
    return {"pk": meeting_world(world)["action"].pk}


@sample("meetings:series_detail", "meetings:series_edit")
def _series(world):
    found = meeting_world(world)
    return {"slug": found["body"].slug, "pk": found["series"].pk}


@sample("meetings:occurrence_action")
def _occurrence_action(world):
    from django.utils import timezone

    found = meeting_world(world)
    day = timezone.localtime(found["series"].first_start).date()
    return {
        "slug": found["body"].slug,
        "pk": found["series"].pk,
        "day": day.isoformat(),
        "action": "absagen",
    }


@sample("meetings:respond_link")
def _respond_link(world):
    return {"token": "eyJtIjoxLCJ1IjoxfQ:manipuliert:abc"}


# --- OParl (public meetings only) -------------------------------------------------------------


@sample(
    "meetings:oparl_body",
    "meetings:oparl_organization_list",
    "meetings:oparl_person_list",
    "meetings:oparl_meeting_list",
    "meetings:oparl_paper_list",
)
def _oparl_body(world):
    meeting_world(world)
    return {"pk": 1}


@sample("meetings:oparl_organization")
def _oparl_organization(world):
    return {"pk": meeting_world(world)["body"].pk}


@sample("meetings:oparl_person")
def _oparl_person(world):
    return {"pk": meeting_world(world)["membership"].pk}


@sample("meetings:oparl_meeting")
def _oparl_meeting(world):
    return {"pk": meeting_world(world)["public"].pk}


@sample("meetings:oparl_agenda_item")
def _oparl_agenda_item(world):
    return {"pk": meeting_world(world)["public_item"].pk}


@sample(
    "meetings:oparl_paper",
    "meetings:oparl_consultation",
    "meetings:oparl_file",
    "meetings:oparl_file_content",
)
def _oparl_paper(world):
    return {"pk": meeting_world(world)["public_paper"].pk}
