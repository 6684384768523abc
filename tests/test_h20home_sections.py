"""The home page is kept whole per reader in the generations of every app, and the
request's user its role and municipality in the accounts' generation (issue 20). A write
in any app shows at once for whoever may see it and never for anyone else; nothing of
the kept HTML reaches another account, and no change of account waits for a timeout."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.tests.factories import ActionItemFactory
from news.models import PressRelease
from news.tests.factories import PressReleaseFactory
from soest_office import access, caching
from soest_office.access import Role
from soest_office.backends import GENERATION, ModelBackend
from soest_office.tests.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db

HOME = reverse("soest_office:home")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _home(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_an_action_item_shows_at_once_for_its_municipality_only(
    partner_soest, partner_lippstadt, partner_without_municipality
):
    clients = {
        user: _client(user)
        for user in (partner_soest, partner_lippstadt, partner_without_municipality)
    }
    for client in clients.values():
        assert "Glasfaser ausschreiben" not in _home(client)  # kept now
    ActionItemFactory(owner_municipality=municipality("soest"), title="Glasfaser ausschreiben")
    assert "Glasfaser ausschreiben" in _home(clients[partner_soest])
    assert "Glasfaser ausschreiben" not in _home(clients[partner_lippstadt])
    assert "Glasfaser ausschreiben" not in _home(clients[partner_without_municipality])


def test_a_personal_action_item_stays_with_its_owner(partner_soest):
    colleague = UserFactory(
        username="soest2", role=Role.PARTNER, municipality=municipality("soest")
    )
    ActionItemFactory(owner_user=partner_soest, title="Angebot einholen")
    # Same role and municipality: only the account tells the two apart.
    assert "Angebot einholen" in _home(_client(partner_soest))
    assert "Angebot einholen" not in _home(_client(colleague))
    assert "Angebot einholen" in _home(_client(partner_soest))


def test_a_submitted_press_release_counts_at_once_for_the_office(office, partner_soest):
    client = _client(office)
    assert "0 Meldung(en) warten auf Freigabe" in _home(client)
    PressReleaseFactory(author=partner_soest, status=PressRelease.Status.SUBMITTED)
    assert "1 Meldung(en) warten auf Freigabe" in _home(client)


def test_the_sections_follow_a_role_change_at_once(partner_soest):
    client = _client(partner_soest)
    assert "Konten verwalten" not in _home(client)
    partner_soest.groups.set([Group.objects.get(name=Role.OFFICE.value)])
    assert "Konten verwalten" in _home(client)
    partner_soest.groups.clear()
    page = _home(client)
    assert "Konten verwalten" not in page
    assert "Keine Rolle zugewiesen" in page


@pytest.mark.parametrize("fixture", ["no_role_user", "partner_without_municipality"])
def test_edge_accounts_never_read_the_office_sections(request, office, fixture):
    assert "Konten verwalten" in _home(_client(office))  # kept for the office
    page = _home(_client(request.getfixturevalue(fixture)))
    assert "Konten verwalten" not in page
    assert "projects-matrix" not in page or fixture == "partner_without_municipality"


def test_a_deactivated_account_gets_no_sections(deactivated_user):
    response = _client(deactivated_user).get(HOME)
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


def test_kept_sections_carry_each_browsers_own_csrf_token(partner_soest):
    """The action items' status forms sit in a kept panel inside the kept sections: the
    token stays a placeholder in both, and each browser's form posts with its own cookie."""
    item = ActionItemFactory(owner_user=partner_soest, title="Bericht nachreichen")
    url = reverse("meetings:action_status", args=[item.pk])
    form = re.compile(
        rf'action="{re.escape(url)}"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" '
        r'value="([^"]+)"'
    )
    browsers = []
    for _ in range(2):  # the second browser reads the sections the first one left kept
        client = Client(enforce_csrf_checks=True)
        client.force_login(partner_soest)
        page = _home(client)
        assert caching.fragment_context()["csrf_token"] not in page
        browsers.append((client, form.search(page).group(1)))
    for (client, token), status in zip(reversed(browsers), ("in_progress", "open"), strict=True):
        response = client.post(url, {"csrfmiddlewaretoken": token, "status": status, "next": "/"})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == status


def test_a_login_starts_no_new_accounts_generation(office):
    before = caching.generation(GENERATION)
    _client(office)  # stamps last_login
    assert caching.generation(GENERATION) == before
    office.first_name = "Gerda"
    office.save()
    assert caching.generation(GENERATION) != before


def test_the_role_and_municipality_are_read_once_per_generation(partner_soest):
    backend = ModelBackend()
    with CaptureQueriesContext(connection) as first:
        user = backend.get_user(partner_soest.pk)
        assert user.municipality.slug == "soest"
        assert access.role_of(user) is Role.PARTNER
    # One query: the row with its role (an EXISTS per role group) and municipality (joined).
    [(sql)] = [q["sql"] for q in first.captured_queries]
    assert "auth_group" in sql
    assert "soest_office_municipality" in sql
    with CaptureQueriesContext(connection) as second:
        again = backend.get_user(partner_soest.pk)
        assert again.municipality.slug == "soest"
        assert access.role_of(again) is Role.PARTNER
    # The row alone, kept role and municipality: a deactivation still counts at once.
    [(sql)] = [q["sql"] for q in second.captured_queries]
    assert "auth_group" not in sql
    assert "soest_office_municipality" not in sql


def test_a_municipality_changed_without_a_signal_is_never_paired_with_the_old_one(
    partner_soest,
):
    backend = ModelBackend()
    assert backend.get_user(partner_soest.pk).municipality.slug == "soest"
    type(partner_soest).objects.filter(pk=partner_soest.pk).update(
        municipality=municipality("lippstadt")
    )
    assert backend.get_user(partner_soest.pk).municipality.slug == "lippstadt"


def test_the_greeting_and_the_staff_section_follow_the_account_at_once(office):
    client = _client(office)
    page = _home(client)
    assert "Guten Tag, Hannelore Kurz" not in page
    assert "Benutzer, Rollen und Stammdaten verwalten" not in page
    office.first_name, office.last_name, office.is_staff = "Hannelore", "Kurz", True
    office.save()
    page = _home(client)
    assert "Guten Tag, Hannelore Kurz" in page
    assert "Benutzer, Rollen und Stammdaten verwalten" in page


def test_a_message_shows_once_and_never_enters_the_kept_page(office):
    """The whole page is kept per reader; a request with a message to show (after a form
    that redirects home) is made afresh, so the message shows once and is never kept."""
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    client = _client(office)
    _home(client)  # kept now
    storage = CookieStorage(RequestFactory().get(HOME))
    storage.add(messages.SUCCESS, "Die Einladung ist unterwegs.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    assert "Die Einladung ist unterwegs." in _home(client)
    assert "Die Einladung ist unterwegs." not in _home(client)
    assert "Die Einladung ist unterwegs." not in _home(_client(office))
