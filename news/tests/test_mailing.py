"""Press mailings: consent rule, personal mails, idempotence, rollback, retries, unsubscribe."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news import mailing
from news.models import Delivery, Distribution
from news.tests.factories import PressReleaseFactory
from soest_office.search.models import SearchEntry
from stakeholders import dsgvo
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, Interaction, Involvement, LegalBasisRecord, Purpose
from stakeholders.tests.factories import (
    ContactFactory,
    DistributionListFactory,
    LegalBasisFactory,
    consenting_contact,
    make_project,
)

D = Delivery.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def release(office):
    return PressReleaseFactory(
        published=True,
        title="3D-Stadtmodell für Soest",
        embargo_note="Sperrfrist: 26.11.2026, 10:00 Uhr",
        press_contact=office,
    )


@pytest.fixture
def press_list():
    return DistributionListFactory(name="Presse regional", purpose=Purpose.PRESS)


def member(press_list, contact):
    stakeholder_services.list_add_contacts(
        distribution_list=press_list, contacts=Contact.objects.filter(pk=contact.pk)
    )
    return contact


def send(release, user, lists=(), extra=(), capture=None):
    with capture(execute=True):
        return mailing.distribution_send(
            release=release, user=user, lists=list(lists), extra_contacts=list(extra)
        )


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


@pytest.fixture
def flaky_backend(settings):
    settings.EMAIL_BACKEND = "news.tests.mail_backends.FlakySMTPBackend"


def test_temporary_error_is_retried_with_backoff_then_fails(
    release, press_list, office, flaky_backend, settings, django_capture_on_commit_callbacks
):
    settings.NEWS_MAX_ATTEMPTS = 2
    member(press_list, consenting_contact(email="temp-redaktion@example.org"))
    ok = member(press_list, consenting_contact(email="ok@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    temp = Delivery.objects.get(email__startswith="temp-")
    assert (temp.status, temp.attempts) == (D.QUEUED, 1)
    assert "451" in temp.error
    assert temp.next_attempt_at > timezone.now()
    assert Delivery.objects.get(contact=ok).status == D.SENT
    # Not due yet: a re-run leaves it alone.
    assert mailing.deliveries_send(delivery_ids=[temp.pk])["sent"] == 0
    Delivery.objects.filter(pk=temp.pk).update(next_attempt_at=timezone.now())
    mailing.deliveries_send(delivery_ids=[temp.pk])
    temp.refresh_from_db()
    assert (temp.status, temp.attempts) == (D.FAILED, 2)
    assert "Nach 2 Versuchen aufgegeben" in temp.error


def test_permanent_error_fails_with_reason(
    release, press_list, office, flaky_backend, django_capture_on_commit_callbacks
):
    member(press_list, consenting_contact(email="perm-weg@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == D.FAILED
    assert "550" in delivery.error
    assert "User unknown" in delivery.error


def test_dropped_connection_leaves_the_rest_queued(
    release, press_list, office, flaky_backend, django_capture_on_commit_callbacks
):
    member(press_list, consenting_contact(last_name="Aaa", email="drop-a@example.org"))
    member(press_list, consenting_contact(last_name="Bbb", email="b@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    dropped = Delivery.objects.get(email="drop-a@example.org")
    assert (dropped.status, dropped.attempts) == (D.QUEUED, 1)
    assert "SMTPServerDisconnected" in dropped.error
    # The rest of the batch stayed queued and went out with the retry, over a new connection.
    assert Delivery.objects.get(email="b@example.org").status == D.SENT


def test_reconciler_hands_back_stuck_deliveries(
    release, press_list, office, django_capture_on_commit_callbacks
):
    contact = member(press_list, consenting_contact())
    distribution = Distribution.objects.create(release=release, created_by=office)
    stuck = Delivery.objects.create(
        distribution=distribution,
        contact=contact,
        purpose=Purpose.PRESS,
        email=contact.email,
        status=D.SENDING,
        claimed_at=timezone.now() - dt.timedelta(hours=1),
        attempts=1,
    )
    result = mailing.deliveries_reconcile()
    assert result == {"released": 1, "dispatched": 1}
    stuck.refresh_from_db()
    assert stuck.status == D.SENT
    assert len(mail.outbox) == 1
    # A fresh claim (a live worker) is left alone.
    assert mailing.deliveries_reconcile() == {"released": 0, "dispatched": 0}


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


# --- Views ---------------------------------------------------------------------------------


def test_distribution_page_shows_effective_recipients_before_sending(
    client_for, office, release, press_list
):
    member(press_list, consenting_contact(last_name="Einwilligt"))
    member(press_list, ContactFactory(last_name="Nicht"))
    url = reverse("news:distribution_create", kwargs={"pk": release.pk})
    response = client_for(office).get(url, {"lists": press_list.pk, "pruefen": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Empfänger mit gültiger Einwilligung: 1" in html
    assert "Einwilligt" in html
    assert "1 Mitglied der Verteiler ohne gültige Einwilligung" in html
    assert not Delivery.objects.exists()


def test_distribution_post_sends_and_redirects_to_progress(
    client_for, office, release, press_list, django_capture_on_commit_callbacks
):
    member(press_list, consenting_contact())
    url = reverse("news:distribution_create", kwargs={"pk": release.pk})
    client = client_for(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"lists": [press_list.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("news:distribution_progress", kwargs={"pk": release.pk})
    assert len(mail.outbox) == 1
    status = client.get(reverse("news:distribution_status", kwargs={"pk": release.pk})).json()
    assert (status["total"], status["finished"], status["done"]) == (1, 1, True)
    assert status["summary"] == "1 von 1 erledigt (100 %) – abgeschlossen."
    progress = client.get(response["Location"])
    assert "1 von 1 erledigt" in progress.content.decode()


def test_distribution_needs_a_choice(client_for, office, release):
    url = reverse("news:distribution_create", kwargs={"pk": release.pk})
    response = client_for(office).post(url, {})
    assert "mindestens einen Verteiler" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["partner_soest", "steering"])
def test_distribution_pages_are_office_only(request, client_for, release, user_fixture):
    client = client_for(request.getfixturevalue(user_fixture))
    for name in ("distribution_create", "distribution_progress", "distribution_status"):
        assert client.get(reverse(f"news:{name}", kwargs={"pk": release.pk})).status_code == 403


def test_distribution_of_a_draft_is_404_for_partners_of_other_towns(client_for, partner_lippstadt):
    draft = PressReleaseFactory()
    url = reverse("news:distribution_create", kwargs={"pk": draft.pk})
    assert client_for(partner_lippstadt).get(url).status_code == 404


def test_status_endpoint_refuses_post(client_for, office, release):
    url = reverse("news:distribution_status", kwargs={"pk": release.pk})
    assert client_for(office).post(url).status_code == 405


def test_office_marks_a_sent_mail_as_bounced(
    client_for, office, release, press_list, django_capture_on_commit_callbacks
):
    member(press_list, consenting_contact())
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    url = reverse("news:delivery_bounce", kwargs={"pk": release.pk, "delivery_pk": delivery.pk})
    client = client_for(office)
    assert client.get(url).status_code == 405
    client.post(url, {"reason": "Postfach existiert nicht"})
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == (D.BOUNCED, "Postfach existiert nicht")


@pytest.mark.parametrize("count", [2, 8])
def test_progress_page_query_count_is_constant(
    client_for, office, release, press_list, django_assert_num_queries, logged_in_queries, count
):
    for i in range(count):
        member(press_list, consenting_contact(last_name=f"Empf{i}"))
    mailing.distribution_send(release=release, user=office, lists=[press_list])
    client = client_for(office)
    url = reverse("news:distribution_progress", kwargs={"pk": release.pk})
    client.get(url)
    with django_assert_num_queries(logged_in_queries(10)):
        client.get(url)


def test_merge_moves_deliveries_to_the_kept_contact(
    release, press_list, office, django_capture_on_commit_callbacks
):
    keep = consenting_contact(last_name="Behalten", email="behalten@example.org")
    merge = member(press_list, consenting_contact(last_name="Doppelt", email="doppelt@example.org"))
    send(release, office, [press_list], capture=django_capture_on_commit_callbacks)
    stakeholder_services.contact_merge(keep=keep, merge=merge, user=office)
    assert Delivery.objects.get().contact == keep


def test_reconciler_gives_up_on_a_delivery_that_keeps_crashing(release, office, settings):
    contact = consenting_contact()
    distribution = Distribution.objects.create(release=release, created_by=office)
    stuck = Delivery.objects.create(
        distribution=distribution,
        contact=contact,
        purpose=Purpose.PRESS,
        email=contact.email,
        status=D.SENDING,
        claimed_at=timezone.now() - dt.timedelta(hours=1),
        attempts=settings.NEWS_MAX_ATTEMPTS,
    )
    assert mailing.deliveries_reconcile()["released"] == 0
    stuck.refresh_from_db()
    assert stuck.status == D.FAILED
    assert "abgebrochen" in stuck.error
    assert mail.outbox == []


# --- Batches -------------------------------------------------------------------------------


def queued_deliveries(release, office, press_list, n, tag="Batch"):
    for i in range(n):
        member(press_list, consenting_contact(last_name=f"{tag}{i:03d}"))
    mailing.distribution_send(release=release, user=office, lists=[press_list])  # not committed
    return list(
        Delivery.objects.filter(distribution__release=release)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


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


def test_a_programming_error_is_no_smtp_error(release, office, press_list):
    """A bug while building a mail propagates (the task fails visibly); it is not recorded
    as a temporary SMTP failure. What was sent is logged, what was not tried is queued."""
    ids = queued_deliveries(release, office, press_list, 4)
    real_build = mailing.build_message
    calls = []

    def build_with_a_bug(delivery, *args, **kwargs):
        calls.append(delivery.pk)
        if len(calls) == 3:
            raise TypeError("ein Programmierfehler")
        return real_build(delivery, *args, **kwargs)

    with (
        mock.patch.object(mailing.sending, "build_message", build_with_a_bug),
        pytest.raises(TypeError),
    ):
        mailing.deliveries_send(delivery_ids=ids)
    rows = {d.pk: d for d in Delivery.objects.filter(pk__in=ids)}
    assert [rows[pk].status for pk in ids] == [D.SENT, D.SENT, D.SENDING, D.QUEUED]
    assert all("Vorübergehender" not in d.error for d in rows.values())
    assert (rows[ids[3]].attempts, rows[ids[3]].claimed_at) == (0, None)
    assert len(mail.outbox) == 2
    assert Interaction.objects.filter(channel=Interaction.Channel.MAILING).count() == 2


def test_worker_killed_mid_batch_loses_nothing_and_logs_each_mail_once(
    release, office, press_list, django_capture_on_commit_callbacks
):
    """Simulate SIGKILL after two mails of a batch: no cleanup runs (no give-back, no
    history). The reconciler hands the claimed rows back and logs the two sent mails."""
    ids = queued_deliveries(release, office, press_list, 5)
    real_send = mail.EmailMessage.send
    sends = []

    def send_then_die(message, *args, **kwargs):
        if len(sends) == 2:
            raise KeyboardInterrupt  # stands in for the process dying here
        sends.append(message.to[0])
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(mail.EmailMessage, "send", send_then_die),
        mock.patch.object(mailing.sending, "_give_back"),
        mock.patch.object(mailing.sending, "record_history"),
        pytest.raises(KeyboardInterrupt),
    ):
        mailing.deliveries_send(delivery_ids=ids)
    assert Delivery.objects.filter(status=D.SENT).count() == 2
    assert Delivery.objects.filter(status=D.SENDING).count() == 3
    assert not Interaction.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        mailing.deliveries_reconcile(stale_seconds=0)
    assert Delivery.objects.filter(status=D.SENT).count() == 5
    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == sorted(set(recipients))
    assert len(recipients) == 5
    contacts = Interaction.objects.filter(channel=Interaction.Channel.MAILING).values_list(
        "contact_id", flat=True
    )
    assert sorted(contacts) == sorted(set(contacts))
    assert len(contacts) == 5
