"""Read-only questions about participation for pages, panels and the open-data API."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from .models import Contribution
from .rules import published_q


def accepted_contributions() -> QuerySet:
    """Every published contribution (accepted, public project, participation on), with its
    project, answer and number of supports: the one source for the public page and the
    open-data API. Contains no address: callers must not add any."""
    return (
        Contribution.objects.filter(published_q())
        .select_related("participation__project")
        .annotate(support_count=Count("supports", filter=Q(supports__confirmed_at__isnull=False)))
        .order_by("-created_at", "-pk")
    )


def status_counts(participation) -> list[dict]:
    counts = dict(
        Contribution.objects.filter(participation=participation)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {"key": key, "label": label, "n": counts.get(key, 0)}
        for key, label in Contribution.Status.choices
    ]


def category_counts(participation) -> list[dict]:
    rows = (
        Contribution.objects.filter(participation=participation)
        .exclude(status__in=[Contribution.Status.UNCONFIRMED, Contribution.Status.WITHDRAWN])
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("category")
    )
    return [{"label": r["category"] or _("ohne Kategorie"), "n": r["n"]} for r in rows]


def with_bars(rows: list[dict]) -> list[dict]:
    """Each row with its bar width in percent of the largest count (for the CSS chart)."""
    top = max((r["n"] for r in rows), default=0) or 1
    return [r | {"percent": round(100 * r["n"] / top)} for r in rows]


def office_contributions(queryset) -> QuerySet:
    return queryset.select_related("participation__project").prefetch_related(
        Prefetch("merged_into", queryset=Contribution.objects.only("pk", "title"))
    )
