"""The pages of a press mailing: choosing recipients, sending, progress and status, bounces;
the office's only."""

import pytest
from django.core import mail
from django.urls import reverse

from news import mailing
from news.models import Delivery
from news.tests.factories import PressReleaseFactory
from news.tests.mailing_helpers import D, member, send
from stakeholders.tests.factories import ContactFactory, consenting_contact

pytestmark = pytest.mark.django_db


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
