"""The home page's open action items are cached per user (issue 20) and read again after any
write to the meetings app or the projects: a change shows at once, and nobody gets another
user's items."""

import pytest
from django.test import Client

from meetings.models import ActionItem
from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory

pytestmark = pytest.mark.django_db


def _home(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_new_item_and_a_closed_one_show_at_once(partner_soest):
    client = _home(partner_soest)
    assert "Kommunale Aufgabe" not in client.get("/").content.decode()
    item = ActionItemFactory(owner_municipality=municipality("soest"), title="Kommunale Aufgabe")
    assert "Kommunale Aufgabe" in client.get("/").content.decode()
    item.status = ActionItem.Status.DONE
    item.save()
    assert "Kommunale Aufgabe" not in client.get("/").content.decode()


def test_a_renamed_project_shows_at_once(partner_soest):
    project = ProjectFactory(title="Smarte Parkplätze")
    ActionItemFactory(owner_user=partner_soest, project=project, title="Angebot holen")
    client = _home(partner_soest)
    assert "Smarte Parkplätze" in client.get("/").content.decode()
    project.title = "Smarte Parkhäuser"
    project.save()
    assert "Smarte Parkhäuser" in client.get("/").content.decode()


def test_each_user_gets_their_own_items(partner_soest, partner_lippstadt, office):
    ActionItemFactory(owner_user=partner_soest, title="Persönliche Aufgabe")
    ActionItemFactory(owner_municipality=municipality("lippstadt"), title="Lippstädter Aufgabe")
    assert "Persönliche Aufgabe" in _home(partner_soest).get("/").content.decode()
    lippstadt = _home(partner_lippstadt).get("/").content.decode()
    assert "Lippstädter Aufgabe" in lippstadt
    assert "Persönliche Aufgabe" not in lippstadt
    office_page = _home(office).get("/").content.decode()
    assert "Persönliche Aufgabe" not in office_page
    assert "Lippstädter Aufgabe" not in office_page


@pytest.mark.parametrize("edge", ["no_role_user", "partner_without_municipality"])
def test_edge_accounts_get_no_municipality_items(request, partner_soest, edge):
    ActionItemFactory(owner_municipality=municipality("soest"), title="Kommunale Aufgabe")
    assert "Kommunale Aufgabe" in _home(partner_soest).get("/").content.decode()
    page = _home(request.getfixturevalue(edge)).get("/").content.decode()
    assert "Kommunale Aufgabe" not in page


def test_a_deactivated_user_gets_no_home_page(partner_soest, deactivated_user):
    ActionItemFactory(owner_user=deactivated_user, title="Alte Aufgabe")
    client = Client()
    client.force_login(deactivated_user)
    response = client.get("/")
    assert "Alte Aufgabe" not in response.content.decode()
