"""The agenda: the proposed draft and the planned times of the items."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Project
from soest_office import access
from soest_office.access import CHANGE

from ..models import ActionItem, AgendaItem, Meeting
from ..rules import MEETING


def previous_meeting(meeting) -> Meeting | None:
    """The body's last meeting before this one that took place (not cancelled)."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def projects_turned_red(user, since: datetime | None) -> list[Project]:
    """Projects the user sees whose traffic light is red now and turned red after `since`
    (every red project when there is no earlier meeting), from the project history."""
    red = list(Project.objects.visible_to(user).filter(traffic_light=Project.TrafficLight.RED))
    if since is None or not red:
        return red
    history = Project.history.filter(id__in=[p.pk for p in red]).order_by(
        "id", "history_date", "history_id"
    )
    turned: set[int] = set()
    previous_light: dict[int, str | None] = {}
    for record in history.values("id", "history_date", "traffic_light"):
        pid = record["id"]
        was = previous_light.get(pid)
        if record["traffic_light"] == "red" and was != "red" and record["history_date"] > since:
            turned.add(pid)
        previous_light[pid] = record["traffic_light"]
    return [p for p in red if p.pk in turned]


def open_action_items_of(body):
    return (
        ActionItem.objects.open()
        .filter(body=body)
        .select_related("owner_user", "owner_municipality", "project")
        .order_by("due", "pk")
    )


def done_action_items_since(body, since):
    """Items of the body finished since the last meeting (all finished ones without one)."""
    done = ActionItem.objects.filter(body=body, status=ActionItem.Status.DONE)
    if since is not None:
        done = done.filter(updated_at__gt=since)
    return done.select_related("owner_user", "owner_municipality").order_by("due", "pk")


def _open_items_text(items, done=()) -> str:
    lines = [
        f"- {item.title} ({item.owner}, {_('fällig am')} {item.due:%d.%m.%Y})" for item in items
    ] or [str(_("Keine offenen Aufgaben."))]
    if done:
        lines += ["", str(_("Seit der letzten Sitzung erledigt:"))]
        lines += [f"- {item.title} ({item.owner})" for item in done]
    return "\n".join(lines)


@transaction.atomic
def agenda_propose(user, meeting) -> list[AgendaItem]:
    """Create the draft agenda of a meeting without items: approval of the last minutes,
    the state of the body's open action items, one item per project turned red since the
    last meeting. The office edits it afterwards."""
    meeting = MEETING.get_object(
        user, Meeting.objects.select_for_update(of=("self",)), CHANGE, pk=meeting.pk
    )
    if meeting.agenda_items.exists():
        return list(meeting.agenda_items.all())
    last = previous_meeting(meeting)
    drafts: list[tuple[AgendaItem, list]] = []
    if last is not None:
        drafts.append(
            (
                AgendaItem(
                    kind=AgendaItem.Kind.MINUTES_APPROVAL,
                    title=_("Genehmigung des Protokolls der letzten Sitzung"),
                    description=str(last),
                    duration_minutes=5,
                ),
                [],
            )
        )
    drafts.append(
        (
            AgendaItem(
                kind=AgendaItem.Kind.OPEN_ACTIONS,
                title=_("Stand der offenen Aufgaben"),
                description=_open_items_text(
                    open_action_items_of(meeting.body),
                    done_action_items_since(meeting.body, last.starts_at if last else None),
                ),
                duration_minutes=15,
            ),
            [],
        )
    )
    for project in projects_turned_red(user, last.starts_at if last else None):
        drafts.append(
            (
                AgendaItem(
                    kind=AgendaItem.Kind.RED_PROJECT,
                    title=_("Projekt mit roter Ampel: %(title)s") % {"title": project.title},
                    description=project.traffic_light_reason,
                    duration_minutes=10,
                ),
                [project],
            )
        )
    created = []
    for position, (item, projects) in enumerate(drafts, start=1):
        item.meeting = meeting
        item.position = position
        item.save()
        if projects:
            item.projects.set(projects)
        created.append(item)
    return created


@dataclass(frozen=True)
class ScheduledItem:
    item: AgendaItem
    start: datetime
    end: datetime


def schedule(meeting, items) -> tuple[list[ScheduledItem], datetime]:
    """Planned start and end of each item, one after the other from the meeting's start,
    and the planned end of the meeting."""
    current = meeting.starts_at
    rows = []
    for item in items:
        end = current + timedelta(minutes=item.duration_minutes)
        rows.append(ScheduledItem(item, current, end))
        current = end
    return rows, current


def require_change(user, meeting) -> None:
    access.require(MEETING.allows(user, meeting, CHANGE))
