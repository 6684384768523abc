"""The pages `make bench` would measure keep a constant number of queries however many
agenda items, papers, decisions, action items or meetings they show."""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Paper
from meetings.services.decisions import decision_create
from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, MembershipFactory


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _fill_meeting(meeting, office, n):
    project = ProjectFactory()
    for _ in range(n):
        item = AgendaItemFactory(meeting=meeting)
        item.projects.add(project)
        paper = Paper(agenda_item=item, title="Vorlage", original_name="v.pdf")
        paper.file.save("v.pdf", ContentFile(b"%PDF-1.4 v"), save=True)
        decision_create(office, meeting, text="Beschluss", vote="unanimous", projects=[project])
        ActionItemFactory(body=meeting.body, meeting=meeting, owner_user=office, project=project)


def test_meeting_page_queries_do_not_grow(client_for, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory()
    MembershipFactory(body=meeting.body, user=office)
    _fill_meeting(meeting, office, 1)
    client = client_for(office)
    url = meeting.get_absolute_url()
    client.get(url)  # the navigation's inbox count is counted once, then cached
    few = _count(client, url)
    _fill_meeting(meeting, office, 8)
    client.get(url)  # a write: the navigation's inbox count is counted anew once, then kept
    assert _count(client, url) == few


def test_home_page_queries_do_not_grow(client_for, partner_soest):
    ActionItemFactory(owner_municipality=municipality("soest"), project=ProjectFactory())
    client = client_for(partner_soest)
    # Both visits start cold: the dashboard and the navigation's inbox count are cached.
    cache.clear()
    few = _count(client, "/")
    for _ in range(10):
        ActionItemFactory(owner_municipality=municipality("soest"), project=ProjectFactory())
        ActionItemFactory(owner_user=partner_soest)
    cache.clear()
    assert _count(client, "/") == few


def test_oparl_meeting_list_queries_do_not_grow(client, office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    body_meeting = MeetingFactory(is_public=True)
    _fill_meeting(body_meeting, office, 1)
    url = reverse("meetings:oparl_meeting_list", kwargs={"pk": 1})
    few = _count(client, url)
    for _ in range(6):
        meeting = MeetingFactory(body=body_meeting.body, is_public=True)
        _fill_meeting(meeting, office, 2)
    assert _count(client, url) == few
