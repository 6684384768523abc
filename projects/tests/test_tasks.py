"""Reminders, immediate mails and the weekly digest: each cause mails a person once."""

import datetime

import pytest
from django.core import mail

from projects import notifications, tasks
from projects.models import DigestRun, Notification, ProjectContact, ProjectUserSettings

from .factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def stale_project(partner_soest):
    """No report for 120 days and a milestone overdue; Soest's partner is the contact."""
    project = ProjectFactory(
        title="Bürgerbeteiligung online",
        start_date=TODAY - datetime.timedelta(days=200),
        last_report_date=TODAY - datetime.timedelta(days=120),
    )
    ProjectContact.objects.create(
        project=project, municipality=partner_soest.municipality, user=partner_soest
    )
    MilestoneFactory(
        project=project,
        title="Beteiligungsportal live",
        due_date=TODAY - datetime.timedelta(days=3),
    )
    return project


def immediate(user):
    ProjectUserSettings.objects.update_or_create(user=user, defaults={"mail_mode": "immediate"})


def test_reminders_are_sent_once_per_cause(
    stale_project, partner_soest, django_capture_on_commit_callbacks
):
    immediate(partner_soest)
    with django_capture_on_commit_callbacks(execute=True):
        created = notifications.reminders_run(today=TODAY)
    assert created == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "Erinnerung: Sachstandsbericht für „Bürgerbeteiligung online“",
        "Meilenstein überfällig: Beteiligungsportal live",
    ]
    assert all(m.to == [partner_soest.email] for m in mail.outbox)

    # Second run the same day, and a week later within the same period: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.reminders_run(today=TODAY) == 0
        assert notifications.reminders_run(today=TODAY + datetime.timedelta(days=7)) == 0
    assert len(mail.outbox) == 2


def test_next_period_without_report_reminds_again(stale_project, partner_soest):
    notifications.reminders_run(today=TODAY)
    later = TODAY + datetime.timedelta(days=90)
    assert notifications.reminders_run(today=later) == 1  # the milestone is the same cause
    assert Notification.objects.filter(kind="reminder_report").count() == 2


def test_no_reminder_for_finished_or_reported_projects(stale_project, partner_soest):
    stale_project.last_report_date = TODAY - datetime.timedelta(days=10)
    stale_project.save()
    stale_project.milestones.update(done_date=TODAY)
    assert notifications.reminders_run(today=TODAY) == 0
    ProjectFactory(status="completed", start_date=TODAY - datetime.timedelta(days=400))
    assert notifications.reminders_run(today=TODAY) == 0


def test_without_contacts_the_lead_municipality_partners_are_reminded(partner_lippstadt):
    from soest_office.tests.factories import municipality

    ProjectFactory(
        lead_municipality=municipality("lippstadt"), start_date=TODAY - datetime.timedelta(days=95)
    )
    notifications.reminders_run(today=TODAY)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["lippstadt"]


def test_delivering_twice_sends_one_mail(stale_project, partner_soest):
    notifications.reminders_run(today=TODAY)
    notification = Notification.objects.first()
    assert tasks.deliver_notification.delay(notification_id=notification.pk).get() is True
    assert tasks.deliver_notification.delay(notification_id=notification.pk).get() is False
    assert len(mail.outbox) == 1


def test_digest_users_get_one_weekly_mail(stale_project, partner_soest, office, settings):
    settings.PROJECTS_DIGEST_WEEKDAY = 0
    notifications.reminders_run(today=TODAY)  # digest is the default: nothing mailed yet
    assert mail.outbox == []

    assert notifications.digest_send(user_id=partner_soest.pk, week="2026-W23", today=TODAY)
    assert notifications.digest_send(user_id=office.pk, week="2026-W23", today=TODAY)
    # Running the job again in the same week sends nothing.
    assert not notifications.digest_send(user_id=partner_soest.pk, week="2026-W23", today=TODAY)

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    partner_mail = by_recipient[partner_soest.email]
    assert "Wochenübersicht" in partner_mail.subject
    assert "Beteiligungsportal live" in partner_mail.body
    office_mail = by_recipient[office.email]
    assert "Überfällige Meilensteine" in office_mail.body
    assert "Bürgerbeteiligung online" in office_mail.body
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    assert DigestRun.objects.count() == 2


def test_immediate_users_are_not_mailed_again_in_the_digest(
    stale_project, partner_soest, django_capture_on_commit_callbacks
):
    immediate(partner_soest)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.reminders_run(today=TODAY)
    assert len(mail.outbox) == 2
    assert not notifications.digest_send(user_id=partner_soest.pk, week="2026-W23", today=TODAY)
    assert len(mail.outbox) == 2


def test_weekly_job_waits_for_the_configured_weekday(settings, office, monkeypatch):
    settings.PROJECTS_DIGEST_WEEKDAY = 6  # Sunday
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 6, 1))  # a Monday
    assert tasks.send_weekly_digests.delay().get() == 0
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 6, 7))  # Sunday
    assert tasks.send_weekly_digests.delay().get() == 1
    assert DigestRun.objects.filter(recipient=office, week="2026-W23").exists()


def test_users_choose_their_mail_mode(client_for, steering):
    response = client_for(steering).post("/projekte/einstellungen/", {"mail_mode": "immediate"})
    assert response.status_code == 302
    assert ProjectUserSettings.objects.get(user=steering).mail_mode == "immediate"
    bad = client_for(steering).post("/projekte/einstellungen/", {"mail_mode": "stündlich"})
    assert "Bitte eine gültige Auswahl treffen." in bad.content.decode()
