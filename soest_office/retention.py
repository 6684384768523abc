"""Retention: personal data that does not outlive its purpose.

Two parts:
- the kernel's own policies (its plug-in module, found like every app's `retention.py`):
  IP addresses in the security log, accessibility feedback;
- the run over every app's policies (soest_office.plugins.RETENTION): what the next run
  will remove (`retention_preview`, shown on /protokoll/aufbewahrung/) and the run itself
  (`retention_apply`, the daily beat job soest_office.tasks.apply_retention).

The periods are settings (RETENTION_*_DAYS, one block in settings.py); the legal reasons
are in docs/aufbewahrung.md.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityFeedback, AuditEvent
from .plugins import RETENTION, RetentionPolicy

logger = logging.getLogger(__name__)


def cutoff(policy_or_days, now: datetime.datetime) -> datetime.datetime:
    """The moment before which a row of the policy is due (`now` minus the period)."""
    days = policy_or_days if isinstance(policy_or_days, int) else policy_or_days.days
    return now - datetime.timedelta(days=days)


# --- The kernel's own data sets --------------------------------------------------------------


def _audit_ips_due(now):
    return AuditEvent.objects.filter(
        ip_address__isnull=False, created_at__lt=cutoff(AUDIT_IPS, now)
    )


def _audit_ips_apply(now) -> int:
    return _audit_ips_due(now).update(ip_address=None)


AUDIT_IPS = RETENTION.register(
    RetentionPolicy(
        key="audit_ip_addresses",
        label=_("IP-Adressen im Sicherheitsprotokoll"),
        setting="RETENTION_AUDIT_IP_DAYS",
        queryset_due=_audit_ips_due,
        apply=_audit_ips_apply,
        action=_("IP-Adresse wird entfernt, der Eintrag bleibt"),
        position=10,
    )
)


def _feedback_due(now):
    return AccessibilityFeedback.objects.filter(created_at__lt=cutoff(FEEDBACK, now))


def _feedback_apply(now) -> int:
    _total, by_model = _feedback_due(now).delete()
    return by_model.get(AccessibilityFeedback._meta.label, 0)


FEEDBACK = RETENTION.register(
    RetentionPolicy(
        key="accessibility_feedback",
        label=_("Rückmeldungen zur Barrierefreiheit"),
        setting="RETENTION_ACCESSIBILITY_FEEDBACK_DAYS",
        queryset_due=_feedback_due,
        apply=_feedback_apply,
        action=_("Rückmeldung wird gelöscht"),
        position=20,
    )
)


# --- The run over all policies ---------------------------------------------------------------


@dataclass(frozen=True)
class RetentionLine:
    policy: RetentionPolicy
    cutoff: datetime.datetime
    due: int


def retention_preview(*, now: datetime.datetime | None = None) -> list[RetentionLine]:
    """Per policy: its cutoff and how many rows the next run would change (one COUNT each)."""
    now = now or timezone.now()
    return [
        RetentionLine(policy=p, cutoff=cutoff(p, now), due=p.queryset_due(now).count())
        for p in RETENTION
    ]


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every policy; {key: rows changed}. Each policy in its own transaction, so one
    failing data set does not hold back the others (it is logged and retried next run).
    Idempotent: a second run with the same `now` changes nothing."""
    now = now or timezone.now()
    done = {}
    for policy in RETENTION:
        try:
            with transaction.atomic():
                done[policy.key] = policy.apply(now)
        except Exception:
            logger.exception("Aufbewahrung %s fehlgeschlagen", policy.key)
            done[policy.key] = -1
    logger.info("Aufbewahrung angewandt: %s", done)
    return done
