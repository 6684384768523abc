"""Background jobs of the news app. Each takes ids and calls one service."""

from celery import shared_task

from . import services


@shared_task
def publish_due_releases() -> list[int]:
    """Beat, every 30 s: publish the scheduled releases whose time has come. Exactly once per
    release even with several workers (conditional UPDATE in the service)."""
    return services.publish_due_releases()
