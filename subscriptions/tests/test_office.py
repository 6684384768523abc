"""Office pages: role matrix, query counts, the consent proof export."""

import csv
import io

import pytest
from django.urls import reverse

from soest_office.models import AuditEvent

from .factories import SectionFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def session_queries() -> int:
    """The database session backend (embedded) costs one query; Redis sessions none."""
    from django.conf import settings

    return 1 if settings.SESSION_ENGINE.endswith(".db") else 0


@pytest.fixture
def subscription():
    return SubscriptionFactory(sections=[SectionFactory(name="Bildung", slug="bildung")])


def urls(subscription):
    return [
        reverse("subscriptions:office_overview"),
        reverse("subscriptions:office_list"),
        reverse("subscriptions:office_subscriber", args=[subscription.pk]),
        reverse("subscriptions:office_proof_csv", args=[subscription.pk]),
    ]


def test_office_sees_every_page(client_for, office, subscription):
    client = client_for(office)
    for url in urls(subscription):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["partner_soest", "steering", "no_role_user"])
def test_others_are_refused(client_for, request, subscription, who):
    client = client_for(request.getfixturevalue(who))
    for url in urls(subscription):
        assert client.get(url).status_code in (403, 404), url


def test_unknown_subscriber_is_404(client_for, office):
    assert (
        client_for(office).get(reverse("subscriptions:office_subscriber", args=[999])).status_code
        == 404
    )


def test_anonymous_goes_to_login(client, subscription):
    response = client.get(reverse("subscriptions:office_overview"))
    assert response.status_code == 302
    assert "/konto/anmelden/" in response["Location"]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_office_pages_refuse_other_methods(client_for, office, subscription, method):
    assert (
        getattr(client_for(office), method)(reverse("subscriptions:office_list")).status_code == 405
    )


def test_overview_counts_per_topic_and_has_chart_with_table(client_for, office, subscription):
    SubscriptionFactory()
    html = client_for(office).get(reverse("subscriptions:office_overview")).content.decode()
    assert "2 aktive Abonnements" in html
    assert "<svg" in html
    assert 'role="img"' in html
    assert "Entwicklung je Monat" in html
    assert "style=" not in html
    assert "<script>" not in html


@pytest.mark.parametrize("count", [1, 8])
def test_list_query_count_is_constant(client_for, office, django_assert_num_queries, count):
    section = SectionFactory()
    for _ in range(count):
        SubscriptionFactory(sections=[section])
    client = client_for(office)
    client.get(reverse("subscriptions:office_list"))  # warm the session
    with django_assert_num_queries(8 + session_queries()):
        client.get(reverse("subscriptions:office_list"))


@pytest.mark.parametrize("count", [1, 8])
def test_overview_query_count_is_constant(client_for, office, django_assert_num_queries, count):
    for _ in range(count):
        SubscriptionFactory(sections=[SectionFactory()])
    client = client_for(office)
    client.get(reverse("subscriptions:office_overview"))
    with django_assert_num_queries(13 + session_queries()):
        client.get(reverse("subscriptions:office_overview"))


def test_proof_export_reads_back_and_is_logged(client_for, office, subscription):
    response = client_for(office).get(
        reverse("subscriptions:office_proof_csv", args=[subscription.pk])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    values = {r[0]: r[1] for r in rows if len(r) == 2}
    assert values["Quelle"] == "Web-Formular"
    assert values["Einwilligungstext (Version)"] == "1"
    assert values["Rubriken"] == "Bildung"
    assert any(r[:1] == ["Einwilligung"] for r in rows)
    event = AuditEvent.objects.get(kind="export", actor=office)
    assert event.target == f"Einwilligungsnachweis Abonnement {subscription.pk}"
    assert (event.area, event.details) == ("abo", {"format": "csv", "anzahl": 1})
