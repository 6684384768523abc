import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from soest_office.models import AuditEvent
from soest_office.tests.factories import TEST_PASSWORD


def code_for(device):
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


@pytest.fixture
def office_with_device(office):
    return TOTPDevice.objects.create(user=office, name="App", confirmed=True)


def password_step(client, next_url=""):
    url = "/konto/anmelden/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": "buero", "password": TEST_PASSWORD})


def test_office_enrols_with_qr_code_and_confirming_code(client_for, office):
    client = client_for(office)
    page = client.get("/konto/zwei-faktor/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert re.search(r"<code class=\"otp-secret\">[A-Z2-7 ]+</code>", page)
    assert "<script>" not in page
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    response = client.post(
        "/konto/zwei-faktor/", {"action": "enable", "otp_token": code_for(device)}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_ENABLED, actor=office).exists()
    assert "eingeschaltet" in client.get("/konto/zwei-faktor/").content.decode()


def test_wrong_code_at_enrolment_keeps_it_off_with_german_error(client_for, office):
    client = client_for(office)
    client.get("/konto/zwei-faktor/")
    response = client.post("/konto/zwei-faktor/", {"action": "enable", "otp_token": "000000"})
    assert response.status_code == 200
    assert "Der Code ist falsch oder abgelaufen." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=office, confirmed=True).exists()


def test_a_code_of_non_ascii_digits_is_refused_in_german(client_for, office):
    client = client_for(office)
    client.get("/konto/zwei-faktor/")
    response = client.post("/konto/zwei-faktor/", {"action": "enable", "otp_token": "²⁰²⁶²⁰"})
    assert response.status_code == 200
    assert "Der Code besteht nur aus Ziffern." in response.content.decode()


def test_user_with_device_must_enter_the_code_before_any_intranet_page(
    client, office_with_device, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # retry at once after the wrong code
    response = password_step(client, next_url="/protokoll/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/code/"
    # Not logged in yet: the intranet still sends to the login.
    assert client.get("/").status_code == 302
    assert client.get("/protokoll/")["Location"].startswith("/konto/anmelden/")
    wrong = client.post("/konto/anmelden/code/", {"otp_token": "123456"})
    assert "Der Code ist falsch oder abgelaufen." in wrong.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_FAILED).count() == 1
    ok = client.post("/konto/anmelden/code/", {"otp_token": code_for(office_with_device)})
    assert ok.status_code == 302
    assert ok["Location"] == "/protokoll/"
    assert client.get("/protokoll/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).count() == 1


def test_code_step_without_password_step_goes_back_to_login(client, office_with_device):
    response = client.post("/konto/anmelden/code/", {"otp_token": code_for(office_with_device)})
    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/"
    assert client.get("/").status_code == 302


def test_pending_login_expires(client, office_with_device, settings):
    settings.OTP_PENDING_LOGIN_SECONDS = -1
    password_step(client)
    response = client.post("/konto/anmelden/code/", {"otp_token": code_for(office_with_device)})
    assert response["Location"] == "/konto/anmelden/"


def test_code_step_does_not_follow_foreign_next(client, office_with_device):
    password_step(client, next_url="https://evil.example/")
    ok = client.post("/konto/anmelden/code/", {"otp_token": code_for(office_with_device)})
    assert ok["Location"] == "/"


def test_repeated_wrong_codes_are_throttled(client, office_with_device):
    password_step(client)
    for _ in range(3):
        client.post("/konto/anmelden/code/", {"otp_token": "000000"})
    # Even the right code is refused while the device's throttle is active.
    response = client.post("/konto/anmelden/code/", {"otp_token": code_for(office_with_device)})
    assert "Zu viele falsche Codes" in response.content.decode()
    assert client.get("/").status_code == 302


def test_user_without_device_logs_in_with_password_only(client, office):
    assert password_step(client)["Location"] == "/"
    assert client.get("/").status_code == 200


def test_disable_needs_a_current_code(client, office_with_device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # retry at once after the wrong code
    client.force_login(office_with_device.user)
    wrong = client.post("/konto/zwei-faktor/", {"action": "disable", "otp_token": "000000"})
    assert wrong.status_code == 200
    assert TOTPDevice.objects.filter(pk=office_with_device.pk).exists()
    right = client.post(
        "/konto/zwei-faktor/", {"action": "disable", "otp_token": code_for(office_with_device)}
    )
    assert right.status_code == 302
    assert not TOTPDevice.objects.filter(user=office_with_device.user).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_DISABLED).exists()


def test_unknown_action_is_a_400(client_for, office):
    assert client_for(office).post("/konto/zwei-faktor/", {"action": "x"}).status_code == 400


@pytest.mark.parametrize("role", ["partner_soest", "steering", "no_role_user"])
def test_two_factor_page_is_404_outside_the_office(role, request, db, client_for):
    client = client_for(request.getfixturevalue(role))
    assert client.get("/konto/zwei-faktor/").status_code == 404
    assert client.post("/konto/zwei-faktor/", {"action": "enable"}).status_code == 404


def test_admin_login_cannot_skip_the_second_factor(db, office_with_device):
    office = office_with_device.user
    office.is_staff = True
    office.save()
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "buero", "password": TEST_PASSWORD}
    )
    assert response.status_code == 405  # a redirect view: no password is checked there
    assert client.get("/admin/").status_code == 302
