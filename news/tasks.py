"""Background jobs of the news app. Each takes ids and calls one service."""

from celery import shared_task

from . import mailing, services


@shared_task
def publish_due_releases() -> list[int]:
    """Beat, every 30 s: publish the scheduled releases whose time has come. Exactly once per
    release even with several workers (conditional UPDATE in the service)."""
    return services.publish_due_releases()


@shared_task
def send_at_publication(release_id: int) -> int:
    """After a release is published: send it to the lists chosen for "send at
    publication", exactly once (the service's conditional UPDATE)."""
    return mailing.send_at_publication(release_id=release_id)


@shared_task
def dispatch_distribution(distribution_id: int) -> int:
    """Fan a distribution out into batch tasks. Idempotent (batches claim rows)."""
    return mailing.distribution_dispatch(distribution_id=distribution_id)


@shared_task
def send_delivery_batch(delivery_ids: list[int]) -> dict:
    """Send one batch over one SMTP connection. Rows hit by a temporary error are queued
    again with a backoff time; this task re-runs the batch then (the rows claim themselves
    again, finished ones are skipped). If that retry is lost, the reconciler picks them up."""
    summary = mailing.deliveries_send(delivery_ids=delivery_ids)
    if summary["retry_in"]:
        send_delivery_batch.apply_async(args=[delivery_ids], countdown=int(summary["retry_in"]) + 1)
    return summary


@shared_task
def reconcile_deliveries() -> dict:
    """Beat, every 2 minutes: re-queue deliveries stuck in "sending" or "queued"."""
    return mailing.deliveries_reconcile()
