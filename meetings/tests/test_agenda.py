from datetime import timedelta

from django.utils import timezone

from meetings.models import ActionItem, AgendaItem, Meeting
from meetings.services.agenda import agenda_propose, schedule
from projects.models import Project
from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory, MeetingFactory


def _turn_red(project, when):
    project.traffic_light = Project.TrafficLight.RED
    project.traffic_light_reason = "Förderbescheid fehlt"
    project.save()
    record = Project.history.filter(id=project.pk).latest("history_id")
    record.history_date = when
    record.save()


def test_agenda_proposal_lists_minutes_open_items_and_newly_red_projects(office):
    now = timezone.now()
    last = MeetingFactory(
        body__code="LK", starts_at=now - timedelta(days=30), status=Meeting.Status.HELD
    )
    body = last.body
    meeting = MeetingFactory(body=body, starts_at=now + timedelta(days=7))
    MeetingFactory(  # a cancelled meeting in between is not "the last meeting"
        body=body, starts_at=now - timedelta(days=3), status=Meeting.Status.CANCELLED
    )
    open_item = ActionItemFactory(body=body, owner_municipality=municipality("soest"))
    ActionItemFactory(
        body=body, owner_municipality=municipality("soest"), status="done", title="Erledigt"
    )
    ActionItemFactory(owner_municipality=municipality("soest"), title="Anderes Gremium")

    newly_red = ProjectFactory(title="Glasfaser Werl")
    _turn_red(newly_red, now - timedelta(days=2))
    long_red = ProjectFactory(title="Altes Sorgenkind")
    _turn_red(long_red, now - timedelta(days=60))
    ProjectFactory(title="Alles grün")

    items = agenda_propose(office, meeting)

    assert [i.kind for i in items] == [
        AgendaItem.Kind.MINUTES_APPROVAL,
        AgendaItem.Kind.OPEN_ACTIONS,
        AgendaItem.Kind.RED_PROJECT,
    ]
    assert items[0].title == "Genehmigung des Protokolls der letzten Sitzung"
    assert str(last) in items[0].description
    assert open_item.title in items[1].description
    assert "Anderes Gremium" not in items[1].description
    open_part, done_part = items[1].description.split("Seit der letzten Sitzung erledigt:")
    assert "Erledigt" not in open_part
    assert "Erledigt" in done_part
    assert ActionItem.objects.filter(body=body).count() == 2
    assert list(items[2].projects.all()) == [newly_red]
    assert [i.position for i in items] == [1, 2, 3]
    # Proposing again changes nothing.
    assert len(agenda_propose(office, meeting)) == 3


def test_first_meeting_proposes_no_minutes_approval(office):
    meeting = MeetingFactory()
    kinds = [i.kind for i in agenda_propose(office, meeting)]
    assert kinds == [AgendaItem.Kind.OPEN_ACTIONS]


def test_schedule_gives_planned_times_and_end(office):
    meeting = MeetingFactory()
    items = agenda_propose(office, meeting)
    items[0].duration_minutes = 25
    rows, end = schedule(meeting, items)
    assert rows[0].start == meeting.starts_at
    assert end == meeting.starts_at + timedelta(minutes=25)
