"""Press mailings: the consent rule, personal mails, idempotence, rollback, who may send, and
what one batch costs and records."""

from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from news import mailing
from news.models import Delivery, Distribution
from news.tests.factories import PressReleaseFactory
from news.tests.mailing_helpers import D, member, queued_deliveries, send
from soest_office.search.models import SearchEntry
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, Interaction, Purpose
from stakeholders.tests.factories import (
    ContactFactory,
    DistributionListFactory,
    LegalBasisFactory,
    consenting_contact,
    make_project,
)

pytestmark = pytest.mark.django_db


def test_only_contacts_with_current_consent_receive(
    release, press_list, office, django_capture_on_commit_callbacks
):
    ok = member(press_list, consenting_contact(salutation="Frau", title="Dr.", last_name="Weber"))
    member(press_list, ContactFactory(last_name="Ohneeinwilligung"))
    withdrawn = member(press_list, consenting_contact(last_name="Widerrufen"))
    stakeholder_services.consent_withdraw(contact=withdrawn, purpose=Purpose.PRESS, source="Test")
    member(press_list, consenting_contact(last_name="Gesperrt", do_not_contact=True))
    member(press_list, consenting_contact(last_name="Ohnemail", email=""))
    newsletter_only = ContactFactory(last_name="Newsletter")
    LegalBasisFactory(contact=newsletter_only, purpose=Purpose.NEWSLETTER)
    member(press_list, newsletter_only)

    distribution, added = send(
        release, office, [press_list], capture=django_capture_on_commit_callbacks
    )

    assert added == 1
    assert [d.contact_id for d in distribution.deliveries.all()] == [ok.pk]
    assert [m.to for m in mail.outbox] == [[ok.email]]
    assert mailing.excluded_members(lists=[press_list]) == 5


def test_mail_is_personal_with_text_html_embargo_and_unsubscribe(
    release, press_list, office, django_capture_on_commit_callbacks
):
    contact = member(
        press_list, consenting_contact(salutation="Frau", title="Dr.", last_name="Weber")
    )
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.body.startswith("+++ Sperrfrist: 26.11.2026, 10:00 Uhr +++")
    assert "Sehr geehrte Frau Dr. Weber," in message.body
    assert "Stadt Soest" in message.body
    assert "**" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert html.index("Sperrfrist") < html.index("Sehr geehrte Frau Dr. Weber,")
    assert "<strong>Stadt Soest</strong>" in html
    delivery = Delivery.objects.get()
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(f"{settings.SITE_URL}/presse/abmelden/")
    assert mailing.delivery_from_token(link.rstrip("/").rsplit("/", 1)[-1]) == delivery
    assert link in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message.subject
        == "Pressemitteilung: [Sperrfrist: 26.11.2026, 10:00 Uhr] 3D-Stadtmodell für Soest"
    )
    assert delivery.status == D.SENT
    assert (
        Interaction.objects.filter(contact=contact, channel=Interaction.Channel.MAILING).count()
        == 1
    )


def test_sending_twice_sends_nothing_twice(
    release, press_list, office, django_capture_on_commit_callbacks
):
    for i in range(3):
        member(press_list, consenting_contact(last_name=f"Redaktion{i}"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    distribution, added = send(
        release, office, [press_list], capture=django_capture_on_commit_callbacks
    )
    assert added == 0
    assert len(mail.outbox) == 3
    assert Distribution.objects.count() == 1
    # Re-running a batch by hand (a redelivered task) claims nothing and sends nothing.
    ids = list(distribution.deliveries.values_list("pk", flat=True))
    assert mailing.deliveries_send(delivery_ids=ids)["sent"] == 0
    assert len(mail.outbox) == 3


def test_same_address_in_two_lists_gets_one_mail(
    release, office, django_capture_on_commit_callbacks
):
    a, b = DistributionListFactory(), DistributionListFactory()
    contact = consenting_contact()
    member(a, contact)
    member(b, contact)
    send(release, office, [a, b], capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_request_queues_nothing(office):
    release = PressReleaseFactory(published=True)
    press_list = DistributionListFactory()
    # Transactional tests run after a flush: no municipalities from the data migration.
    member(press_list, consenting_contact(municipality=None))
    with mock.patch("news.tasks.dispatch_distribution.delay") as delay:

        def request_that_fails_after_sending():
            with transaction.atomic():
                mailing.distribution_send(release=release, user=office, lists=[press_list])
                raise RuntimeError("Abbruch nach dem Anlegen")

        with pytest.raises(RuntimeError):
            request_that_fails_after_sending()
        assert delay.call_count == 0
        assert not Delivery.objects.exists()
        mailing.distribution_send(release=release, user=office, lists=[press_list])
        assert delay.call_count == 1


def test_partner_cannot_send(release, press_list, partner_soest):
    from django.core.exceptions import PermissionDenied

    member(press_list, consenting_contact())
    with pytest.raises(PermissionDenied):
        mailing.distribution_send(release=release, user=partner_soest, lists=[press_list])
    assert not Delivery.objects.exists()


def test_unpublished_release_cannot_be_sent(press_list, office):
    from django.core.exceptions import ValidationError

    member(press_list, consenting_contact())
    with pytest.raises(ValidationError):
        mailing.distribution_send(release=PressReleaseFactory(), user=office, lists=[press_list])


def test_a_batch_costs_one_query_per_mail_plus_a_constant(release, office, settings):
    """Claim, consent, releases and the Kontakthistorie (with its search entries) are read
    and written once per batch; per mail only the UPDATE that marks it sent."""
    small = queued_deliveries(release, office, DistributionListFactory(), 3, "Klein")
    large = queued_deliveries(
        PressReleaseFactory(published=True), office, DistributionListFactory(), 12, "Gross"
    )
    counts = []
    for ids in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert mailing.deliveries_send(delivery_ids=ids)["sent"] == len(ids)
        counts.append(len(captured.captured_queries))
    assert counts[1] - counts[0] == len(large) - len(small), counts
    # Claim, consent, releases, history and its search entries (savepoints included).
    assert counts[0] - len(small) <= 30, counts


def test_sent_mails_are_logged_once_and_indexed_for_search(release, office, press_list):
    project = make_project()
    release.projects.add(project)
    ids = queued_deliveries(release, office, press_list, 3)
    mailing.deliveries_send(delivery_ids=ids)
    mailing.deliveries_send(delivery_ids=ids)  # a redelivered task
    mailing.deliveries_reconcile(stale_seconds=0)
    entries = Interaction.objects.filter(channel=Interaction.Channel.MAILING)
    assert entries.count() == 3
    assert {e.project_id for e in entries} == {project.pk}
    assert not Delivery.objects.filter(claimed_at__isnull=False).exists()
    indexed = SearchEntry.objects.filter(source="kontakthistorie").values_list(
        "object_id", flat=True
    )
    assert set(indexed) >= {e.pk for e in entries}


def test_consent_is_checked_for_the_whole_batch_at_send_time(release, office, press_list):
    ids = queued_deliveries(release, office, press_list, 4)
    withdrawn = Delivery.objects.get(pk=ids[1])
    stakeholder_services.consent_withdraw(
        contact=withdrawn.contact, purpose=Purpose.PRESS, source="Telefon"
    )
    Contact.objects.filter(pk=Delivery.objects.get(pk=ids[2]).contact_id).update(
        email="neue-adresse@example.org"
    )
    summary = mailing.deliveries_send(delivery_ids=ids)
    assert (summary["sent"], summary["skipped"]) == (2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Delivery.objects.filter(pk__in=[ids[0], ids[3]]).values_list("email", flat=True)
    )
    assert set(Delivery.objects.filter(pk__in=ids[1:3]).values_list("status", flat=True)) == {
        D.SKIPPED
    }
