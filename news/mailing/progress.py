"""How far a distribution has got, counted by delivery status (the progress bar)."""

from __future__ import annotations

from django.db.models import Count

from ..models import Delivery, Distribution


def distribution_progress(distribution: Distribution) -> dict:
    counts = dict(
        distribution.deliveries.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    finished = sum(
        counts.get(s, 0)
        for s in (
            Delivery.Status.SENT,
            Delivery.Status.FAILED,
            Delivery.Status.SKIPPED,
            Delivery.Status.BOUNCED,
        )
    )
    return {
        "total": total,
        "finished": finished,
        "percent": round(100 * finished / total) if total else 100,
        "counts": {s: counts.get(s, 0) for s in Delivery.Status.values},
        "done": finished == total,
    }
