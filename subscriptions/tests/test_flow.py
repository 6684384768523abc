"""The double opt-in flow, its tokens, no enumeration, rate limits and bad input."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import Contact, LegalBasisRecord
from subscriptions import services
from subscriptions.models import Frequency, Subscription, SubscriptionRequest

from .factories import ContactFactory, SectionFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db
URL = "/presse/abo/"


def form_data(**overrides):
    data = {
        "email": "neu@example.org",
        "name": "Nora Neumann",
        "frequency": Frequency.IMMEDIATE,
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def submit(client, capture, **overrides):
    data = form_data(**overrides)
    if "started" not in data:
        from subscriptions.forms import SubscribeForm

        data["started"] = SubscribeForm().initial["started"]
    with capture(execute=True):
        return client.post(URL, data, follow=True)


def test_subscribe_page_is_public_and_shows_versioned_consent_linking_datenschutz(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Einwilligung (Version 1)" in html
    assert 'href="/datenschutz/"' in html


def test_double_opt_in_creates_subscription_only_on_confirmation(
    client, django_capture_on_commit_callbacks, link_in
):
    bildung = SectionFactory(name="Bildung", slug="bildung")
    response = submit(
        client, django_capture_on_commit_callbacks, sections=[bildung.pk], email="Nora@Example.org"
    )
    assert response.status_code == 200
    assert "bitte bestätigen Sie" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not Contact.objects.exists()
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0], "/presse/abo/bestaetigen/")

    # Opening the link (mail scanners do) confirms nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "Ja, Abonnement bestätigen" in page.content.decode()
    assert not Subscription.objects.exists()

    done = client.post(link)
    assert done.status_code == 200
    assert "Ihr Abonnement ist bestätigt" in done.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "Nora@example.org"
    assert list(subscription.sections.all()) == [bildung]
    assert subscription.source == "Web-Formular"
    assert subscription.consent_text.version == "1"
    assert subscription.requested_at <= subscription.confirmed_at
    contact = subscription.contact
    assert (contact.first_name, contact.last_name) == ("Nora", "Neumann")
    assert contact.category == "subscriber"
    record = contact.legal_basis_records.get(purpose="newsletter")
    assert record.status == LegalBasisRecord.Status.CONSENT
    assert record.method == LegalBasisRecord.Method.FORM
    assert "Web-Formular" in record.source
    assert "Version 1" in record.source
    assert "angefordert" in record.source
    assert "bestätigt" in record.source
    assert contact.tags.filter(name="Abonnent").exists()


def test_existing_contact_only_gets_the_consent_added(
    client, django_capture_on_commit_callbacks, link_in
):
    contact = ContactFactory(
        first_name="Jörg", last_name="Journalist", email="joerg@zeitung.de", function="Redakteur"
    )
    submit(client, django_capture_on_commit_callbacks, email="JOERG@zeitung.de", name="Anders")
    client.post(link_in(mail.outbox[0], "/presse/abo/bestaetigen/"))
    contact.refresh_from_db()
    assert Contact.objects.count() == 1
    assert (contact.first_name, contact.last_name, contact.function) == (
        "Jörg",
        "Journalist",
        "Redakteur",
    )
    assert contact.subscription.status == Subscription.Status.ACTIVE
    assert contact.legal_basis_records.filter(purpose="newsletter", status="consent").count() == 1
    assert not contact.tags.exists()


def test_answers_are_identical_for_new_pending_and_subscribed_addresses(
    client, django_capture_on_commit_callbacks, link_in
):
    SubscriptionFactory(contact=ContactFactory(email="dabei@example.org"))
    answers = []
    for email in ("frisch@example.org", "frisch@example.org", "dabei@example.org"):
        response = submit(client, django_capture_on_commit_callbacks, email=email)
        answers.append((response.status_code, response.redirect_chain, response.content))
    assert answers[0] == answers[1] == answers[2]
    assert [m.to for m in mail.outbox] == [
        ["frisch@example.org"],
        ["frisch@example.org"],
        ["dabei@example.org"],
    ]
    manage_mail = mail.outbox[2]
    assert "bereits abonniert" in manage_mail.body
    assert link_in(manage_mail, "/presse/abo/verwalten/")
    assert manage_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Subscription.objects.count() == 1


def confirm_link(client, capture, link_in, **overrides):
    submit(client, capture, **overrides)
    return link_in(mail.outbox[-1], "/presse/abo/bestaetigen/")


def test_expired_link_is_refused_and_changes_nothing(
    client, django_capture_on_commit_callbacks, link_in
):
    link = confirm_link(client, django_capture_on_commit_callbacks, link_in)
    later = time.time() + 48 * 3600 + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(link)
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert not Subscription.objects.exists()


def test_link_within_48_hours_still_works(client, django_capture_on_commit_callbacks, link_in):
    link = confirm_link(client, django_capture_on_commit_callbacks, link_in)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 47 * 3600):
        assert client.post(link).status_code == 200
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-3] + "abc", lambda t: t[:10], lambda t: "x" + t, lambda t: "0"]
)
def test_tampered_link_is_refused(client, django_capture_on_commit_callbacks, link_in, tamper):
    link = confirm_link(client, django_capture_on_commit_callbacks, link_in)
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("subscriptions:confirm", kwargs={"token": tamper(token)}))
    assert response.status_code == 400
    assert "ungültig" in response.content.decode()
    assert not Subscription.objects.exists()


def test_second_click_changes_nothing(client, django_capture_on_commit_callbacks, link_in):
    link = confirm_link(client, django_capture_on_commit_callbacks, link_in)
    client.post(link)
    subscription = Subscription.objects.get()
    records = LegalBasisRecord.objects.count()
    again = client.post(link)
    assert again.status_code == 200
    assert "bereits verwendet" in again.content.decode()
    assert LegalBasisRecord.objects.count() == records
    assert Subscription.objects.get().confirmed_at == subscription.confirmed_at


def test_link_of_a_deleted_request_is_invalid(client, django_capture_on_commit_callbacks, link_in):
    link = confirm_link(client, django_capture_on_commit_callbacks, link_in)
    SubscriptionRequest.objects.all().delete()
    assert client.post(link).status_code == 400


def test_per_address_limit_stops_mail_bombing_silently(client, django_capture_on_commit_callbacks):
    answers = {
        submit(client, django_capture_on_commit_callbacks, email="opfer@example.org").content
        for _ in range(5)
    }
    assert len(answers) == 1
    assert len(mail.outbox) == 3  # SUBSCRIPTIONS_MAILS_PER_ADDRESS


def test_per_ip_limit_answers_429(client, django_capture_on_commit_callbacks, settings):
    settings.SUBSCRIPTIONS_RATE_PER_IP = 2
    for i in range(2):
        submit(client, django_capture_on_commit_callbacks, email=f"a{i}@example.org")
    response = submit(client, django_capture_on_commit_callbacks, email="a9@example.org")
    assert response.status_code == 429
    assert "zu viele Anmeldungen" in response.content.decode()
    assert len(mail.outbox) == 2


def test_honeypot_gets_the_normal_answer_but_no_mail(client, django_capture_on_commit_callbacks):
    response = submit(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.redirect_chain[-1][0] == reverse("subscriptions:requested")
    assert mail.outbox == []
    assert not SubscriptionRequest.objects.exists()


def test_too_fast_submission_is_refused_with_a_german_message(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SUBSCRIPTIONS_MIN_FILL_SECONDS = 60
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "schneller, als ein Mensch" in response.content.decode()
    assert "Nora Neumann" in response.content.decode()  # nothing lost
    assert mail.outbox == []


def test_missing_or_forged_start_stamp_counts_as_too_fast(
    client, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, started="gefälscht")
    assert response.status_code == 400
    assert mail.outbox == []


def test_idn_domain_is_stored_and_sent_as_punycode(client, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks, email="max@müller-soest.de")
    assert SubscriptionRequest.objects.get().email == "max@xn--mller-soest-thb.de"
    assert mail.outbox[0].to == ["max@xn--mller-soest-thb.de"]
    assert b"xn--mller-soest-thb".decode("idna") == "müller-soest"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "kein-at-zeichen"}, "gültige E-Mail-Adresse"),
        ({"email": "müller@example.org"}, "vor dem @"),
        ({"email": "a@b.de\r\nBcc: x@y.de"}, "unzulässige Zeichen"),
        ({"email": ""}, "Bitte geben Sie Ihre E-Mail-Adresse ein"),
        ({"email": "a" * 250 + "@x.de"}, "höchstens 254 Zeichen"),
        ({"name": "Eva\r\nBcc: opfer@example.org"}, "keine Zeilenumbrüche"),
        ({"name": "N" * 101}, "höchstens 100 Zeichen"),
        ({"consent": ""}, "Ohne Ihre Einwilligung"),
        ({"frequency": "stündlich"}, "gültige Auswahl"),
    ],
)
def test_bad_input_gets_a_german_error_and_nothing_is_stored(
    client, django_capture_on_commit_callbacks, overrides, message
):
    response = submit(client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SubscriptionRequest.objects.exists()
    assert mail.outbox == []


def test_manage_link_changes_topics_and_frequency(client, django_capture_on_commit_callbacks):
    from subscriptions import tokens

    subscription = SubscriptionFactory()
    mobil = SectionFactory(name="Mobilität", slug="mobilitaet")
    url = tokens.manage_url(subscription)
    assert client.get(url).status_code == 200
    response = client.post(url, {"sections": [mobil.pk], "frequency": Frequency.WEEKLY})
    assert response.status_code == 200
    assert "gespeichert" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.WEEKLY
    assert list(subscription.sections.all()) == [mobil]
    assert subscription.events.filter(kind="changed").exists()


def test_tampered_manage_link_is_404(client):
    subscription = SubscriptionFactory()
    from subscriptions import tokens

    token = tokens.manage_token(subscription)
    assert client.get(reverse("subscriptions:manage", args=[token[:-2] + "xx"])).status_code == 404
    subscription.manage_key = "neu"
    subscription.save()
    assert client.get(reverse("subscriptions:manage", args=[token])).status_code == 404


def test_cleanup_deletes_requests_after_seven_days_only(client):
    from subscriptions.models import ConsentText

    text = ConsentText.objects.get(version="1")
    old = SubscriptionRequest.objects.create(
        email="alt@example.org",
        frequency="immediate",
        consent_text=text,
        requested_at=timezone.now() - timezone.timedelta(days=7, minutes=1),
    )
    fresh = SubscriptionRequest.objects.create(
        email="frisch@example.org",
        frequency="immediate",
        consent_text=text,
        requested_at=timezone.now() - timezone.timedelta(days=6),
    )
    assert services.requests_cleanup() == 1
    assert not SubscriptionRequest.objects.filter(pk=old.pk).exists()
    assert SubscriptionRequest.objects.filter(pk=fresh.pk).exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_public_pages_refuse_other_methods(client, method):
    assert getattr(client, method)(URL).status_code == 405


def test_public_pages_need_no_login_even_with_csrf_checks():
    response = Client(enforce_csrf_checks=True).get(URL)
    assert response.status_code == 200
