"""Press mailing recipients: unsubscribing, suggested contacts, and what erasure and merging
do to deliveries."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from news import mailing
from news.models import Delivery
from news.tests.mailing_helpers import D, member, send
from stakeholders import dsgvo
from stakeholders import services as stakeholder_services
from stakeholders.models import Involvement, LegalBasisRecord, Purpose
from stakeholders.tests.factories import ContactFactory, consenting_contact, make_project

pytestmark = pytest.mark.django_db


def test_unsubscribe_withdraws_consent_immediately(
    release, press_list, office, django_capture_on_commit_callbacks
):
    contact = member(press_list, consenting_contact())
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    url = reverse("news:unsubscribe", kwargs={"token": mailing.unsubscribe_token(delivery.pk)})
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Jetzt abmelden" in page.content.decode()
    assert (
        stakeholder_services.current_basis(contact=contact, purpose=Purpose.PRESS).status
        == LegalBasisRecord.Status.CONSENT
    )
    # RFC 8058 one-click: a POST from the mail provider, without a CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Sie sind abgemeldet" in response.content.decode()
    basis = stakeholder_services.current_basis(contact=contact, purpose=Purpose.PRESS)
    assert basis.status == LegalBasisRecord.Status.WITHDRAWN
    assert mailing.effective_recipients(lists=[press_list]) == []


def test_unsubscribe_skips_queued_mails_of_a_running_mailing(release, press_list, office):
    contact = member(press_list, consenting_contact())
    mailing.distribution_send(
        release=release, user=office, lists=[press_list]
    )  # not committed: nothing sent
    delivery = Delivery.objects.get()
    stakeholder_services.consent_withdraw(contact=contact, purpose=Purpose.PRESS, source="Telefon")
    assert mailing.deliveries_send(delivery_ids=[delivery.pk])["skipped"] == 1
    delivery.refresh_from_db()
    assert delivery.status == D.SKIPPED
    assert mail.outbox == []


def test_forged_unsubscribe_token_is_404(client):
    assert client.get(reverse("news:unsubscribe", kwargs={"token": "123:abc"})).status_code == 404


def test_suggestions_come_from_projects_and_municipalities(release):
    project = make_project()
    release.projects.add(project)
    involved = consenting_contact(last_name="Beteiligt", municipality=None)
    Involvement.objects.create(project=project, contact=involved, role=Involvement.Role.PARTNER)
    ContactFactory(last_name="OhneEinwilligung")
    suggested = list(mailing.suggested_contacts(release=release))
    assert involved in suggested
    assert all(c.last_name != "OhneEinwilligung" for c in suggested)


def test_erasure_anonymises_deliveries_and_auskunft_lists_them(
    release, press_list, office, django_capture_on_commit_callbacks
):
    contact = member(press_list, consenting_contact(email="weber@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    data = dsgvo.auskunft_data(contact)
    section = next(s for s in data["abschnitte"] if s["title"] == "Versand von Pressemitteilungen")
    assert section["rows"][0]["E-Mail-Adresse"] == "weber@example.org"
    stakeholder_services.contact_erase(contact=contact, user=office)
    delivery = Delivery.objects.get()
    assert (delivery.contact_id, delivery.email, delivery.name) == (None, "", "")
    assert delivery.status == D.SENT


def test_merge_moves_deliveries_to_the_kept_contact(
    release, press_list, office, django_capture_on_commit_callbacks
):
    keep = consenting_contact(last_name="Behalten", email="behalten@example.org")
    merge = member(press_list, consenting_contact(last_name="Doppelt", email="doppelt@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    stakeholder_services.contact_merge(keep=keep, merge=merge, user=office)
    assert Delivery.objects.get().contact == keep
