"""Contact page with a long history (issue 6): the latest 20 entries, and the whole history
on its own keyset-paginated page."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from soest_office.tests.factories import municipality
from stakeholders.models import Interaction, Involvement

from .factories import ContactFactory, InteractionFactory, LegalBasisFactory, make_project

pytestmark = pytest.mark.django_db


def _history(contact, n, project=None):
    base = timezone.now() - dt.timedelta(days=1000)
    Interaction.objects.bulk_create(
        [
            Interaction(
                contact=contact,
                occurred_at=base + dt.timedelta(days=i // 2),  # pairs share a date
                channel=Interaction.Channel.PHONE,
                summary=f"Gespräch Nummer {i:03d}",
                project=project,
            )
            for i in range(n)
        ]
    )


def _entries(response):
    return re.findall(r"Gespräch Nummer (\d{3})", response.content.decode())


def _history_url(contact):
    return reverse("stakeholders:interaction_list", args=[contact.pk])


def test_contact_page_shows_the_latest_20_and_links_the_whole_history(client_for, office):
    contact = ContactFactory()
    _history(contact, 45)
    response = client_for(office).get(contact.get_absolute_url())
    latest = Interaction.objects.filter(contact=contact).order_by("-occurred_at", "-pk")[:20]
    assert _entries(response) == [i.summary[-3:] for i in latest]
    assert _history_url(contact) in response.content.decode()


def test_short_history_has_no_link(client_for, office):
    contact = ContactFactory()
    _history(contact, 20)
    response = client_for(office).get(contact.get_absolute_url())
    assert len(_entries(response)) == 20
    assert f'href="{_history_url(contact)}"' not in response.content.decode()


def test_history_pages_walk_every_entry_once_newest_first(client_for, office):
    contact = ContactFactory()
    _history(contact, 123)
    InteractionFactory(summary="Fremder Eintrag")  # another contact's history
    client = client_for(office)
    seen, url = [], _history_url(contact)
    while url:
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        seen += _entries(response)
        assert "Fremder Eintrag" not in text
        match = re.search(r'rel="next" href="([^"]+)"', text)
        url = match and _history_url(contact) + match.group(1).replace("&amp;", "&")
    expected = [
        s[-3:]
        for s in Interaction.objects.filter(contact=contact)
        .order_by("-occurred_at", "-pk")
        .values_list("summary", flat=True)
    ]
    assert seen == expected
    assert len(seen) == 123
    assert "123 Einträge" in client.get(_history_url(contact)).content.decode()


def test_history_page_follows_the_contact_rules(
    client, office, partner_soest, partner_lippstadt, steering
):
    contact = ContactFactory(municipality=municipality("soest"))
    _history(contact, 3)
    url = _history_url(contact)
    assert client.get(url).status_code == 302  # anonymous: to the login
    for user, status in [
        (office, 200),
        (partner_soest, 200),
        (partner_lippstadt, 404),
        (steering, 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(office)
    assert client.post(url).status_code == 405
    assert client.get(reverse("stakeholders:interaction_list", args=[999_999])).status_code == 404


def _queries(client, url):
    # The pages as rendered, not as kept in the cache (the contact page keeps its content).
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured), len(response.content)


def _grow(contact, n, offset):
    for i in range(n):
        project = make_project(slug=f"p{offset + i}", title=f"Projekt {offset + i}")
        Involvement.objects.create(project=project, contact=contact, role="partner")
        LegalBasisFactory(contact=contact)
    _history(contact, n * 20, project=project)


def test_detail_and_history_queries_and_size_do_not_grow(
    client_for, office, django_assert_max_num_queries
):
    contact = ContactFactory()
    client = client_for(office)
    _grow(contact, 3, 0)
    client.get(contact.get_absolute_url())  # warm the session
    history_page2 = _history_url(contact) + re.search(
        r'rel="next" href="([^"]+)"', client.get(_history_url(contact)).content.decode()
    ).group(1).replace("&amp;", "&")
    small = {
        "detail": _queries(client, contact.get_absolute_url())[0],
        "history": _queries(client, _history_url(contact))[0],
        "history_page2": _queries(client, history_page2)[0],
    }
    _grow(contact, 10, 100)
    large = {
        "detail": _queries(client, contact.get_absolute_url())[0],
        "history": _queries(client, _history_url(contact))[0],
        "history_page2": _queries(client, history_page2)[0],
    }
    assert small == large
    with django_assert_max_num_queries(15):
        client.get(contact.get_absolute_url())
    with django_assert_max_num_queries(12):
        client.get(_history_url(contact))


def test_project_field_of_the_detail_forms_is_a_text_field_with_suggestions(client_for, office):
    contact = ContactFactory()
    for i in range(60):
        make_project(slug=f"p{i}", title=f"Projekt {i}")
    text = client_for(office).get(contact.get_absolute_url()).content.decode()
    assert text.count("<datalist") == 1  # one list of suggestions for both forms
    assert text.count('list="vorschlaege-projekte"') == 2
    assert text.count('<option value="Projekt ') == 30


def test_interaction_and_involvement_name_their_project(client_for, office):
    contact = ContactFactory()
    project = make_project(slug="breitband", title="Breitband Soest")
    client = client_for(office)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("stakeholders:interaction_create", args=[contact.pk]),
        {"occurred_at": now, "channel": "phone", "summary": "Anruf", "project": "Breitband"},
    )
    assert response.status_code == 302
    assert Interaction.objects.get(contact=contact).project == project
    response = client.post(
        reverse("stakeholders:involvement_create", args=[contact.pk]),
        {"project": "breitband", "role": "partner"},
    )
    assert response.status_code == 302
    assert contact.involvements.get().project == project
    response = client.post(
        reverse("stakeholders:involvement_create", args=[contact.pk]),
        {"project": "Seilbahn", "role": "funder"},
    )
    assert response.status_code == 400
    assert "Kein Projekt passt zu »Seilbahn«" in response.content.decode()
