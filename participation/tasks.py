"""Background jobs of participation. Each takes ids and calls one service."""

from celery import shared_task

from . import services


@shared_task
def send_confirmation(contribution_id: int) -> bool:
    """The double opt-in mail of a contribution (nothing once confirmed or deleted)."""
    return services.confirmation_send(contribution_id=contribution_id)


@shared_task
def send_support_confirmation(support_id: int) -> bool:
    return services.support_confirmation_send(support_id=support_id)


@shared_task
def send_decision(contribution_id: int, event: str) -> bool:
    """Tell the author: accepted, rejected (with the reason), merged, answered."""
    return services.decision_send(contribution_id=contribution_id, event=event)


@shared_task
def apply_retention() -> dict:
    """Beat: delete unconfirmed rows after 7 days; remove addresses after the set time."""
    return services.retention_apply()
