"""Background jobs of the meetings app. Each takes ids and calls one service."""

from celery import shared_task

from .services import invitations, reminders


@shared_task
def send_invitations(meeting_id: int) -> dict:
    """Send the queued invitation mails of a meeting. Idempotent (rows claim themselves)."""
    return invitations.invitations_send(meeting_id)


@shared_task
def reconcile_invitations() -> int:
    """Beat, every few minutes: queue again invitations stuck in "sending"."""
    return invitations.invitations_reconcile()


@shared_task
def remind_overdue_action_items() -> int:
    """Beat, daily: remind the owners of overdue action items (once per item and day)."""
    return reminders.remind_overdue()
