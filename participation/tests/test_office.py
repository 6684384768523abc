"""The office's side: moderation, answer, export, summary, settings; and what others see."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.models import Contribution, Participation
from projects.tests.factories import ProjectFactory
from stakeholders.models import Contact, Interaction

from .factories import ContributionFactory, ParticipationFactory, support_for
from .helpers import list_url

pytestmark = pytest.mark.django_db


def detail(contribution):
    return reverse("participation:office_detail", kwargs={"pk": contribution.pk})


@pytest.fixture
def pending():
    return ContributionFactory(
        status="pending",
        email="autorin@example.org",
        confirmed_at=timezone.now(),
        text=(
            "Siehe https://example.org/plan und <script>alert(1)</script> "
            "[klick](javascript:alert(1))"
        ),
    )


def test_accept_publishes_and_links_are_clickable_only_then(
    client_for, office, pending, django_capture_on_commit_callbacks
):
    public_page = Client().get(list_url(pending.participation)).content.decode()
    assert pending.title not in public_page
    office_page = client_for(office).get(detail(pending)).content.decode()
    assert 'href="https://example.org/plan"' not in office_page  # not clickable before
    assert "https://example.org/plan" in office_page
    assert "<script>alert" not in office_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(office).post(
            detail(pending), {"step": "moderate", "action": "accept"}
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "accepted"
    assert pending.moderated_by == office
    assert mail.outbox[-1].to == ["autorin@example.org"]
    page = Client().get(list_url(pending.participation)).content.decode()
    assert pending.title in page
    assert 'href="https://example.org/plan" rel="nofollow ugc noopener noreferrer"' in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "autorin@example.org" not in page


def test_reject_needs_a_reason_which_the_author_gets(
    client_for, office, pending, django_capture_on_commit_callbacks
):
    client = client_for(office)
    response = client.post(detail(pending), {"step": "moderate", "action": "reject"})
    assert response.status_code == 400
    assert "Grund" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            detail(pending),
            {"step": "moderate", "action": "reject", "reason": "Beleidigende Inhalte."},
        )
    pending.refresh_from_db()
    assert pending.status == "rejected"
    assert "Beleidigende Inhalte." in mail.outbox[-1].body
    again = client.post(detail(pending), {"step": "moderate", "action": "accept"})
    assert again.status_code == 409
    assert "bereits moderiert" in again.content.decode()


def test_merge_a_duplicate_and_answer(
    client_for, office, pending, django_capture_on_commit_callbacks
):
    original = ContributionFactory(participation=pending.participation)
    client = client_for(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            detail(pending), {"step": "moderate", "action": "merge", "merge_into": original.pk}
        )
    pending.refresh_from_db()
    assert pending.status == "merged"
    assert pending.merged_into == original
    assert original.title in mail.outbox[-1].body
    bad = client.post(detail(original), {"step": "answer", "answer_status": "implementing"})
    assert bad.status_code == 400
    client.post(
        detail(original),
        {"step": "answer", "answer_status": "implementing", "answer_text": "Kommt im Mai."},
    )
    page = Client().get(list_url(original.participation)).content.decode()
    assert "Antwort des Projektbüros" in page
    assert "wird umgesetzt" in page
    assert "Kommt im Mai." in page
    assert pending.title not in page


def test_contact_history_only_with_consent(client_for, office):
    contact = Contact.objects.create(first_name="Ida", last_name="Idee", email="ida@example.org")
    with_consent = ContributionFactory(
        status="pending", email="ida@example.org", confirmed_at=timezone.now(), contact_consent=True
    )
    without = ContributionFactory(
        status="pending", email="ida@example.org", confirmed_at=timezone.now()
    )
    for contribution in (with_consent, without):
        client_for(office).post(detail(contribution), {"step": "moderate", "action": "accept"})
    with_consent.refresh_from_db()
    without.refresh_from_db()
    assert with_consent.contact == contact
    assert without.contact is None
    assert Interaction.objects.filter(contact=contact).count() == 1


@pytest.mark.parametrize("role", ["partner_soest", "partner_lippstadt", "steering", "no_role_user"])
def test_office_pages_are_the_offices(client_for, request, role, pending):
    user = request.getfixturevalue(role)
    client = client_for(user)
    for url in (
        reverse("participation:office_list"),
        detail(pending),
        reverse("participation:office_export", kwargs={"fmt": "csv"}),
    ):
        assert client.get(url).status_code == 403
    response = client.post(detail(pending), {"step": "moderate", "action": "accept"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"
    # On the public page they see what the public sees: nothing unaccepted.
    assert pending.title not in client.get(list_url(pending.participation)).content.decode()


def test_list_filters_and_export_is_injection_safe_without_addresses(client_for, office):
    p1 = ParticipationFactory()
    p2 = ParticipationFactory()
    ContributionFactory(participation=p1, title="=HYPERLINK(evil)", email="geheim@example.org")
    ContributionFactory(participation=p2, title="Anderes Projekt", status="rejected")
    client = client_for(office)
    page = client.get(
        reverse("participation:office_list"), {"project": p1.project.slug}
    ).content.decode()
    assert "=HYPERLINK(evil)" in page
    assert "Anderes Projekt" not in page
    page = client.get(reverse("participation:office_list"), {"status": "rejected"}).content.decode()
    assert "Anderes Projekt" in page
    assert "HYPERLINK" not in page
    csv = b"".join(
        client.get(reverse("participation:office_export", kwargs={"fmt": "csv"})).streaming_content
    ).decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in csv
    assert "geheim@example.org" not in csv
    xlsx = client.get(reverse("participation:office_export", kwargs={"fmt": "xlsx"}))
    assert xlsx.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    titles = [row[3] for row in sheet.iter_rows(values_only=True)]
    assert "'=HYPERLINK(evil)" in titles
    assert (
        client.get(reverse("participation:office_export", kwargs={"fmt": "pdf"})).status_code == 404
    )


def test_summary_counts_with_a_table(client_for, office):
    participation = ParticipationFactory()
    ContributionFactory(participation=participation, category="Mobilität")
    ContributionFactory(participation=participation, category="Mobilität", status="rejected")
    ContributionFactory(participation=participation, status="pending")
    support_for(Contribution.objects.first(), confirmed=True)
    page = (
        client_for(office)
        .get(reverse("participation:office_summary", kwargs={"slug": participation.project.slug}))
        .content.decode()
    )
    assert "<caption>Beiträge nach Status (insgesamt 3)</caption>" in page
    assert '<th scope="row">Mobilität</th><td>2</td>' in page
    assert '<th scope="row">ohne Kategorie</th><td>1</td>' in page
    assert 'aria-hidden="true"' in page  # the chart; the table carries the numbers


def test_settings_switch_on_only_for_public_projects(client_for, office):
    public = ProjectFactory(is_public=True)
    private = ProjectFactory(is_public=False)
    data = {
        "enabled": "on",
        "question": "Was wünschen Sie sich?",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "categories": "Verkehr\nGrün",
    }
    client = client_for(office)
    url = reverse("participation:office_settings", kwargs={"slug": private.slug})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "nur für öffentliche Projekte" in response.content.decode()
    assert not Participation.objects.exists()
    url = reverse("participation:office_settings", kwargs={"slug": public.slug})
    bad = client.post(url, {**data, "ends_on": "2025-01-01"})
    assert "Das Ende liegt vor dem Beginn" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    participation = Participation.objects.get()
    assert participation.category_list == ["Verkehr", "Grün"]
    assert participation.ends_on == datetime.date(2026, 12, 31)


def test_decision_mails_go_once_however_often_the_task_runs():
    from participation.tasks import send_confirmation, send_decision

    contribution = ContributionFactory(email="einmal@example.org", confirmed_at=timezone.now())
    contribution.moderated_at = timezone.now()
    contribution.save()
    assert send_decision(contribution.pk, "accepted") is True
    assert send_decision(contribution.pk, "accepted") is False
    assert send_decision(contribution.pk, "rejected") is False  # not the current state
    waiting = ContributionFactory(status="unconfirmed", email="neu@example.org")
    assert send_confirmation(waiting.pk) is True
    assert send_confirmation(waiting.pk) is False
    assert len(mail.outbox) == 2
