"""Background jobs of the subscriptions app. Each takes ids and calls one service."""

from celery import shared_task

from . import services


@shared_task
def send_confirmation_mail(request_id: int) -> bool:
    """The double opt-in mail of one request (nothing if it was confirmed or deleted)."""
    return services.confirmation_send(request_id=request_id)


@shared_task
def send_manage_link_mail(subscription_id: int) -> bool:
    """An already subscribed address asked again: send its manage link."""
    return services.manage_link_send(subscription_id=subscription_id)


@shared_task
def fanout_release(release_id: int) -> int:
    """Deliveries of a published release to matching "at once" subscribers; idempotent."""
    return services.release_fanout(release_id=release_id)


@shared_task
def fanout_recent_releases() -> int:
    """Beat: the safety net for fan-outs lost between commit and broker; idempotent."""
    return services.fanout_recent()


@shared_task
def compose_weekly_digests() -> list[int]:
    """Beat, weekly: compose and queue the overviews; idempotent per week and subscriber."""
    return services.digests_compose_all()


@shared_task
def send_digest(digest_id: int) -> str:
    """Send one overview (claimed before sending; never twice by two workers)."""
    return services.digest_send(digest_id=digest_id)


@shared_task
def reconcile_digests() -> int:
    """Beat: re-queue overviews stuck in "sending" or waiting in "queued"."""
    return services.digests_reconcile()


@shared_task
def cleanup_requests() -> int:
    """Beat, daily: delete subscription requests older than the retention (7 days)."""
    return services.requests_cleanup()
