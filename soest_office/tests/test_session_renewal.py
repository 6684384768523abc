"""The sliding idle timeout, renewed at most every SESSION_RENEW_SECONDS (issue 20): a page
view within that time writes nothing to the session; a later one renews the expiry and the
cookie."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from soest_office.middleware import SESSION_RENEWED_KEY

pytestmark = pytest.mark.django_db


def _stored_expiry(session_key):
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    return store.get_expiry_date()


def _session_writes(client, path="/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    writes = [
        q for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]
    return response, len(writes)


def test_a_page_view_within_the_renewal_time_writes_no_session(client, office, settings):
    settings.SESSION_RENEW_SECONDS = 60
    client.force_login(office)
    first, writes = _session_writes(client)
    assert writes == 1  # the first request after the login stamps the renewal
    assert first.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    second, writes = _session_writes(client)
    assert writes == 0
    assert django_settings.SESSION_COOKIE_NAME not in second.cookies  # the cookie stays


def test_a_page_view_after_the_renewal_time_renews_expiry_and_cookie(client, office, settings):
    settings.SESSION_RENEW_SECONDS = 60
    client.force_login(office)
    client.get("/")
    session_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    # The last renewal was two minutes ago.
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    store[SESSION_RENEWED_KEY] -= 120
    store.save()
    response, writes = _session_writes(client)
    assert writes == 1
    assert response.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    remaining = _stored_expiry(session_key) - timezone.now()
    assert timedelta(hours=7, minutes=59) < remaining <= timedelta(hours=8)


def test_a_session_that_ran_out_is_not_renewed(client, office, settings):
    settings.SESSION_RENEW_SECONDS = 60
    client.force_login(office)
    client.get("/")
    session_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    store.set_expiry(timezone.now() - timedelta(seconds=1))
    store.save()
    response = client.get("/")
    assert response.status_code == 302  # to the login: idle too long
    assert "/konto/anmelden/" in response["Location"]


def test_anonymous_pages_get_no_session(client, settings):
    settings.SESSION_RENEW_SECONDS = 60
    response = client.get("/presse/")
    assert response.status_code == 200
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies
