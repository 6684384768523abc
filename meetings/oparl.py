"""OParl 1.1 (https://oparl.org): the public part of the meetings as the standard's objects.

Only what the rules give the public (role PUBLIC: meetings marked public and not
confidential, their non-confidential papers) is ever read here: every queryset starts from
`visible_to(AnonymousUser())`. The OParl `Body` is the model region; each Gremium with a public
meeting is an `Organization`; agenda items carry their decisions as `resolutionText`; a paper
(Vorlage) is a `Paper` with one `Consultation` (its agenda item) and its `File`; a `Person`
is a member of such a Gremium, with the name only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from .models import AgendaItem, Body, Decision, Meeting, Membership, Paper

SCHEMA = "https://schema.oparl.org/1.1/"
BODY_ID = 1  # the one OParl body: the model region
PUBLIC = AnonymousUser()
STATE = {
    Meeting.Status.PLANNED: "terminiert",
    Meeting.Status.INVITED: "eingeladen",
    Meeting.Status.HELD: "durchgeführt",
    Meeting.Status.APPROVED: "durchgeführt",
    Meeting.Status.CANCELLED: "abgesagt",
}


def url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(f"meetings:oparl_{name}", kwargs=kwargs or None)


def stamp(value) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


# --- What the public may see ------------------------------------------------------------------


def public_meetings():
    return Meeting.objects.visible_to(PUBLIC).select_related("body")


def public_papers():
    return Paper.objects.visible_to(PUBLIC).select_related("agenda_item__meeting__body")


def public_agenda_items():
    return AgendaItem.objects.visible_to(PUBLIC).select_related("meeting__body")


def public_organizations():
    return Body.objects.filter(pk__in=public_meetings().values("body_id"))


def public_memberships():
    return Membership.objects.filter(body__in=public_organizations()).select_related("user", "body")


# --- Objects ---------------------------------------------------------------------------------


def system() -> dict:
    return {
        "id": url("system"),
        "type": SCHEMA + "System",
        "oparlVersion": SCHEMA,
        "name": "Digitale Modellregion Soest – Gremien",
        "body": url("body_list"),
        "website": settings.SITE_URL + "/",
        "contactEmail": _from_address(),
        "contactName": "Projektbüro Digitale Modellregion",
    }


def _from_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def body() -> dict:
    return {
        "id": url("body", pk=BODY_ID),
        "type": SCHEMA + "Body",
        "system": url("system"),
        "name": "Digitale Modellregion Soest",
        "shortName": "Modellregion Soest",
        "website": settings.SITE_URL + "/",
        "organization": url("organization_list", pk=BODY_ID),
        "person": url("person_list", pk=BODY_ID),
        "meeting": url("meeting_list", pk=BODY_ID),
        "paper": url("paper_list", pk=BODY_ID),
        "legislativeTerm": [],
        "classification": "Modellregion",
    }


def organization(gremium: Body) -> dict:
    return {
        "id": url("organization", pk=gremium.pk),
        "type": SCHEMA + "Organization",
        "body": url("body", pk=BODY_ID),
        "name": gremium.name,
        "shortName": gremium.code,
        "organizationType": "Gremium",
        "classification": gremium.get_kind_display(),
        "meeting": url("meeting_list", pk=BODY_ID) + f"?organization={gremium.pk}",
    }


def person(membership: Membership) -> dict:
    user = membership.user
    return {
        "id": url("person", pk=membership.pk),
        "type": SCHEMA + "Person",
        "body": url("body", pk=BODY_ID),
        "name": user.get_full_name() or user.get_username(),
        "familyName": user.last_name,
        "givenName": user.first_name,
    }


def file(paper: Paper) -> dict:
    try:
        size = paper.file.size
    except OSError:  # the stored file is gone: say so by size 0 rather than fail the list
        size = 0
    return {
        "id": url("file", pk=paper.pk),
        "type": SCHEMA + "File",
        "name": paper.title,
        "fileName": paper.original_name,
        "accessUrl": url("file_content", pk=paper.pk),
        "downloadUrl": url("file_content", pk=paper.pk),
        "size": size,
        "date": stamp(paper.uploaded_at),
        "created": stamp(paper.uploaded_at),
        "modified": stamp(paper.uploaded_at),
    }


def consultation(paper: Paper) -> dict:
    item = paper.agenda_item
    return {
        "id": url("consultation", pk=paper.pk),
        "type": SCHEMA + "Consultation",
        "paper": url("paper", pk=paper.pk),
        "agendaItem": url("agenda_item", pk=item.pk),
        "meeting": url("meeting", pk=item.meeting_id),
        "organization": [url("organization", pk=item.meeting.body_id)],
        "authoritative": False,
        "role": "Beratung",
    }


def paper(item: Paper) -> dict:
    return {
        "id": url("paper", pk=item.pk),
        "type": SCHEMA + "Paper",
        "body": url("body", pk=BODY_ID),
        "name": item.title,
        "reference": f"V-{item.pk}",
        "date": timezone.localtime(item.uploaded_at).date().isoformat(),
        "paperType": "Vorlage",
        "mainFile": file(item),
        "consultation": [consultation(item)],
        "created": stamp(item.uploaded_at),
        "modified": stamp(item.uploaded_at),
    }


def agenda_item(item: AgendaItem, decisions: list[Decision], papers: list[Paper]) -> dict:
    start = item.meeting.starts_at
    data = {
        "id": url("agenda_item", pk=item.pk),
        "type": SCHEMA + "AgendaItem",
        "meeting": url("meeting", pk=item.meeting_id),
        "number": str(item.position),
        "order": item.position,
        "name": item.title,
        "public": True,
        "auxiliaryFile": [file(p) for p in papers],
        "start": stamp(start),
    }
    if decisions:
        data["result"] = "beschlossen"
        data["resolutionText"] = "\n".join(f"{d.reference}: {d.text}" for d in decisions)
    return data


def meeting(item: Meeting, agenda: list[dict] | None = None) -> dict:
    data = {
        "id": url("meeting", pk=item.pk),
        "type": SCHEMA + "Meeting",
        "name": item.title,
        "meetingState": STATE[item.status],
        "cancelled": item.status == Meeting.Status.CANCELLED,
        "start": stamp(item.starts_at),
        "end": stamp(item.ends_at),
        "organization": [url("organization", pk=item.body_id)],
        "web": settings.SITE_URL + item.get_absolute_url(),
        "created": stamp(item.created_at),
        "modified": stamp(item.updated_at),
    }
    if item.place:
        data["location"] = {
            "id": url("meeting", pk=item.pk) + "#ort",
            "type": SCHEMA + "Location",
            "description": item.place,
        }
    if agenda is not None:
        data["agendaItem"] = agenda
    return data


def agendas_for(meetings: list[Meeting]) -> dict[int, list[dict]]:
    """The embedded agenda items of many meetings, in three queries."""
    ids = [m.pk for m in meetings]
    items = list(public_agenda_items().filter(meeting_id__in=ids).order_by("position", "pk"))
    decisions: dict[int, list] = {}
    for d in (
        Decision.objects.visible_to(PUBLIC)
        .filter(meeting_id__in=ids)
        .select_related("body")
        .order_by("number")
    ):
        decisions.setdefault(d.agenda_item_id, []).append(d)
    papers: dict[int, list] = {}
    for p in public_papers().filter(agenda_item__meeting_id__in=ids).order_by("pk"):
        papers.setdefault(p.agenda_item_id, []).append(p)
    result: dict[int, list[dict]] = {pk: [] for pk in ids}
    for item in items:
        result[item.meeting_id].append(
            agenda_item(item, decisions.get(item.pk, []), papers.get(item.pk, []))
        )
    return result
