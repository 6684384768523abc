"""What every logged-in request pays (issue 20): the user row in one query, its role and
municipality from the cache of the accounts' generation, the navigation kept per process,
and cached fragments with each request's own CSRF token. Nothing of it may delay a change
of role or a deactivation by even one request."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings.models import ActionItem
from meetings.tests.factories import ActionItemFactory
from soest_office import access
from soest_office.access import Role
from soest_office.backends import ModelBackend

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_request_user_brings_its_role_and_municipality_without_a_query(partner_soest):
    user = ModelBackend().get_user(partner_soest.pk)
    with CaptureQueriesContext(connection) as captured:
        assert access.role_of(user) is Role.PARTNER
        assert user.municipality.slug == "soest"
    assert captured.captured_queries == []


@pytest.mark.parametrize("fixture", ["office", "partner_soest", "steering", "no_role_user"])
def test_the_role_read_with_the_user_is_the_role_of_its_groups(request, fixture):
    user = request.getfixturevalue(fixture)
    loaded = ModelBackend().get_user(user.pk)
    fresh = type(user).objects.get(pk=user.pk)
    assert access.role_of(loaded) is access.role_of(fresh)


def test_a_role_taken_away_counts_from_the_next_request(partner_soest):
    client = _client(partner_soest)
    assert "Keine Rolle zugewiesen" not in client.get("/").content.decode()
    partner_soest.groups.clear()
    page = client.get("/").content.decode()
    assert "Keine Rolle zugewiesen" in page
    assert "projects-matrix" not in page  # no dashboard without a role
    assert client.get("/projekte/").status_code in (403, 404)


def test_a_role_changed_counts_from_the_next_request(partner_soest):
    client = _client(partner_soest)
    assert "Beteiligung</a>" not in client.get("/").content.decode()
    partner_soest.groups.set([Group.objects.get(name=Role.OFFICE.value)])
    assert "Beteiligung</a>" in client.get("/").content.decode()  # the office's menu


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_deactivated_account_is_out_at_the_next_request(office, how):
    client = _client(office)
    assert client.get("/").status_code == 200
    if how == "save":
        office.is_active = False
        office.save()
    else:  # no signal, no cache to clear: the user row is read on every request
        type(office).objects.filter(pk=office.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


def test_each_role_gets_its_own_menu_whoever_came_first(office, partner_soest, steering):
    for _ in range(2):  # the second round reads the kept fragments
        office_page = _client(office).get("/projekte/").content.decode()
        partner_page = _client(partner_soest).get("/projekte/").content.decode()
        steering_page = _client(steering).get("/projekte/").content.decode()
        assert "Beteiligung</a>" in office_page
        assert "Sicherheitsprotokoll" in office_page
        assert "Beteiligung</a>" not in partner_page
        assert "Sicherheitsprotokoll" not in partner_page
        assert "Kontakte</a>" in partner_page
        assert "Kontakte</a>" not in steering_page


def test_the_menu_marks_the_section_of_the_page(office):
    client = _client(office)
    for _ in range(2):
        projects = client.get("/projekte/").content.decode()
        contacts = client.get("/kontakte/").content.decode()
        assert re.search(r'nav-link active"[^>]*href="/projekte/"', projects)
        assert not re.search(r'nav-link active"[^>]*href="/projekte/"', contacts)
        assert 'active" aria-current="page" href="/kontakte/"' in contacts
        assert 'active" aria-current="page" href="/kontakte/"' not in projects


def test_the_search_box_keeps_the_query_only_on_the_search_page(office):
    client = _client(office)
    client.get("/")
    assert 'value="Breitband"' in client.get("/suche/?q=Breitband").content.decode()
    assert 'value="Breitband"' not in client.get("/").content.decode()


def test_kept_action_items_carry_each_browsers_own_csrf_token(partner_soest):
    """The home page's action items are kept rendered; two browsers of the same person
    (two CSRF cookies) each get a token their own cookie accepts."""
    item = ActionItemFactory(owner_user=partner_soest, title="Angebot holen")
    first = _client(partner_soest, enforce_csrf_checks=True)
    second = _client(partner_soest, enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        page = client.get("/").content.decode()
        assert "Angebot holen" in page
        assert "csrf-" not in page  # no placeholder left
        tokens.append(CSRF.findall(page))
    assert tokens[0]
    assert tokens[1]
    url = f"/sitzungen/aufgaben/{item.pk}/status/"
    for client, found in ((second, tokens[1]), (first, tokens[0])):
        response = client.post(
            url, {"csrfmiddlewaretoken": found[0], "status": "in_progress", "next": "/"}
        )
        assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.IN_PROGRESS
