"""Background jobs of the projects app. Each takes ids, calls one service and is idempotent."""

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
