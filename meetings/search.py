"""What the meetings app puts into the search (found by the kernel, see soest_office.plugins).

Who finds what is the app's rules (meetings/rules.py) through each model's `visible_to`, so
a confidential meeting, its agenda items and minutes, decisions and action items reach no
result, count, facet or suggestion of anyone outside its body and the office.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office.plugins import SEARCH_SOURCES
from soest_office.search.registry import Document, Source

from .models import ActionItem, AgendaItem, Decision, Meeting


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def meeting_document(meeting) -> Document:
    return Document(
        title=str(meeting),
        summary=_join(meeting.place, meeting.get_status_display()),
        names=meeting.body.name,
        year=timezone.localtime(meeting.starts_at).year,
        url=meeting.get_absolute_url(),
    )


def agenda_item_document(item) -> Document:
    meeting = item.meeting
    return Document(
        title=f"{item} – {meeting}",
        summary=item.description,
        body=item.minutes,
        names=meeting.body.name,
        year=timezone.localtime(meeting.starts_at).year,
        url=item.get_absolute_url(),
    )


def decision_document(decision) -> Document:
    return Document(
        title=_("Beschluss %(ref)s") % {"ref": decision.reference},
        summary=decision.text,
        names=decision.body.name,
        year=decision.year,
        url=decision.get_absolute_url(),
    )


def action_item_document(item) -> Document:
    return Document(
        title=item.title,
        summary=item.description,
        names=_join(item.body.name, item.owner),
        municipality_ids=[item.owner_municipality_id] if item.owner_municipality_id else [],
        year=item.due.year,
        url=item.get_absolute_url(),
    )


SEARCH_SOURCES.register(
    Source(
        key="sitzungen",
        label=_("Sitzungen"),
        model=Meeting,
        document=meeting_document,
        queryset=lambda: Meeting.objects.select_related("body"),
        position=60,
    )
)
SEARCH_SOURCES.register(
    Source(
        key="tagesordnung",
        label=_("Tagesordnungspunkte und Protokolle"),
        model=AgendaItem,
        document=agenda_item_document,
        queryset=lambda: AgendaItem.objects.select_related("meeting__body"),
        position=61,
        dependencies=((Meeting, lambda ids: AgendaItem.objects.filter(meeting_id__in=ids)),),
    )
)
SEARCH_SOURCES.register(
    Source(
        key="beschluesse",
        label=_("Beschlüsse"),
        model=Decision,
        document=decision_document,
        queryset=lambda: Decision.objects.select_related("body", "meeting"),
        position=62,
    )
)
SEARCH_SOURCES.register(
    Source(
        key="aufgaben",
        label=_("Aufgaben aus Sitzungen"),
        model=ActionItem,
        document=action_item_document,
        queryset=lambda: ActionItem.objects.select_related(
            "body", "owner_user", "owner_municipality"
        ),
        position=63,
    )
)
