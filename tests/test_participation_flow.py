"""Participation end to end against a real SMTP server (aiosmtpd): submit, confirm, accept,
answer, author notified, support once, withdraw; and nothing unaccepted and no address in any
public page, panel, feed or search, for any role."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from participation.forms import ContributionForm, SupportForm
from participation.models import Contribution, Support
from participation.tests.factories import ContributionFactory, ParticipationFactory
from subscriptions.tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings):
    cache.clear()
    settings.PARTICIPATION_MIN_FILL_SECONDS = 0
    with SmtpSink() as server:
        server.configure(settings)
        yield server
    cache.clear()


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_moderation_flow_over_real_smtp(
    sink, client_for, office, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory()
    slug = participation.project.slug
    citizen = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(
            reverse("participation:public_list", kwargs={"slug": slug}),
            {
                "kind": "idea",
                "title": "Sonnensegel am Spielplatz",
                "text": "Im Sommer ist es dort zu heiß.",
                "author_name": "Clara Citizen",
                "show_name": "on",
                "email": "clara@example.org",
                "consent": "on",
                "started": ContributionForm(participation=participation).initial["started"],
            },
        )
    assert response.status_code == 302
    ((rcpts, confirm_mail),) = sink.wait_for(1)
    assert rcpts == ["clara@example.org"]
    confirm = _path(sink.link(confirm_mail, "/beteiligung/bestaetigen/"))
    withdraw = _path(sink.link(confirm_mail, "/beteiligung/zurueckziehen/"))
    with django_capture_on_commit_callbacks(execute=True):
        assert citizen.post(confirm).status_code == 200
    contribution = Contribution.objects.get()
    assert contribution.status == "pending"

    staff = client_for(office)
    detail = reverse("participation:office_detail", kwargs={"pk": contribution.pk})
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(detail, {"step": "moderate", "action": "accept"})
    _rcpts, accepted_mail = sink.wait_for(2)[1]
    assert "veröffentlicht" in accepted_mail["Subject"]
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            detail,
            {"step": "answer", "answer_status": "reviewing", "answer_text": "Wir prüfen das."},
        )
    _rcpts, answer_mail = sink.wait_for(3)[2]
    assert "Wir prüfen das." in sink.text(answer_mail)
    assert "wird geprüft" in sink.text(answer_mail)
    page = citizen.get(reverse("participation:public_list", kwargs={"slug": slug})).content
    assert b"Wir pr\xc3\xbcfen das." in page
    assert b"Clara Citizen" in page
    assert b"clara@example.org" not in page

    supporter = Client()
    support_url = reverse("participation:support", kwargs={"slug": slug, "pk": contribution.pk})
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            supporter.post(
                support_url,
                {"email": "fan@example.org", "started": SupportForm().initial["started"]},
            )
    messages = sink.wait_for(5)
    links = [_path(sink.link(m, "/beteiligung/unterstuetzung/")) for _r, m in messages[3:5]]
    assert supporter.post(links[0]).status_code == 200
    assert supporter.post(links[1]).status_code in (400, 409)
    assert "bereits verwendet" in supporter.post(links[0]).content.decode()
    assert Support.objects.filter(confirmed_at__isnull=False).count() == 1

    assert citizen.post(withdraw, {"what": "all"}).status_code == 200
    contribution.refresh_from_db()
    assert contribution.status == "withdrawn"
    assert contribution.email == ""
    assert Support.objects.count() == 0
    page = citizen.get(reverse("participation:public_list", kwargs={"slug": slug})).content
    assert b"Sonnensegel" not in page


SECRET_MARKERS = ("Heimlich-Wartend", "Heimlich-Abgelehnt", "Heimlich-Unbestaetigt")


@pytest.mark.parametrize(
    "role",
    [None, "office", "partner_soest", "partner_lippstadt", "steering", "no_role_user"],
)
def test_unaccepted_contributions_and_addresses_are_never_public(request, role, index_now):
    participation = ParticipationFactory()
    accepted = ContributionFactory(
        participation=participation, title="Offene Idee", email="geheim-adresse@example.org"
    )
    ContributionFactory(participation=participation, title=SECRET_MARKERS[0], status="pending")
    ContributionFactory(
        participation=participation,
        title=SECRET_MARKERS[1],
        status="rejected",
        reject_reason="Grund-Geheim",
    )
    ContributionFactory(
        participation=participation,
        title=SECRET_MARKERS[2],
        status="unconfirmed",
        confirmed_at=None,
        created_at=timezone.now(),
    )
    client = Client()
    if role:
        client.force_login(request.getfixturevalue(role))
    slug = participation.project.slug
    urls = [
        reverse("participation:public_list", kwargs={"slug": slug}),
        reverse("participation:support", kwargs={"slug": slug, "pk": accepted.pk}),
        reverse("news:feed_rss"),
        reverse("news:feed_atom"),
        reverse("news:public_list"),
    ]
    if role:
        urls += ["/suche/?q=Heimlich", "/suche/?q=geheim-adresse"]
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for marker in (*SECRET_MARKERS, "geheim-adresse@example.org", "Grund-Geheim"):
            # (the search page repeats the query, so the queries are parts of the markers)
            assert marker not in text, f"{marker} in {url} ({role})"
    # The panel on the public project page: only the published teaser.
    http_request = RequestFactory().get("/")
    http_request.user = request.getfixturevalue(role) if role else None
    html = Template('{% load soest_panels %}{% panels "public_project_detail" project %}').render(
        Context({"project": participation.project, "request": http_request})
    )
    assert "Offene Idee" in html
    assert participation.question in html
    for marker in (*SECRET_MARKERS, "geheim-adresse@example.org"):
        assert marker not in html
