import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from soest_office.tests.factories import TEST_PASSWORD

LOGIN_URL = "/konto/anmelden/"


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("path", ["/", "/admin/", "/konto/passwort/"])
def test_anonymous_is_sent_to_the_login_with_next(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/") or path == "/admin/"
    if path != "/admin/":
        assert response["Location"] == f"/konto/anmelden/?next={path}"


def test_login_page_is_german(client, db):
    response = client.get(LOGIN_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in content
    assert "Benutzername" in content
    assert "Passwort vergessen?" in content


def test_correct_login_lands_on_home(client, office):
    response = post_login(client, "buero", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert "Projektbüro" in home.content.decode()


def test_login_follows_next_only_to_our_own_site(client, office):
    response = client.post(
        f"{LOGIN_URL}?next=https://evil.example/",
        {"username": "buero", "password": TEST_PASSWORD},
    )
    assert response["Location"] == "/"


def test_wrong_password_and_unknown_user_get_the_same_german_message(client, office):
    wrong_password = post_login(client, "buero", "falsch").content.decode()
    unknown_user = post_login(client, "niemand", "falsch").content.decode()
    message = "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist falsch."
    assert message in wrong_password
    assert message in unknown_user


def test_lockout_after_five_failures_is_per_username_and_ip(client, office, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "buero", "falsch", ip="10.0.0.66")
    locked = post_login(client, "buero", TEST_PASSWORD, ip="10.0.0.66")
    assert locked.status_code == 429
    assert "vorübergehend gesperrt" in locked.content.decode()
    # The colleague at another address is not locked out by the attacker.
    elsewhere = post_login(Client(), "buero", TEST_PASSWORD, ip="10.0.0.7")
    assert elsewhere.status_code == 302


def test_logout_needs_post(client_for, office):
    client = client_for(office)
    assert client.get("/konto/abmelden/").status_code == 405
    assert client.post("/konto/abmelden/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_mails_a_working_link(client, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/passwort-vergessen/", {"email": office.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [office.email]
    link = re.search(r"http://\S+", message.body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Neues-Passwort-2026", "new_password2": "Neues-Passwort-2026"}
    )
    assert done.status_code == 302
    office.refresh_from_db()
    assert office.check_password("Neues-Passwort-2026")


def test_password_reset_does_not_reveal_unknown_addresses(
    client, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/konto/passwort-vergessen/", {"email": office.email})
        unknown = client.post("/konto/passwort-vergessen/", {"email": "wer@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_password_change_logs_out_other_sessions(client_for, office):
    other_device = Client()
    other_device.force_login(office)
    client = client_for(office)
    response = client.post(
        reverse("soest_office:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Ganz-neues-Passwort-1",
            "new_password2": "Ganz-neues-Passwort-1",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_every_request_renews_the_session_for_eight_idle_hours(client_for, office):
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.utils import timezone

    client = client_for(office)
    response = client.get("/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 8 * 3600
    assert cookie["httponly"] is True
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie.value)
    remaining = store.get_expiry_date() - timezone.now()
    assert timedelta(hours=7, minutes=59) < remaining <= timedelta(hours=8)
