"""The public press pages and feeds are kept whole for visitors without a login (issue 20,
soest_office.caching.anonymous_page): the second visit runs no query, a change to a release
shows at once, and nothing personal is ever kept or served from the cache."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.models import PressRelease

from .factories import PressReleaseFactory

pytestmark = pytest.mark.django_db

PAGES = ["news:public_list", "news:feed_rss", "news:feed_atom"]


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured.captured_queries)


@pytest.fixture
def release(db):
    return PressReleaseFactory(published=True, title="Glasfaser für die Börde")


@pytest.mark.parametrize("name", [*PAGES, "news:public_detail"])
def test_the_second_visit_is_the_same_answer_without_queries(client, release, name):
    url = reverse(name, args=[release.slug]) if name == "news:public_detail" else reverse(name)
    first, first_queries = _get(client, url)
    second, second_queries = _get(client, url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("name", PAGES)
def test_a_new_release_and_a_withdrawn_one_show_at_once(client, release, name):
    url = reverse(name)
    assert "Glasfaser für die Börde" in client.get(url).content.decode()
    PressReleaseFactory(published=True, title="Neue Bürger-App")
    assert "Neue Bürger-App" in client.get(url).content.decode()
    release.status = PressRelease.Status.DRAFT
    release.save()
    assert "Glasfaser für die Börde" not in client.get(url).content.decode()


def test_a_withdrawn_release_is_gone_at_once(client, release):
    url = reverse("news:public_detail", args=[release.slug])
    assert client.get(url).status_code == 200
    release.status = PressRelease.Status.DRAFT
    release.save()
    assert client.get(url).status_code == 404


def test_the_query_string_is_part_of_the_key(client, release, index_now):
    PressReleaseFactory(published=True, title="Neue Bürger-App")
    index_now()
    client.get(reverse("news:public_list"))
    page = client.get(reverse("news:public_list") + "?q=Glasfaser").content.decode()
    assert "Glasfaser für die Börde" in page
    assert "Neue Bürger-App" not in page


@pytest.mark.parametrize(
    "user", ["office", "partner_soest", "no_role_user", "partner_without_municipality"]
)
def test_logged_in_users_get_their_own_page_not_the_cached_one(request, release, user):
    anonymous = Client()
    anonymous.get(reverse("news:public_list"))
    client = Client()
    client.force_login(request.getfixturevalue(user))
    response, queries = _get(client, reverse("news:public_list"))
    assert response.status_code == 200
    assert queries > 0
    assert "Abmelden" in response.content.decode()  # their navigation, not the visitor's


def test_a_page_with_a_message_is_neither_kept_nor_served_from_the_cache(rf, release):
    visitor = Client()
    visitor.get(reverse("news:public_list"))  # kept
    # A visitor with a pending message (e.g. after a subscription form) gets it in a fresh
    # page, and that page is not kept for others.
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Bitte bestätigen Sie Ihre Anmeldung.")
    carrier = HttpResponse()
    storage.update(carrier)
    with_message = Client()
    with_message.cookies["messages"] = carrier.cookies["messages"].value
    page, queries = _get(with_message, reverse("news:public_list"))
    assert queries > 0
    assert "Bitte bestätigen Sie Ihre Anmeldung." in page.content.decode()
    other, _ = _get(Client(), reverse("news:public_list"))
    assert "Bitte bestätigen" not in other.content.decode()
