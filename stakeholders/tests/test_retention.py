import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from soest_office.models import AuditEvent
from stakeholders import services, tasks
from stakeholders.models import Contact, Interaction, RetentionRule

from .factories import ContactFactory, InteractionFactory, LegalBasisFactory

pytestmark = pytest.mark.django_db

YEAR = dt.timedelta(days=365)


def test_default_three_years_without_interaction_flags_for_review():
    stale = ContactFactory(last_name="Alt")
    active = ContactFactory(last_name="Aktiv")
    later = timezone.now() + 3 * YEAR + dt.timedelta(days=30)
    InteractionFactory(contact=active, occurred_at=later - YEAR)

    assert services.retention_flag_due(now=later) == 1

    stale.refresh_from_db()
    active.refresh_from_db()
    assert stale.retention_flagged_at is not None
    assert active.retention_flagged_at is None


def test_rule_per_category_and_basis_wins_over_default():
    RetentionRule.objects.create(category="press", basis="legitimate_interest", months=60)
    journalist = ContactFactory(category="press")
    LegalBasisFactory(contact=journalist, status="legitimate_interest")
    citizen = ContactFactory(category="citizen")
    later = timezone.now() + 4 * YEAR
    services.retention_flag_due(now=later)
    assert Contact.objects.get(pk=journalist.pk).retention_flagged_at is None
    assert Contact.objects.get(pk=citizen.pk).retention_flagged_at is not None


def test_flagging_is_idempotent_and_unflags_after_new_activity():
    contact = ContactFactory()
    later = timezone.now() + 4 * YEAR
    services.retention_flag_due(now=later)
    first = Contact.objects.get(pk=contact.pk).retention_flagged_at
    services.retention_flag_due(now=later + dt.timedelta(days=1))
    assert Contact.objects.get(pk=contact.pk).retention_flagged_at == first
    InteractionFactory(contact=contact, occurred_at=later)
    services.retention_flag_due(now=later + dt.timedelta(days=2))
    assert Contact.objects.get(pk=contact.pk).retention_flagged_at is None


def test_beat_task_runs_the_service(settings):
    ContactFactory()
    assert "stakeholders-flag-retention-due" in settings.CELERY_BEAT_SCHEDULE
    assert tasks.flag_retention_due.delay().get() == 0


# Erasure hooks (search index, news deliveries, subscriptions) run per contact inside that
# contact's erasure: a bulk anonymisation repeats them by design.
@pytest.mark.nplusone_allowed({"model": "stakeholders.Contact", "field": "interactions"})
def test_bulk_anonymisation_from_review_page(client_for, office):
    flagged = [ContactFactory(retention_flagged_at=timezone.now()) for _ in range(3)]
    InteractionFactory(contact=flagged[0])
    untouched = ContactFactory()
    client = client_for(office)
    url = reverse("stakeholders:retention")
    ids = [c.pk for c in flagged[:2]]
    response = client.post(url, {"contacts": ids})
    assert Contact.objects.filter(pk__in=ids).count() == 2  # not confirmed: nothing happens
    response = client.post(url, {"contacts": [*ids, untouched.pk], "confirm": "1"})
    assert response.status_code == 302
    assert not Contact.objects.filter(pk__in=ids).exists()
    assert Contact.objects.filter(pk=untouched.pk).exists()  # not flagged: not erasable here
    assert Contact.objects.filter(pk=flagged[2].pk).exists()
    assert Interaction.objects.filter(contact__isnull=True).count() == 1
    assert AuditEvent.objects.get(kind="erasure").details == {"anzahl": 2}


def test_partner_cannot_bulk_anonymise(client_for, partner_soest):
    contact = ContactFactory(retention_flagged_at=timezone.now())
    response = client_for(partner_soest).post(
        reverse("stakeholders:retention"), {"contacts": [contact.pk], "confirm": "1"}
    )
    assert response.status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("bad", ["²", "٣", "abc", "99999999999999999999"])
def test_odd_contact_ids_in_the_bulk_anonymisation_change_nothing(client_for, office, bad):
    """Unicode digits pass str.isdigit() but not int(): once a 500, now "nothing selected"."""
    contact = ContactFactory(retention_flagged_at=timezone.now())
    response = client_for(office).post(
        reverse("stakeholders:retention"), {"contacts": [bad], "confirm": "1"}
    )
    assert response.status_code == 302
    assert Contact.objects.filter(pk=contact.pk).exists()
