"""RFC 8058 one-click unsubscribe, withdrawal in stakeholders, Auskunft, erasure, merge."""

import pytest
from django.test import Client

from stakeholders import dsgvo
from stakeholders import services as stakeholder_services
from stakeholders.models import LegalBasisRecord
from subscriptions import services, tokens
from subscriptions.models import Frequency, Subscription, SubscriptionRequest

from .factories import ContactFactory, SectionFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_one_click_post_without_cookie_or_csrf_token_unsubscribes():
    subscription = SubscriptionFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        tokens.unsubscribe_url(subscription).removeprefix("http://127.0.0.1:8000"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not response.cookies  # nothing to remember, no session, no CSRF cookie
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ENDED
    assert subscription.ended_at is not None
    latest = stakeholder_services.current_basis(contact=subscription.contact, purpose="newsletter")
    assert latest.status == LegalBasisRecord.Status.WITHDRAWN
    assert "RFC 8058" in latest.source
    assert not services.is_active(subscription)


def test_one_click_endpoint_can_do_nothing_but_unsubscribe():
    section = SectionFactory()
    subscription = SubscriptionFactory(sections=[section])
    path = tokens.unsubscribe_url(subscription).removeprefix("http://127.0.0.1:8000")
    Client(enforce_csrf_checks=True).post(
        path,
        {
            "List-Unsubscribe": "One-Click",
            "frequency": Frequency.WEEKLY,
            "sections": [],
            "email": "angreifer@example.org",
            "status": "active",
        },
    )
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ENDED
    assert subscription.frequency == Frequency.IMMEDIATE
    assert subscription.email != "angreifer@example.org"
    assert list(subscription.sections.all()) == [section]
    # and a second POST cannot bring it back
    Client().post(path, {"status": "active"})
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ENDED


def test_get_of_the_unsubscribe_link_changes_nothing(client):
    subscription = SubscriptionFactory()
    path = tokens.unsubscribe_url(subscription).removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert "Jetzt abmelden" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


def test_tampered_unsubscribe_token_is_404():
    response = Client().post(
        "/presse/abo/abmelden/abc:def/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 404


def test_withdrawal_elsewhere_makes_the_subscription_inactive(client):
    subscription = SubscriptionFactory()
    stakeholder_services.consent_withdraw(
        contact=subscription.contact, purpose="newsletter", source="Anruf im Büro"
    )
    html = client.get(tokens.manage_url(subscription).removeprefix("http://127.0.0.1:8000"))
    assert "Abonnement ist beendet" in html.content.decode()


def test_resubscribing_after_unsubscribe_reactivates_with_new_proof(
    client, django_capture_on_commit_callbacks
):
    subscription = SubscriptionFactory(contact=ContactFactory(email="wieder@example.org"))
    services.subscription_unsubscribe(subscription=subscription, source="Abmeldelink")
    from subscriptions.forms import SubscribeForm

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/presse/abo/",
            {
                "email": "wieder@example.org",
                "frequency": "weekly",
                "consent": "on",
                "started": SubscribeForm().initial["started"],
            },
        )
    request = SubscriptionRequest.objects.get()
    outcome, again = services.subscription_confirm(token=tokens.confirm_token(request))
    assert outcome == "confirmed"
    assert again.pk == subscription.pk
    assert again.status == Subscription.Status.ACTIVE
    assert again.frequency == Frequency.WEEKLY
    assert services.is_active(again)


def test_auskunft_contains_the_consent_proof():
    subscription = SubscriptionFactory()
    data = dsgvo.auskunft_data(subscription.contact)
    section = next(s for s in data["abschnitte"] if s["title"] == "Abonnement (Newsletter)")
    proof = section["rows"][0]
    assert proof["Quelle"] == "Web-Formular"
    assert proof["Einwilligungstext (Version)"] == "1"
    assert proof["bestätigt am"]  # formatted date
    assert proof["E-Mail-Adresse"] == subscription.email


def test_erasure_removes_the_subscription_and_pending_requests():
    subscription = SubscriptionFactory()
    email = subscription.email
    SubscriptionRequest.objects.create(
        email=email.upper(),
        frequency="weekly",
        consent_text=subscription.consent_text,
        requested_at=subscription.requested_at,
    )
    stakeholder_services.contact_erase(contact=subscription.contact)
    assert not Subscription.objects.filter(email__iexact=email).exists()
    assert not SubscriptionRequest.objects.filter(email__iexact=email).exists()


def test_merge_keeps_one_subscription():
    keep = ContactFactory()
    merge = SubscriptionFactory().contact
    stakeholder_services.contact_merge(keep=keep, merge=merge)
    assert Subscription.objects.get().contact == keep
