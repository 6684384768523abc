"""The home page's projects panel is cached per view of the projects and made anew after
any change: a write shows at once, and a partner never gets the office's panel."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from soest_office.models import Municipality

from .factories import ProjectFactory

HOME = reverse("soest_office:home")


def _home(client):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(HOME).content.decode()
    # The dashboard's own queries read from the projects tables; other apps' home panels
    # (the meetings app's open action items) join projects too but are not cached here.
    project_queries = [
        q for q in captured.captured_queries if re.search(r'FROM "projects_', q["sql"])
    ]
    return html, project_queries


def _panel(html):
    start = html.index('aria-labelledby="projekte-dashboard-titel"')
    return html[start : html.index('id="geld-titel"', start)]


@pytest.fixture
def lippstadt_project(db):
    return ProjectFactory(
        title="Smarte Parkplätze",
        lead_municipality=Municipality.objects.get(slug="lippstadt"),
        traffic_light=Project.TrafficLight.RED,
        traffic_light_reason="Lieferverzug der Sensoren",
    )


def test_second_visit_is_served_from_the_cache(client_for, office, lippstadt_project):
    client = client_for(office)
    first, first_queries = _home(client)
    second, second_queries = _home(client)
    assert "Smarte Parkplätze" in first
    assert first_queries
    assert second_queries == []
    assert _panel(second) == _panel(first)


def test_a_change_shows_at_once(client_for, office, lippstadt_project):
    client = client_for(office)
    assert "Smarte Parkplätze" in _home(client)[0]
    lippstadt_project.title = "Smarte Parkhäuser"
    lippstadt_project.save()
    html = _home(client)[0]
    assert "Smarte Parkhäuser" in html
    assert "Smarte Parkplätze" not in html


def test_deleting_and_many_to_many_changes_invalidate(client_for, office, lippstadt_project):
    client = client_for(office)
    before = _home(client)[0]
    lippstadt_project.participating_municipalities.add(Municipality.objects.get(slug="iserlohn"))
    after_join, queries = _home(client)
    assert queries
    assert after_join != before
    lippstadt_project.delete()
    assert "Smarte Parkplätze" not in _home(client)[0]


def test_partner_gets_a_panel_of_their_own(
    client_for, office, partner_lippstadt, partner_soest, lippstadt_project
):
    office_html = _home(client_for(office))[0]
    lippstadt_html, lippstadt_queries = _home(client_for(partner_lippstadt))
    soest_html = _home(client_for(partner_soest))[0]
    assert lippstadt_queries  # not the office's panel from the cache
    assert "meine Kommune" not in office_html
    assert "meine Kommune" in lippstadt_html
    assert "meine Kommune" not in soest_html
