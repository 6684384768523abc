"""Accounts from the intranet (docs/konten.md): the invitation flow over real SMTP, and every
guard of the issue's "Bad input"."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from soest_office.access import Role, role_of
from soest_office.accounts.models import AccountSettings, Invitation, SecondFactorReset
from soest_office.models import AuditEvent
from soest_office.tests.factories import UserFactory, municipality
from subscriptions.tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lippe-Aue-2026-sonnig"
User = get_user_model()


@pytest.fixture
def sink(settings):
    with SmtpSink() as server:
        server.configure(settings)
        yield server


def invite_body(**overrides):
    body = {
        "first_name": "Lena",
        "last_name": "Lührmann",
        "email": "lena.luehrmann@lippstadt.example",
        "username": "lena.luehrmann",
        "role": Role.PARTNER.value,
        "municipality": municipality("lippstadt").pk,
    }
    body.update(overrides)
    return body


def invite(client, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("soest_office:account_invite"), invite_body(**overrides))


def accept_path(sink, message) -> str:
    link = re.search(r"https?://\S+/konto/einladung/\S+/", SmtpSink.text(message)).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_invite_accept_set_password_log_in_over_real_smtp(
    client, office, sink, django_capture_on_commit_callbacks
):
    client.force_login(office)
    response = invite(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    ((rcpts, message),) = sink.wait_for(1)
    assert rcpts == ["lena.luehrmann@lippstadt.example"]
    text = SmtpSink.text(message)
    assert "Benutzername: lena.luehrmann" in text
    assert "72 Stunden" in text
    path = accept_path(sink, message)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.INVITATION_SENT).exists()

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "lena.luehrmann" in page.content.decode()
    # The password rules apply: a short one is refused, nothing is created.
    weak = client.post(path, {"password1": "kurz", "password2": "kurz"})
    assert weak.status_code == 400
    assert not User.objects.filter(username="lena.luehrmann").exists()
    done = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("soest_office:login")

    user = User.objects.get(username="lena.luehrmann")
    assert role_of(user) is Role.PARTNER
    assert user.municipality.slug == "lippstadt"
    login = client.post(
        reverse("soest_office:login"),
        {"username": "lena.luehrmann", "password": NEW_PASSWORD},
    )
    assert login.status_code == 302
    assert client.get(reverse("soest_office:home")).context["user"] == user

    # Reused: the link works once.
    client.logout()
    again = client.get(path)
    assert "bereits angenommen" in again.content.decode()
    client.post(path, {"password1": "x" + NEW_PASSWORD, "password2": "x" + NEW_PASSWORD})
    assert User.objects.get(username="lena.luehrmann").check_password(NEW_PASSWORD)


def test_expired_link_explains_itself(client, office, sink, django_capture_on_commit_callbacks):
    client.force_login(office)
    invite(client, django_capture_on_commit_callbacks)
    path = accept_path(sink, sink.wait_for(1)[0][1])
    client.logout()
    later = timezone.now() + datetime.timedelta(hours=72, minutes=1)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        page = client.get(path)
        client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert "abgelaufen" in page.content.decode()
    assert not User.objects.filter(username="lena.luehrmann").exists()
    # Within 72 hours the link works.
    soon = timezone.now() + datetime.timedelta(hours=71)
    with mock.patch("django.core.signing.time.time", return_value=soon.timestamp()):
        assert "abgelaufen" not in client.get(path).content.decode()


def test_resend_makes_the_older_link_useless(
    client, office, sink, django_capture_on_commit_callbacks
):
    client.force_login(office)
    invite(client, django_capture_on_commit_callbacks)
    first = accept_path(sink, sink.wait_for(1)[0][1])
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("soest_office:invitation_resend", args=[invitation.pk]))
    second = accept_path(sink, sink.wait_for(2)[1][1])
    assert first != second
    client.logout()
    assert "neuer Link" in client.get(first).content.decode()
    assert client.get(second).status_code == 200
    assert "Passwort festlegen" in client.get(second).content.decode()


def test_forged_token_explains_itself_and_changes_nothing(client, office):
    invitation = Invitation.objects.create(
        email="x@example.org", username="x", first_name="X", last_name="Y", role="Projektbüro"
    )
    forged = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt="anderes-salz")
    for token in (forged, "gefaelscht"):
        page = client.get(reverse("soest_office:invitation_accept", args=[token]))
        assert "ungültig" in page.content.decode()
        client.post(
            reverse("soest_office:invitation_accept", args=[token]),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert not User.objects.filter(username="x").exists()


def test_username_is_proposed_from_the_name(client, office):
    UserFactory(username="lena.luehrmann")
    client.force_login(office)
    page = client.post(reverse("soest_office:account_invite"), invite_body(username=""))
    assert page.status_code == 200
    assert 'value="lena.luehrmann2"' in page.content.decode()
    assert not Invitation.objects.exists()


# --- Guards --------------------------------------------------------------------------------


def test_office_is_told_about_an_address_with_an_account(client, office, partner_lippstadt):
    client.force_login(office)
    page = client.post(
        reverse("soest_office:account_invite"), invite_body(email=partner_lippstadt.email.upper())
    )
    assert "bereits das Konto" in page.content.decode()
    assert partner_lippstadt.username in page.content.decode()
    assert not Invitation.objects.exists()


def test_partner_learns_nothing_about_an_existing_address(
    client, partner_lippstadt, partner_soest, sink, django_capture_on_commit_callbacks
):
    AccountSettings.objects.create(pk=1, partners_may_invite=True)
    client.force_login(partner_lippstadt)
    known = invite(client, django_capture_on_commit_callbacks, email=partner_soest.email)
    unknown = invite(client, django_capture_on_commit_callbacks, username="neu.kollegin")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert Invitation.objects.count() == 1  # only the unknown address
    assert [rcpts for rcpts, _ in sink.wait_for(1)] == [["lena.luehrmann@lippstadt.example"]]


def test_partner_invites_only_when_the_office_allows_it(client, partner_lippstadt):
    client.force_login(partner_lippstadt)
    assert client.get(reverse("soest_office:account_invite")).status_code == 404
    assert client.post(reverse("soest_office:account_invite"), invite_body()).status_code == 404
    home = reverse("soest_office:home")
    assert reverse("soest_office:account_invite") not in client.get(home).content.decode()
    AccountSettings.objects.create(pk=1, partners_may_invite=True)
    assert client.get(reverse("soest_office:account_invite")).status_code == 200
    assert reverse("soest_office:account_invite") in client.get(home).content.decode()
    assert "Konten verwalten" not in client.get(home).content.decode()


@pytest.mark.parametrize(
    "overrides",
    [{"municipality": "soest"}, {"role": Role.OFFICE.value}, {"role": Role.STEERING.value}],
)
def test_partner_cannot_invite_into_another_municipality_or_role(
    client, partner_lippstadt, overrides
):
    AccountSettings.objects.create(pk=1, partners_may_invite=True)
    if "municipality" in overrides:
        overrides = {"municipality": municipality(overrides["municipality"]).pk}
    client.force_login(partner_lippstadt)
    page = client.post(reverse("soest_office:account_invite"), invite_body(**overrides))
    assert page.status_code == 403
    assert "eigenen Kommune" in page.content.decode()
    assert not Invitation.objects.exists()


def test_office_switches_the_partner_setting(client, office, partner_soest):
    client.force_login(partner_soest)
    assert client.post(reverse("soest_office:account_settings"), {}).status_code == 404
    client.force_login(office)
    client.post(reverse("soest_office:account_settings"), {"partners_may_invite": "on"})
    assert AccountSettings.current().partners_may_invite
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_SETTINGS).exists()


def test_change_role_and_municipality(client, office, partner_soest):
    client.force_login(office)
    response = client.post(
        reverse("soest_office:account_detail", args=[partner_soest.pk]),
        {"role": Role.PARTNER.value, "municipality": municipality("iserlohn").pk},
    )
    assert response.status_code == 302
    partner_soest.refresh_from_db()
    assert partner_soest.municipality.slug == "iserlohn"
    client.post(
        reverse("soest_office:account_detail", args=[partner_soest.pk]),
        {"role": Role.STEERING.value, "municipality": ""},
    )
    user = User.objects.get(pk=partner_soest.pk)
    assert role_of(user) is Role.STEERING
    assert user.municipality is None
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {AuditEvent.Kind.ROLE_CHANGE, AuditEvent.Kind.MUNICIPALITY_CHANGE} <= kinds


def test_nobody_changes_the_own_role(client, office, office2):
    client.force_login(office)
    page = client.post(
        reverse("soest_office:account_detail", args=[office.pk]),
        {"role": Role.STEERING.value, "municipality": ""},
    )
    assert page.status_code == 400
    assert "anderes Mitglied des Projektbüros" in page.content.decode()
    assert role_of(User.objects.get(pk=office.pk)) is Role.OFFICE


def test_last_office_member_is_not_deactivated(client, office):
    other = UserFactory(role=Role.OFFICE)
    client.force_login(office)
    client.post(reverse("soest_office:account_deactivate", args=[other.pk]))
    other.refresh_from_db()
    assert not other.is_active
    # `office` is now the last active office member: not even an administrator removes it,
    # neither by deactivating nor by a role change.
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("soest_office:account_deactivate", args=[office.pk]), follow=True
    )
    assert "letzte aktive Konto des Projektbüros" in response.content.decode()
    page = client.post(
        reverse("soest_office:account_detail", args=[office.pk]),
        {"role": Role.STEERING.value, "municipality": ""},
    )
    assert "mindestens ein aktives Mitglied" in page.content.decode()
    office.refresh_from_db()
    assert office.is_active
    assert role_of(User.objects.get(pk=office.pk)) is Role.OFFICE


def test_nobody_deactivates_the_own_account(client, office, office2):
    client.force_login(office)
    response = client.post(
        reverse("soest_office:account_deactivate", args=[office.pk]), follow=True
    )
    assert "anderes Mitglied des Projektbüros" in response.content.decode()
    office.refresh_from_db()
    assert office.is_active


def test_deactivation_ends_sessions_at_once_and_lists_the_handover(
    client, office, partner_soest, client_for
):
    from django.test import Client

    from projects.tests.factories import ProjectFactory

    ProjectFactory(responsible=partner_soest)
    theirs = Client()
    theirs.force_login(partner_soest)
    assert theirs.get(reverse("soest_office:home")).status_code == 200
    client.force_login(office)
    page = client.get(reverse("soest_office:account_detail", args=[partner_soest.pk]))
    assert "Einzelprojekte" in page.content.decode()  # owned items for the handover
    client.post(reverse("soest_office:account_deactivate", args=[partner_soest.pk]))
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(partner_soest.pk) not in sessions
    assert theirs.get(reverse("soest_office:home")).status_code == 302
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCOUNT_DEACTIVATED, target=partner_soest.username
    ).exists()


def test_second_factor_reset_needs_a_second_office_member(client, office, office2, steering):
    TOTPDevice.objects.create(user=steering, name="Handy", confirmed=True)
    path = reverse("soest_office:account_second_factor_reset", args=[steering.pk])
    client.force_login(office)
    client.post(path, {"step": "request"})
    assert SecondFactorReset.objects.filter(user=steering, confirmed_at=None).exists()
    page = client.post(path, {"step": "confirm"}, follow=True)
    assert "zweites Mitglied" in page.content.decode()
    assert TOTPDevice.objects.filter(user=steering).exists()
    client.force_login(office2)
    client.post(path, {"step": "confirm"})
    assert not TOTPDevice.objects.filter(user=steering).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_DISABLED).exists()


def test_account_list_shows_last_login_and_never_a_password(client, office, partner_soest):
    partner_soest.last_login = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
    partner_soest.save()
    client.force_login(office)
    page = client.get(reverse("soest_office:account_list")).content.decode()
    assert "02.03.2026 09:30" in page
    assert "pbkdf2" not in page
    assert "argon2" not in page
    assert 'type="password"' not in page


def count_queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_account_list_query_count_does_not_grow(client, office):
    client.force_login(office)
    path = reverse("soest_office:account_list")
    client.get(path)  # warm-up: session, inbox count of the navigation
    for i in range(3):
        UserFactory(role=Role.PARTNER, municipality=municipality("soest"))
        Invitation.objects.create(
            email=f"a{i}@example.org",
            username=f"a{i}",
            first_name="A",
            last_name="B",
            role="Kommune",
        )
    small = count_queries(client, path)
    for i in range(12):
        UserFactory(role=Role.STEERING)
        Invitation.objects.create(
            email=f"b{i}@example.org",
            username=f"b{i}",
            first_name="A",
            last_name="B",
            role="Kommune",
        )
    assert count_queries(client, path) == small
