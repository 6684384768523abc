"""Subscriber numbers over time for the office page: a table and a server-rendered SVG bar
chart (no script, no inline style: the CSP allows neither)."""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Subscription

MONTHS = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]


def _month_starts(months: int) -> list[date]:
    today = timezone.localdate()
    year, month = today.year, today.month
    result = []
    for _i in range(months):
        result.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(result))


def monthly_growth(*, months: int = 12) -> list[dict]:
    """Per month: new confirmations, unsubscriptions, and active subscribers at month end.
    Three queries whatever the number of subscribers."""
    starts = _month_starts(months)
    first = starts[0]
    joined = dict(
        Subscription.objects.filter(confirmed_at__date__gte=first)
        .annotate(m=TruncMonth("confirmed_at"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    left = dict(
        Subscription.objects.filter(ended_at__date__gte=first)
        .annotate(m=TruncMonth("ended_at"))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    joined = {_as_date(k): v for k, v in joined.items()}
    left = {_as_date(k): v for k, v in left.items()}
    before = Subscription.objects.filter(confirmed_at__date__lt=first).aggregate(
        n=Count("pk"), ended=Count("pk", filter=Q(ended_at__date__lt=first))
    )
    active = before["n"] - before["ended"]
    rows = []
    for start in starts:
        new, gone = joined.get(start, 0), left.get(start, 0)
        active += new - gone
        rows.append(
            {
                "month": start,
                "label": f"{MONTHS[start.month - 1]} {start.year}",
                "new": new,
                "ended": gone,
                "active": active,
            }
        )
    return rows


def _as_date(value) -> date:
    if hasattr(value, "date") and callable(value.date):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


def bar_chart(rows: list[dict], *, width: int = 720, height: int = 220) -> dict:
    """Geometry of an SVG bar chart of the active subscribers per month."""
    top = max((r["active"] for r in rows), default=0) or 1
    slot = width / max(len(rows), 1)
    bar_w = slot * 0.6
    plot_h = height - 40
    bars = []
    for i, row in enumerate(rows):
        h = round(plot_h * row["active"] / top, 1)
        bars.append(
            {
                "x": round(i * slot + (slot - bar_w) / 2, 1),
                "y": round(10 + plot_h - h, 1),
                "w": round(bar_w, 1),
                "h": h,
                "label_x": round(i * slot + slot / 2, 1),
                "value_y": round(10 + plot_h - h - 4, 1),
                **row,
            }
        )
    return {"width": width, "height": height, "bars": bars, "axis_y": 10 + plot_h, "top": top}
