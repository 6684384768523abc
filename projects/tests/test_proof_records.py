"""A created Verwendungs-/Zwischennachweis is kept as a record; once the office marks it
submitted ("eingereicht"), the reminders for the proof it covers stop."""

import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from projects.dashboard import dashboard_data
from projects.models import Notification, ProofRecord
from projects.notifications import proof_reminders_run
from projects.services import proof as proofs
from soest_office.models import ExportJob

from .factories import FundingDecisionFactory, ProjectFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def due_decision(db):
    """A decision whose Verwendungsnachweis is due within the next 30 days (reminded now);
    its project is led by Soest, Lippstadt takes part."""
    today = timezone.localdate()
    decision = FundingDecisionFactory(
        project=ProjectFactory(title="Nachweisprojekt", participants=["lippstadt"]),
        period_start=today - 400 * DAY,
        period_end=today - 170 * DAY,
        final_proof_months=6,
    )
    (due,) = [d for d in proofs.due_dates(decision) if d.kind == proofs.FINAL]
    assert today < due.due <= today + 30 * DAY
    return decision


def record(decision, *, kind=ProofRecord.Kind.FINAL, status=ProofRecord.Status.DRAFT, **kw):
    return ProofRecord.objects.create(
        funding_decision=decision,
        kind=kind,
        date_from=kw.pop("date_from", decision.period_start),
        date_to=kw.pop("date_to", decision.period_end),
        status=status,
        submitted_on=timezone.localdate() if status == ProofRecord.Status.SUBMITTED else None,
        **kw,
    )


def reminders():
    return Notification.objects.filter(kind=Notification.Kind.REMINDER_PROOF)


def proof_url(decision, kind="final"):
    return reverse("projects:proof_of_use", args=[decision.project.slug, decision.pk, kind])


def submitted_url(decision, proof):
    return reverse("projects:proof_submitted", args=[decision.project.slug, decision.pk, proof.pk])


def test_creating_a_proof_keeps_a_draft_record_linked_to_its_job(
    client_for, office, due_decision, django_capture_on_commit_callbacks
):
    client = client_for(office)
    period = {
        "date_from": due_decision.period_start.isoformat(),
        "date_to": due_decision.period_end.isoformat(),
        "output": "xlsx",
    }
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(proof_url(due_decision), period)
        again = client.post(proof_url(due_decision), period)
    assert first.status_code == again.status_code == 302

    (kept,) = ProofRecord.objects.all()
    jobs = list(ExportJob.objects.order_by("pk"))
    assert len(jobs) == 2
    assert (kept.kind, kept.status, kept.output) == ("final", "draft", "xlsx")
    assert (kept.date_from, kept.date_to) == (due_decision.period_start, due_decision.period_end)
    assert kept.created_by == office
    # The draft of the same period is reused; its history keeps the first job.
    assert kept.export_job == jobs[1]
    assert [h.export_job_id for h in kept.history.order_by("history_id")] == [
        jobs[0].pk,
        jobs[1].pk,
    ]
    # An interim proof is a record of its own.
    with django_capture_on_commit_callbacks(execute=False):
        client.post(proof_url(due_decision, "interim"), period)
    assert ProofRecord.objects.filter(kind="interim").count() == 1


def test_a_draft_does_not_stop_the_reminder(office, due_decision):
    record(due_decision)
    assert proof_reminders_run(today=timezone.localdate()) == 1
    reminder = reminders().get()
    assert reminder.recipient == office
    assert "vermerken Sie das dort unter „Erstellte Nachweise“" in reminder.body


def test_a_submitted_proof_ends_the_reminder_and_leaves_the_dashboard(
    office, steering, due_decision
):
    today = timezone.localdate()
    assert [d.decision for d in dashboard_data(steering, today=today)["proofs_due"]] == [
        due_decision
    ]
    proofs.mark_submitted(record(due_decision), submitted_on=today, user=office)

    assert proof_reminders_run(today=today) == 0
    assert proof_reminders_run(today=today + 20 * DAY) == 0  # overdue days too
    assert not reminders().exists()
    assert dashboard_data(steering, today=today)["proofs_due"] == []


@pytest.mark.parametrize(
    ("kind", "shift", "reminded"),
    [
        # A submitted Zwischennachweis is no Verwendungsnachweis.
        ("interim", 0, 1),
        # A Verwendungsnachweis for only part of the period does not cover it.
        ("final", 1, 1),
        # One for a period that contains the approval period does.
        ("final", -1, 0),
    ],
)
def test_only_a_covering_submitted_proof_ends_the_reminder(
    office, due_decision, kind, shift, reminded
):
    record(
        due_decision,
        kind=kind,
        status=ProofRecord.Status.SUBMITTED,
        date_from=due_decision.period_start + shift * DAY,
    )
    assert proof_reminders_run(today=timezone.localdate()) == reminded


def test_a_submitted_interim_proof_ends_only_its_own_reminder(office):
    today = timezone.localdate()
    decision = FundingDecisionFactory(
        period_start=today - 360 * DAY,
        period_end=today + 400 * DAY,
        interim_proof_months=12,
    )
    first, second, _final = proofs.due_dates(decision)
    assert today < first.due <= today + 30 * DAY
    record(
        decision,
        kind="interim",
        status=ProofRecord.Status.SUBMITTED,
        date_from=first.start,
        date_to=first.end,
    )
    assert proof_reminders_run(today=today) == 0
    # The next interval's proof is reminded when it comes due.
    assert proof_reminders_run(today=second.due - 5 * DAY) == 1


def test_the_office_marks_a_proof_submitted_with_its_date(client_for, office, due_decision):
    proof = record(due_decision)
    client = client_for(office)
    page = client.get(submitted_url(due_decision, proof))
    assert page.status_code == 200
    assert page.context["form"].initial["submitted_on"] == timezone.localdate()

    # A date in the future is refused in German; nothing is saved.
    tomorrow = timezone.localdate() + DAY
    refused = client.post(submitted_url(due_decision, proof), {"submitted_on": tomorrow})
    assert refused.status_code == 200
    assert "liegt in der Zukunft" in refused.content.decode()
    assert f'value="{tomorrow:%Y-%m-%d}"' in refused.content.decode()  # kept as typed
    proof.refresh_from_db()
    assert proof.status == "draft"

    day = timezone.localdate() - 3 * DAY
    done = client.post(submitted_url(due_decision, proof), {"submitted_on": day.isoformat()})
    assert done.status_code == 302
    proof.refresh_from_db()
    assert (proof.status, proof.submitted_on, proof.submitted_by) == ("submitted", day, office)
    assert proof.history.latest().history_user == office

    html = client.get(done["Location"]).content.decode()
    assert "Erstellte Nachweise" in html
    assert f"eingereicht am {day:%d.%m.%Y}" in html
    assert "als eingereicht vermerkt" in html  # the history line


@pytest.mark.parametrize(
    ("role", "get_status", "post_status"),
    [
        ("partner_soest", 403, 403),  # own project: still the office's
        ("partner_iserlohn", 403, 403),
        ("steering", 403, 403),
        ("partner_without_municipality", 403, 403),
        ("no_role_user", 404, 404),
        ("deactivated_user", 302, 302),  # cannot log in: to the login page
    ],
)
def test_only_the_office_marks_proofs_submitted(
    client, request, due_decision, role, get_status, post_status
):
    proof = record(due_decision)
    client.force_login(request.getfixturevalue(role))
    url = submitted_url(due_decision, proof)
    assert client.get(url).status_code == get_status
    today = timezone.localdate().isoformat()
    assert client.post(url, {"submitted_on": today}).status_code == post_status
    proof.refresh_from_db()
    assert proof.status == "draft"


def test_anonymous_is_sent_to_the_login(client, due_decision):
    proof = record(due_decision)
    response = client.post(submitted_url(due_decision, proof), {"submitted_on": "2026-01-01"})
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    proof.refresh_from_db()
    assert proof.status == "draft"


def test_a_record_of_another_decision_is_not_found(client_for, office, due_decision):
    other = FundingDecisionFactory(project=due_decision.project)
    proof = record(other)
    url = reverse(
        "projects:proof_submitted", args=[due_decision.project.slug, due_decision.pk, proof.pk]
    )
    assert client_for(office).get(url).status_code == 404


@pytest.mark.parametrize("role", ["steering", "partner_soest", "partner_without_municipality"])
def test_intranet_roles_read_the_records_without_the_submit_link(
    client_for, request, office, due_decision, role
):
    proofs.mark_submitted(record(due_decision), submitted_on=timezone.localdate(), user=office)
    url = reverse("projects:funding_detail", args=[due_decision.project.slug, due_decision.pk])
    html = client_for(request.getfixturevalue(role)).get(url).content.decode()
    assert "Erstellte Nachweise" in html
    assert "eingereicht am" in html
    assert "/eingereicht/" not in html


def test_marking_submitted_starts_a_new_dashboard_generation(client_for, office, due_decision):
    """The home page is cached; a proof marked submitted leaves it at once."""
    client = client_for(office)
    assert "Verwendungsnachweis</a>: Nachweisprojekt" in client.get("/").content.decode()
    proof = record(due_decision)
    client.post(submitted_url(due_decision, proof), {"submitted_on": timezone.localdate()})
    assert "Verwendungsnachweis</a>: Nachweisprojekt" not in client.get("/").content.decode()
