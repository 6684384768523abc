"""DSGVO: retention by the beat task, Auskunft and erasure through the kernel's registry."""

import datetime

import pytest
from django.utils import timezone

from participation.models import Contribution, Support
from participation.tasks import apply_retention
from stakeholders.dsgvo import auskunft_data
from stakeholders.models import Contact
from stakeholders.services.erasure import contact_erase

from .factories import ContributionFactory, ParticipationFactory, support_for

pytestmark = pytest.mark.django_db


def test_unconfirmed_rows_go_after_seven_days():
    old = timezone.now() - datetime.timedelta(days=8)
    stale = ContributionFactory(status="unconfirmed", email="a@example.org", created_at=old)
    fresh = ContributionFactory(status="unconfirmed", email="b@example.org")
    old_support = support_for(fresh)
    Support.objects.filter(pk=old_support.pk).update(requested_at=old)
    kept_support = support_for(fresh, email="c@example.org", confirmed=True)
    Support.objects.filter(pk=kept_support.pk).update(requested_at=old)
    result = apply_retention()
    assert result["unconfirmed"] == 1
    assert not Contribution.objects.filter(pk=stale.pk).exists()
    assert Contribution.objects.filter(pk=fresh.pk).exists()
    assert list(Support.objects.values_list("pk", flat=True)) == [kept_support.pk]


def test_addresses_go_a_set_time_after_the_end_the_text_stays(settings):
    settings.PARTICIPATION_ADDRESS_RETENTION_DAYS = 30
    today = timezone.localdate()
    ended = ParticipationFactory(
        starts_on=today - datetime.timedelta(days=100), ends_on=today - datetime.timedelta(days=31)
    )
    recent = ParticipationFactory(
        starts_on=today - datetime.timedelta(days=100), ends_on=today - datetime.timedelta(days=10)
    )
    old = ContributionFactory(
        participation=ended, email="alt@example.org", author_name="Alt", show_name=True
    )
    kept = ContributionFactory(participation=recent, email="neu@example.org")
    assert apply_retention()["anonymised"] == 1
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.email, old.author_name, old.show_name) == ("", "", False)
    assert old.text  # the contribution stays, anonymous
    assert old.address_removed_at is not None
    assert kept.email == "neu@example.org"
    assert apply_retention()["anonymised"] == 0  # idempotent


def test_auskunft_and_erasure_through_the_registry():
    contact = Contact.objects.create(first_name="Eva", last_name="Muster", email="eva@example.org")
    contribution = ContributionFactory(
        email="eva@example.org", author_name="Eva M.", show_name=True, title="Evas Idee"
    )
    support_for(ContributionFactory(), email="eva@example.org", confirmed=True)
    data = auskunft_data(contact)
    section = next(s for s in data["abschnitte"] if s["title"].startswith("Bürgerbeteiligung"))
    assert section["rows"][0]["Titel"] == "Evas Idee"
    assert section["rows"][0]["E-Mail-Adresse"] == "eva@example.org"
    assert section["rows"][0]["Einwilligungstext"] == "Version 1"
    assert any("Unterstützung für" in row for row in section["rows"])
    contact_erase(contact=contact)
    contribution.refresh_from_db()
    assert (contribution.email, contribution.author_name) == ("", "")
    assert contribution.title == "Evas Idee"
    assert Support.objects.count() == 0
