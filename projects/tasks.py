"""Background jobs of the projects app. Each takes ids, calls one service and is idempotent."""

import datetime
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import notifications

MAIL_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 6,
}


@shared_task(**MAIL_RETRY)
def deliver_notification(*, notification_id: int) -> bool:
    """Mail one notification; a second call (or a redelivered task) sends nothing."""
    return notifications.deliver(notification_id)


def _report_for_message(report_id: int):
    from .models import ProgressReport

    return (
        ProgressReport.objects.select_related("project__responsible", "author")
        .filter(pk=report_id)
        .first()
    )


# The report workflow's messages, queued by projects.services.reports after commit: the
# request that submits, accepts or returns a report only writes the report (and project);
# finding the recipients, writing their Notification rows and queuing the mails runs here.
# Each takes the event's own values (status, moment, comment, lights), so a report that moved
# on before the task ran still gets the message of the event that happened. Idempotent: the
# notification's cause names the report and the moment, so a second run creates nothing.


@shared_task(acks_late=True)
def notify_report_submitted(*, report_id: int, submitted_at: str) -> int:
    """Notify the office of a submitted report. Returns the number of new notifications."""
    report = _report_for_message(report_id)
    if report is None:
        return 0
    at = datetime.datetime.fromisoformat(submitted_at)
    return len(notifications.report_submitted(report, submitted_at=at))


@shared_task(acks_late=True)
def notify_report_reviewed(*, report_id: int, status: str, reviewed_at: str, comment: str) -> int:
    """Notify the author that the report was accepted or returned."""
    report = _report_for_message(report_id)
    if report is None:
        return 0
    at = datetime.datetime.fromisoformat(reviewed_at)
    return len(
        notifications.report_reviewed(report, status=status, reviewed_at=at, comment=comment)
    )


@shared_task(acks_late=True)
def notify_light_changed(*, report_id: int, old_light: str, new_light: str, reason: str) -> int:
    """Notify the office that an accepted report changed the project's traffic light."""
    report = _report_for_message(report_id)
    if report is None:
        return 0
    return len(
        notifications.light_changed(
            report.project, old_light=old_light, new_light=new_light, reason=reason, report=report
        )
    )


@shared_task
def send_reminders() -> int:
    """Create reminders for missing reports and overdue milestones (once per cause) and
    queue their immediate mails; the rest waits for the digest. Safe to run any number of
    times a day."""
    return notifications.reminders_run(today=timezone.localdate())


@shared_task
def send_weekly_digests() -> int:
    """From the configured weekday on, queue one digest per user and ISO week."""
    today = timezone.localdate()
    if today.weekday() < settings.PROJECTS_DIGEST_WEEKDAY:
        return 0
    week = notifications.iso_week(today)
    user_ids = notifications.digest_recipients(today=today)
    for user_id in user_ids:
        send_digest.delay(user_id=user_id, week=week)
    return len(user_ids)


@shared_task(**MAIL_RETRY)
def send_digest(*, user_id: int, week: str) -> bool:
    """One user's digest for one week, at most once (DigestRun row)."""
    return notifications.digest_send(user_id=user_id, week=week)
