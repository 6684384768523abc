"""Sending on publish through news' delivery pipeline, the weekly digest, and no release
twice across press list, "at once" and digest."""

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import resolve
from django.utils import timezone

from news import mailing
from news import services as news_services
from news.models import Delivery, PressRelease
from news.tests.factories import PressReleaseFactory
from soest_office.models import Municipality
from stakeholders import services as stakeholder_services
from stakeholders.models import DistributionList, LegalBasisRecord, ListMembership
from subscriptions import services, tokens
from subscriptions.models import DigestMail, Frequency, Subscription

from .factories import ContactFactory, SectionFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def token_target(url, view_name):
    """The subscription a signed link of ours points to."""
    match = resolve(urlsplit(url).path)
    assert match.view_name == view_name
    return Subscription.objects.get(pk=tokens.read_manage_token(match.kwargs["token"])["s"])


def recipients():
    return Counter(address for m in mail.outbox for address in m.to)


@pytest.fixture
def bildung():
    return SectionFactory(name="Bildung", slug="bildung")


@pytest.fixture
def approved(office2, bildung):
    return PressReleaseFactory(
        title="Tablets für Grundschulen",
        section=bildung,
        status=PressRelease.Status.APPROVED,
        author=office2,
    )


def publish(release, office, capture):
    with capture(execute=True):
        news_services.release_publish(release=release, user=office)
    release.refresh_from_db()
    return release


def press_list_with(contact):
    stakeholder_services.legal_basis_record(
        contact=contact, purpose="press", status=LegalBasisRecord.Status.LEGITIMATE_INTEREST
    )
    press_list = DistributionList.objects.create(name="Lokalpresse", purpose="press")
    ListMembership.objects.create(distribution_list=press_list, contact=contact)
    return press_list


def test_publishing_mails_matching_immediate_subscribers_through_news_pipeline(
    office, approved, bildung, django_capture_on_commit_callbacks
):
    match_all = SubscriptionFactory(contact=ContactFactory(email="alle@example.org"))
    match_section = SubscriptionFactory(
        contact=ContactFactory(email="bildung@example.org"), sections=[bildung]
    )
    SubscriptionFactory(
        contact=ContactFactory(email="mobil@example.org"),
        sections=[SectionFactory(name="Mobilität", slug="mobilitaet")],
    )
    SubscriptionFactory(contact=ContactFactory(email="woche@example.org"), frequency="weekly")
    withdrawn = SubscriptionFactory(contact=ContactFactory(email="weg@example.org"))
    stakeholder_services.consent_withdraw(
        contact=withdrawn.contact, purpose="newsletter", source="Anruf"
    )

    release = publish(approved, office, django_capture_on_commit_callbacks)

    assert recipients() == Counter({"alle@example.org": 1, "bildung@example.org": 1})
    deliveries = Delivery.objects.filter(distribution__release=release)
    assert {d.contact_id for d in deliveries} == {match_all.contact_id, match_section.contact_id}
    assert {d.purpose for d in deliveries} == {"newsletter"}
    assert {d.status for d in deliveries} == {Delivery.Status.SENT}


def test_immediate_mail_carries_the_personal_manage_and_one_click_links(
    office, approved, django_capture_on_commit_callbacks
):
    subscription = SubscriptionFactory(contact=ContactFactory(email="alle@example.org"))

    publish(approved, office, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    # The tokens are timestamped, so they are compared by what they name, not by their text.
    one_click = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<\S+>", one_click)
    assert token_target(one_click.strip("<>"), "subscriptions:unsubscribe") == subscription
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (manage,) = set(re.findall(r"http://\S+/verwalten/[^/\s]+/", message.body))
    assert token_target(manage, "subscriptions:manage") == subscription
    assert "abonniert" in message.body
    assert "Presseverteiler" not in message.body
    html = message.alternatives[0][0]
    assert f'href="{manage}"' in html


def test_municipality_topics_match_releases_of_that_municipality(
    office, approved, django_capture_on_commit_callbacks
):
    soest = Municipality.objects.get(slug="soest")
    lippstadt = Municipality.objects.get(slug="lippstadt")
    approved.municipalities.set([soest])
    SubscriptionFactory(contact=ContactFactory(email="soest@example.org"), municipalities=[soest])
    SubscriptionFactory(
        contact=ContactFactory(email="lippstadt@example.org"), municipalities=[lippstadt]
    )
    publish(approved, office, django_capture_on_commit_callbacks)
    assert set(recipients()) == {"soest@example.org"}


def test_subscribers_after_publication_do_not_get_the_release(
    office, approved, django_capture_on_commit_callbacks
):
    release = publish(approved, office, django_capture_on_commit_callbacks)
    SubscriptionFactory(confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_fanout(release_id=release.pk) == 0
    assert mail.outbox == []


def test_fanout_is_idempotent(office, approved, django_capture_on_commit_callbacks):
    SubscriptionFactory()
    release = publish(approved, office, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_fanout(release_id=release.pk) == 0
        services.fanout_recent()
    assert len(mail.outbox) == 1


def test_press_list_then_subscription_sends_once(
    office, approved, django_capture_on_commit_callbacks
):
    journalist = ContactFactory(email="redaktion@zeitung.de")
    press_list = press_list_with(journalist)
    SubscriptionFactory(contact=journalist)
    approved.status = PressRelease.Status.PUBLISHED
    approved.published_at = timezone.now()
    approved.save()  # published without the signal's task running (no capture)
    with django_capture_on_commit_callbacks(execute=True):
        mailing.distribution_send(release=approved, user=office, lists=[press_list])
    with django_capture_on_commit_callbacks(execute=True):
        services.release_fanout(release_id=approved.pk)
    assert recipients() == Counter({"redaktion@zeitung.de": 1})


def test_subscription_then_press_list_sends_once(
    office, approved, django_capture_on_commit_callbacks
):
    journalist = ContactFactory(email="redaktion@zeitung.de")
    press_list = press_list_with(journalist)
    SubscriptionFactory(contact=journalist)
    release = publish(approved, office, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        _distribution, added = mailing.distribution_send(
            release=release, user=office, lists=[press_list]
        )
    assert added == 0
    assert recipients() == Counter({"redaktion@zeitung.de": 1})


def make_published(section, days_ago=1, **kwargs):
    return PressReleaseFactory(
        published=True,
        section=section,
        published_at=timezone.now() - timezone.timedelta(days=days_ago),
        **kwargs,
    )


def test_weekly_digest_lists_the_matching_releases_and_carries_the_links(
    bildung, django_capture_on_commit_callbacks
):
    subscription = SubscriptionFactory(
        frequency=Frequency.WEEKLY,
        sections=[bildung],
        confirmed_at=timezone.now() - timezone.timedelta(days=10),
    )
    first = make_published(bildung, title="Tablets für Grundschulen")
    second = make_published(bildung, days_ago=2, title="Medienkompetenz-Kurse")
    make_published(SectionFactory(name="Politik", slug="politik"), title="Kreistag tagt")
    make_published(bildung, days_ago=20, title="Vor dem Abo")
    with django_capture_on_commit_callbacks(execute=True):
        ids = services.digests_compose_all(force=True)
    assert len(ids) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [subscription.email]
    assert second.title in message.body
    assert first.title in message.body
    assert message.body.index(second.title) < message.body.index(first.title)
    assert "Kreistag tagt" not in message.body
    assert "Vor dem Abo" not in message.body
    assert "/presse/abo/verwalten/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/presse/abo/abmelden/" in message.extra_headers["List-Unsubscribe"]
    digest = DigestMail.objects.get()
    assert digest.status == DigestMail.Status.SENT
    rows = Delivery.objects.filter(contact=subscription.contact)
    assert {(r.status, r.error) for r in rows} == {(Delivery.Status.SENT, services.DIGEST_SENT)}


def test_digest_runs_once_per_week(bildung, django_capture_on_commit_callbacks):
    SubscriptionFactory(frequency=Frequency.WEEKLY)
    make_published(bildung)
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_compose_all(force=True)
        services.digests_compose_all(force=True)
        services.digests_reconcile()
    assert len(mail.outbox) == 1
    assert DigestMail.objects.count() == 1


def test_digest_leaves_out_what_the_press_list_sent_and_press_list_skips_digest_releases(
    office, bildung, django_capture_on_commit_callbacks
):
    journalist = ContactFactory(email="redaktion@zeitung.de")
    press_list = press_list_with(journalist)
    SubscriptionFactory(
        contact=journalist,
        frequency=Frequency.WEEKLY,
        confirmed_at=timezone.now() - timezone.timedelta(days=10),
    )
    via_press = make_published(bildung, title="Über den Presseverteiler")
    in_digest = make_published(bildung, title="Nur im Überblick")
    with django_capture_on_commit_callbacks(execute=True):
        mailing.distribution_send(release=via_press, user=office, lists=[press_list])
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_compose_all(force=True)
    digest_mail = mail.outbox[-1]
    assert "Nur im Überblick" in digest_mail.body
    assert "Über den Presseverteiler" not in digest_mail.body
    # The office sends the digest's release to the press list afterwards: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        _d, added = mailing.distribution_send(release=in_digest, user=office, lists=[press_list])
    assert added == 0
    assert recipients() == Counter({"redaktion@zeitung.de": 2})  # one press mail, one digest


def test_unsubscribed_digest_is_skipped_before_sending(bildung):
    subscription = SubscriptionFactory(frequency=Frequency.WEEKLY)
    make_published(bildung)
    digest = services.digest_compose(subscription=subscription, now=timezone.now())
    services.subscription_unsubscribe(subscription=subscription, source="Abmeldelink")
    assert services.digest_send(digest_id=digest.pk) == DigestMail.Status.SKIPPED
    assert mail.outbox == []


def test_digest_waits_for_the_configured_time(settings):
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY = 0
    settings.SUBSCRIPTIONS_DIGEST_HOUR = 7
    tz = timezone.get_current_timezone()
    monday_6 = timezone.datetime(2026, 11, 23, 6, 59, tzinfo=tz)
    monday_7 = timezone.datetime(2026, 11, 23, 7, 0, tzinfo=tz)
    assert not services.digest_due(monday_6)
    assert services.digest_due(monday_7)
    assert services.digest_due(monday_7 + timezone.timedelta(days=3))
