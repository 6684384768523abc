"""The retention review: flagging contacts kept longer than their rule allows."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from soest_office import caching

from ..apps import GENERATION
from ..models import Contact, LegalBasisRecord, RetentionRule

DEFAULT_RETENTION_MONTHS = 36


def _retention_months(rules: dict, category: str, basis: str) -> int:
    for key in ((category, basis), (category, "any"), ("", basis), ("", "any")):
        if key in rules:
            return rules[key]
    return DEFAULT_RETENTION_MONTHS


@transaction.atomic
def retention_flag_due(*, now=None) -> int:
    """Flag contacts whose last activity (newest interaction, legal-basis change or creation)
    is older than their retention period; unflag those that became active again.
    Idempotent: running it twice flags nothing new. Returns how many are flagged now."""
    now = now or timezone.now()
    rules = {(r.category, r.basis): r.months for r in RetentionRule.objects.all()}
    li = LegalBasisRecord.objects.filter(
        contact=OuterRef("pk"), status=LegalBasisRecord.Status.LEGITIMATE_INTEREST
    )
    rows = Contact.objects.annotate(
        last_interaction=Max("interactions__occurred_at"),
        last_basis=Max("legal_basis_records__effective_at"),
        has_li=Exists(li),
    ).values_list(
        "pk",
        "category",
        "created_at",
        "last_interaction",
        "last_basis",
        "has_li",
        "retention_flagged_at",
    )
    due, not_due = [], []
    for pk, category, created, last_interaction, last_basis, has_li, flagged in rows:
        last = max(d for d in (created, last_interaction, last_basis) if d is not None)
        basis = "legitimate_interest" if has_li else "consent"
        months = _retention_months(rules, category, basis)
        limit = now - timezone.timedelta(days=round(months * 30.44))
        if last < limit:
            if flagged is None:
                due.append(pk)
        elif flagged is not None:
            not_due.append(pk)
    Contact.objects.filter(pk__in=due).update(retention_flagged_at=now)
    Contact.objects.filter(pk__in=not_due).update(retention_flagged_at=None)
    if due or not_due:
        # update() sends no signal; the contact page shows the flag.
        caching.bump_written(GENERATION)
    return Contact.objects.filter(retention_flagged_at__isnull=False).count()
