"""The project list's filter and table are cached per view of the projects (role,
municipality), day and query (issue 20), and made anew after any write: a write by any role
shows at once for every role that may see it, and a cached list never answers someone the
list refuses."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.models import Project
from soest_office.access import Role
from soest_office.models import Municipality
from soest_office.tests.factories import TEST_PASSWORD, UserFactory

from .factories import (
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
)
from .test_workflow import project_post_data

LIST = reverse("projects:list")


def _list(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST + query)
    html = response.content.decode() if response.status_code == 200 else ""
    project_queries = [q for q in captured.captured_queries if 'FROM "projects_' in q["sql"]]
    return response.status_code, html, project_queries


def _main(html):
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def lippstadt_project(db):
    return ProjectFactory(
        title="Smarte Parkplätze",
        slug="smarte-parkplaetze",
        lead_municipality=Municipality.objects.get(slug="lippstadt"),
        traffic_light=Project.TrafficLight.RED,
        traffic_light_reason="Lieferverzug der Sensoren",
    )


def test_second_visit_is_served_from_the_cache_with_the_same_html(
    client_for, office, lippstadt_project
):
    client = client_for(office)
    _, first, first_queries = _list(client)
    _, second, second_queries = _list(client)
    assert "Smarte Parkplätze" in first
    assert first_queries
    assert second_queries == []
    assert _main(second) == _main(first)


def test_each_query_string_has_its_own_entry(client_for, office, lippstadt_project):
    ProjectFactory(title="Schul-WLAN", slug="schul-wlan")
    client = client_for(office)
    _list(client)
    _, html, queries = _list(client, "?q=WLAN")
    assert queries
    assert "Schul-WLAN" in html
    assert "Smarte Parkplätze" not in html


def test_a_project_saved_by_the_office_shows_at_once_to_every_role(
    office, partner_soest, steering, lippstadt_project
):
    clients = []
    for user in (office, partner_soest, steering):
        client = Client()
        client.force_login(user)
        assert "Smarte Parkplätze" in _list(client)[1]
        clients.append(client)
    data = project_post_data(lippstadt_project, title="Smarte Parkhäuser")
    edit = reverse("projects:edit", args=[lippstadt_project.slug])
    assert clients[0].post(edit, data).status_code == 302
    for client in clients:
        html = _list(client)[1]
        assert "Smarte Parkhäuser" in html
        assert "Smarte Parkplätze" not in html


def test_a_partners_description_shows_at_once_for_the_office(
    client_for, office, partner_lippstadt, lippstadt_project
):
    office_client, partner_client = Client(), Client()
    office_client.force_login(office)
    partner_client.force_login(partner_lippstadt)
    assert "Smarte Parkplätze" not in _list(office_client, "?q=Sensorik")[1]
    describe = reverse("projects:describe", args=[lippstadt_project.slug])
    response = partner_client.post(
        describe,
        {"description": "Sensorik im Parkhaus", "next_steps": "", "version": 1},
    )
    assert response.status_code == 302, response.content.decode()[:300]
    assert "Smarte Parkplätze" in _list(office_client, "?q=Sensorik")[1]


def test_a_partners_report_accepted_and_a_milestone_and_grant_show_at_once(
    client_for, office, partner_lippstadt, lippstadt_project
):
    office_client = client_for(office)
    assert "keiner" in _list(office_client, "?q=Smarte")[1]
    report = ProgressReportFactory(project=lippstadt_project, author=partner_lippstadt)
    services.report_accept(actor=office, report=report)
    html = _list(office_client, "?q=Smarte")[1]
    assert report.reporting_date.strftime("%d.%m.%Y") in html
    MilestoneFactory(project=lippstadt_project, due_date=report.reporting_date.replace(year=2000))
    assert "1 überfällig" in _list(office_client, "?q=Smarte")[1]
    FundingDecisionFactory(
        project=lippstadt_project, granted_amount=12345, eligible_costs=15000, own_share=2655
    )
    assert "12.345 €" in _list(office_client, "?q=Smarte")[1]


def test_a_new_office_member_appears_in_the_responsible_filter_at_once(client_for, office):
    client = client_for(office)
    assert "Neumann" not in _list(client)[1]
    UserFactory(last_name="Neumann", role=Role.OFFICE)
    assert "Neumann" in _list(client)[1]


def test_a_login_keeps_the_cached_list(office, partner_soest, lippstadt_project):
    first, second = Client(), Client()
    first.force_login(office)
    _list(first)
    login = {"username": partner_soest.username, "password": TEST_PASSWORD}
    assert second.post(reverse("soest_office:login"), login).status_code == 302
    partner_soest.refresh_from_db()
    assert partner_soest.last_login is not None  # stamped: nothing the list shows
    assert _list(first)[2] == []


def test_a_partner_gets_a_list_of_their_own(
    client, office, partner_lippstadt, partner_soest, lippstadt_project
):
    client.force_login(office)
    assert "meine Kommune" not in _list(client)[1]
    client.force_login(partner_lippstadt)
    _, html, queries = _list(client)
    assert queries  # not the office's entry
    assert re.search(r"Smarte Parkplätze</a>\s*<span[^>]*>meine Kommune", html)
    client.force_login(partner_soest)
    html = _list(client)[1]
    assert "Smarte Parkplätze" in html
    assert "meine Kommune" not in html


def test_the_office_sees_the_create_button_a_partner_does_not(client, office, partner_soest):
    create = reverse("projects:create")
    client.force_login(office)
    assert create in _list(client)[1]
    client.force_login(partner_soest)
    assert create not in _list(client)[1]


@pytest.mark.parametrize("edge", ["no_role_user", "deactivated_user"])
def test_edge_accounts_never_get_a_cached_list(client, office, request, edge, lippstadt_project):
    client.force_login(office)
    _list(client)  # the office's list is cached
    client.force_login(request.getfixturevalue(edge))
    status, html, _ = _list(client)
    assert status in (302, 403)
    assert "Smarte Parkplätze" not in html


def test_partner_without_municipality_gets_no_own_marks(
    client, partner_lippstadt, partner_without_municipality, lippstadt_project
):
    client.force_login(partner_lippstadt)
    assert "meine Kommune" in _list(client)[1]
    client.force_login(partner_without_municipality)
    status, html, queries = _list(client)
    assert status == 200
    assert queries
    assert "Smarte Parkplätze" in html
    assert "meine Kommune" not in html
