"""Bounces stick: a hard bounce marks the contact's address undeliverable (date and reason,
visible on the contact); mailings skip it and say so; a new address lifts the mark."""

import pytest
from django.urls import reverse

from news import mailing
from news.models import Delivery
from news.tests.factories import PressReleaseFactory
from news.tests.mailing_helpers import D, member, send
from stakeholders.models import Contact
from stakeholders.tests.factories import consenting_contact

pytestmark = pytest.mark.django_db


def bounce(client, release, delivery, **data):
    url = reverse("news:delivery_bounce", kwargs={"pk": release.pk, "delivery_pk": delivery.pk})
    return client.post(url, data)


def test_a_hard_bounce_marks_the_address_and_the_next_mailing_skips_it(
    client_for, office, release, press_list, django_capture_on_commit_callbacks
):
    contact = member(press_list, consenting_contact(last_name="Weg", email="weg@example.org"))
    member(press_list, consenting_contact(last_name="Da", email="da@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(contact=contact)
    client = client_for(office)

    bounce(client, release, delivery, reason="550 Postfach existiert nicht", hard="1")

    contact.refresh_from_db()
    assert contact.email_undeliverable_since is not None
    assert contact.email_undeliverable_reason == "550 Postfach existiert nicht"
    assert contact.email_undeliverable_address == "weg@example.org"
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "unzustellbar" in page
    assert "550 Postfach existiert nicht" in page
    assert contact.email_undeliverable_since.strftime("%d.%m.%Y") in page

    # The next mailing skips the address and says so before sending.
    second = PressReleaseFactory(published=True)
    check = client.get(
        reverse("news:distribution_create", args=[second.pk]),
        {"lists": press_list.pk, "pruefen": "1"},
    ).content.decode()
    assert "1 Adresse ist als unzustellbar markiert und wird übersprungen" in check
    assert [c.email for c, _p in mailing.effective_recipients(lists=[press_list])] == [
        "da@example.org"
    ]
    send(second, office, [press_list], capture=django_capture_on_commit_callbacks)
    assert list(Delivery.objects.filter(distribution__release=second).values_list("email")) == [
        ("da@example.org",)
    ]


def test_a_soft_bounce_marks_only_the_delivery(
    client_for, office, release, press_list, django_capture_on_commit_callbacks
):
    contact = member(press_list, consenting_contact())
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    bounce(client_for(office), release, Delivery.objects.get(), reason="Postfach voll")
    assert Delivery.objects.get().status == D.BOUNCED
    contact.refresh_from_db()
    assert contact.email_undeliverable_since is None


def test_a_new_address_lifts_the_mark(
    client_for, office, release, press_list, django_capture_on_commit_callbacks
):
    contact = member(press_list, consenting_contact(email="alt@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    bounce(client_for(office), release, Delivery.objects.get(), hard="1")
    contact.refresh_from_db()
    assert contact.email_undeliverable_since is not None
    assert not mailing.effective_recipients(lists=[press_list])

    contact.email = "neu@example.org"
    contact.save()

    stored = Contact.objects.get(pk=contact.pk)
    assert stored.email_undeliverable_since is None
    assert stored.email_undeliverable_reason == ""
    assert [c.email for c, _p in mailing.effective_recipients(lists=[press_list])] == [
        "neu@example.org"
    ]
