"""One inbox: what waits for this person (/aufgaben/ and the count in the navigation).

An app adds a source in its own `inbox.py` (found at start-up, soest_office.plugins):

    INBOX.register(InboxSource(
        key="reports_to_review",
        label=_("Berichte prüfen"),
        pending=lambda user: ProgressReport.objects.permitted(user, REVIEW).filter(...),
        item=lambda report: InboxItem(title=..., url=report.get_absolute_url(), ...),
        position=10,
    ))

- `pending(user)` returns the rows waiting for the user as a queryset, starting from the
  app's access rule (`Model.objects.permitted(user, verb)`), or None when the source is not
  for this user. It must be a plain filterable queryset: the navigation counts every source
  in ONE query (`inbox_total`), the page counts each with one COUNT and lists at most
  `limit` rows (`select_related` what `item` reads).
- `item(obj)` turns a row into an `InboxItem` (title, url where it is done, detail, due).
- An entry disappears when it is done because `pending` no longer matches the row.

The meetings app adds its action items and the retention jobs their flagged cases the same
way (keys "meeting_actions", "retention_cases").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access, caching
from .access import CHANGE
from .plugins import INBOX

__all__ = ["INBOX", "InboxItem", "InboxSource", "inbox_items", "inbox_sections", "inbox_total"]


@dataclass(frozen=True)
class InboxItem:
    title: str
    url: str
    detail: str = ""
    due: datetime.date | None = None


@dataclass(frozen=True)
class InboxSource:
    key: str
    label: str
    pending: Callable[[Any], QuerySet | None]
    item: Callable[[Any], InboxItem]
    position: int = 100
    limit: int = 50

    def queryset(self, user) -> QuerySet | None:
        if access.role_of(user) is None:
            return None
        return self.pending(user)

    def count(self, user) -> int:
        queryset = self.queryset(user)
        return 0 if queryset is None else queryset.count()

    def items(self, user) -> list[InboxItem]:
        queryset = self.queryset(user)
        return [] if queryset is None else [self.item(obj) for obj in queryset[: self.limit]]


def inbox_total(user) -> int:
    """All sources' counts for the navigation, in one query (a COUNT subquery each)."""
    querysets = [q for source in INBOX if (q := source.queryset(user)) is not None]
    if not querysets:
        return 0
    counts = {
        f"n{i}": Coalesce(
            Subquery(
                queryset.order_by()
                .annotate(_one=Value(1))
                .values("_one")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )
        for i, queryset in enumerate(querysets)
    }
    row = get_user_model().objects.filter(pk=user.pk).annotate(**counts).values_list(*counts)
    found = row.first()
    return sum(found) if found else 0


# The generation of the kernel's own rows the inbox counts (its sources below); the apps'
# sources count rows of their apps' generations.
KERNEL_GENERATION = "kernel"


def connect_generation() -> None:
    from .accounts.models import SecondFactorReset
    from .models import AccessibilityFeedback

    caching.bump_on_writes(KERNEL_GENERATION, [AccessibilityFeedback, SecondFactorReset])


def _user_key(user_id) -> str:
    return f"inbox-total:{user_id}"


def _cache_key(user) -> str:
    return _user_key(user.pk)


caching.register_user_key(_user_key)


def _keep_total(user, total: int) -> None:
    """Keep the count with the state of every app's generations it was counted in."""
    state = caching.current_state(caching.watched())
    caching.set_user_value(_cache_key(user), (state, total), settings.INBOX_COUNT_CACHE_SECONDS)


def cached_inbox_total(user) -> int:
    """`inbox_total`, kept per user (the navigation's count) in the generations of every
    app (the sources count their apps' rows and the kernel's, `KERNEL_GENERATION`): a
    write by anyone shows at once. Read in the request's first round trip to the cache
    (`caching.register_user_key`); kept at most INBOX_COUNT_CACHE_SECONDS, for what falls
    due by the clock alone (an overdue milestone)."""
    if access.role_of(user) is None:
        return 0
    kept = caching.user_value(_cache_key(user))
    if isinstance(kept, tuple) and kept[0] == caching.current_state(caching.watched()):
        return kept[1]
    total = inbox_total(user)
    _keep_total(user, total)
    return total


def inbox_sections(user) -> list[dict]:
    """The page: per source with entries its label, count and first `limit` items."""
    sections = []
    for source in INBOX:
        queryset = source.queryset(user)
        if queryset is None:
            continue
        count = queryset.count()
        if count:
            items = [source.item(obj) for obj in queryset[: source.limit]]
            sections.append({"source": source, "count": count, "items": items})
    if access.role_of(user) is not None:
        # The page counted every source anew: the navigation shows the same number.
        _keep_total(user, sum(section["count"] for section in sections))
    return sections


def inbox_items(user) -> list[InboxItem]:
    """Every entry of the user, flat (the handover list before a deactivation)."""
    return [item for section in inbox_sections(user) for item in section["items"]]


# --- The kernel's own sources --------------------------------------------------------------------


def _feedback_pending(user):
    from .models import AccessibilityFeedback
    from .rules import ACCESSIBILITY_FEEDBACK

    queryset = AccessibilityFeedback.objects.filter(answered_at__isnull=True)
    return ACCESSIBILITY_FEEDBACK.scope(queryset, user, CHANGE)


def _feedback_item(feedback) -> InboxItem:
    return InboxItem(
        title=_("Rückmeldung vom %(date)s") % {"date": f"{feedback.created_at:%d.%m.%Y}"},
        url=f"{reverse('soest_office:feedback_list')}#rueckmeldung-{feedback.pk}",
        detail=(feedback.page_url or feedback.message)[:120],
        due=(feedback.created_at + datetime.timedelta(weeks=6)).date(),
    )


def _resets_pending(user):
    from .accounts.models import SecondFactorReset
    from .rules import ACCOUNT

    if not ACCOUNT.permits(user, CHANGE):
        return None
    return (
        SecondFactorReset.objects.filter(confirmed_at__isnull=True, user__is_active=True)
        .exclude(requested_by_id=user.pk)
        .select_related("user", "requested_by")
    )


def _reset_item(reset) -> InboxItem:
    return InboxItem(
        title=_("Zweiten Faktor von %(user)s zurücksetzen") % {"user": reset.user},
        url=reverse("soest_office:account_detail", kwargs={"pk": reset.user_id}),
        detail=_("beantragt von %(user)s – Ihre Bestätigung fehlt")
        % {"user": reset.requested_by or "–"},
    )


INBOX.register(
    InboxSource(
        key="accessibility_feedback",
        label=_("Rückmeldungen zur Barrierefreiheit beantworten"),
        pending=_feedback_pending,
        item=_feedback_item,
        position=60,
    )
)
INBOX.register(
    InboxSource(
        key="second_factor_resets",
        label=_("Zurücksetzen des zweiten Faktors bestätigen"),
        pending=_resets_pending,
        item=_reset_item,
        position=70,
    )
)

# Hook for the retention jobs (issue 19, item 3): flagged retention cases become an entry of
# the office's inbox by registering an InboxSource with key "retention_cases" (position 80)
# next to them, its `pending` starting from the rule of the flagged rows.
