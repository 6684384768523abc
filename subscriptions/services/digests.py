"""The weekly digest: compose each weekly subscriber's overview, send it, and hand back
overviews a killed worker left behind. The digest reserves a Delivery row per release it
lists, so press list, "at once" mail and digest never send a release twice."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from news import mailing as news_mailing
from news.models import Delivery, Distribution, PressRelease
from stakeholders import services as stakeholder_services

from ..models import DigestMail, Frequency, Subscription
from .consent import PURPOSE, consenting_contact_ids
from .manage import is_active
from .matching import matching_subscriptions_ids_for
from .messages import build_digest_message

logger = logging.getLogger(__name__)
DIGEST_RESERVED = "für den Wochenüberblick vorgemerkt"
DIGEST_SENT = "im Wochenüberblick versandt"


def _week_start(now: datetime):
    today = timezone.localtime(now).date()
    return today - timedelta(days=today.weekday())


def digest_compose(*, subscription: Subscription, now: datetime) -> DigestMail | None:
    """Collect the matching releases published since the last overview that the subscriber
    has not received any other way, reserve a Delivery row for each (so no press list or
    "at once" mail sends them again) and create the week's DigestMail. Idempotent per week."""
    week = _week_start(now)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("contact")
            .get(pk=subscription.pk)
        )
        if subscription.digests.filter(week_start=week).exists():
            return None
        since = subscription.digest_sent_until or subscription.confirmed_at
        candidates = (
            PressRelease.objects.published()
            .filter(published_at__gt=since, published_at__lte=now)
            .select_related("section")
            .prefetch_related("municipalities")
            .order_by("published_at", "pk")
        )
        matching = matching_subscriptions_ids_for(subscription)
        contact = subscription.contact
        email = contact.email.strip()
        chosen = []
        for release in candidates:
            if not matching(release):
                continue
            already = Delivery.objects.filter(distribution__release=release).filter(
                Q(contact_id=contact.pk) | Q(email__iexact=email)
            )
            if already.exists():
                continue
            distribution, _c = Distribution.objects.get_or_create(release=release)
            try:
                with transaction.atomic():
                    Delivery.objects.create(
                        distribution=distribution,
                        contact=contact,
                        purpose=PURPOSE,
                        email=email,
                        name=contact.full_name[:250],
                        salutation=news_mailing.salutation_for(contact)[:300],
                        status=Delivery.Status.SKIPPED,
                        error=DIGEST_RESERVED,
                    )
            except IntegrityError:  # a press list or "at once" mail got there first
                continue
            chosen.append(release)
        subscription.digest_sent_until = now
        subscription.save(update_fields=["digest_sent_until", "updated_at"])
        # An empty week is recorded too: the week is done, later runs add nothing.
        digest = DigestMail.objects.create(
            subscription=subscription,
            week_start=week,
            period_end=now,
            status=DigestMail.Status.QUEUED if chosen else DigestMail.Status.SKIPPED,
            error="" if chosen else _("keine neuen Meldungen"),
        )
        digest.releases.set(chosen)
    return digest if chosen else None


def digest_due(now: datetime) -> bool:
    """From the configured weekday and hour of this week on (composing is once per week)."""
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
        days=local.weekday()
    )
    due = start + timedelta(
        days=settings.SUBSCRIPTIONS_DIGEST_WEEKDAY, hours=settings.SUBSCRIPTIONS_DIGEST_HOUR
    )
    return local >= due


def digests_compose_all(*, now: datetime | None = None, force: bool = False) -> list[int]:
    """Beat, hourly: once the week's send time has come, compose the overview for every
    active weekly subscriber with current consent and queue the sending after commit.
    Idempotent per week (one DigestMail per subscriber and week). Returns the new ids."""
    from ..tasks import send_digest

    now = now or timezone.now()
    if not force and not digest_due(now):
        return []
    subscriptions = list(
        Subscription.objects.active().filter(frequency=Frequency.WEEKLY).order_by("pk")
    )
    consenting = consenting_contact_ids(s.contact_id for s in subscriptions)
    ids = []
    for subscription in subscriptions:
        if subscription.contact_id not in consenting:
            continue
        digest = digest_compose(subscription=subscription, now=now)
        if digest is not None:
            ids.append(digest.pk)
            transaction.on_commit(lambda pk=digest.pk: send_digest.delay(pk))
    return ids


def digest_send(*, digest_id: int) -> str:
    """Send one overview. Claimed by a conditional UPDATE (queued → sending), so two workers
    never both send it; marked sent together with its reserved Delivery rows. A worker
    killed in between leaves it in "sending" for the reconciler (at most that one mail may
    go twice; none is lost). Returns the final status."""
    now = timezone.now()
    claimed = DigestMail.objects.filter(pk=digest_id, status=DigestMail.Status.QUEUED).update(
        status=DigestMail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    digest = DigestMail.objects.select_related("subscription__contact").get(pk=digest_id)
    if not claimed:
        return digest.status
    subscription = digest.subscription
    if not is_active(subscription):
        _digest_finish(digest, DigestMail.Status.SKIPPED, error=_("abgemeldet"))
        return DigestMail.Status.SKIPPED
    releases = list(digest.releases.select_related("section").order_by("published_at", "pk"))
    message = build_digest_message(subscription, releases)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:  # mail transport: try again, up to a limit
        status = (
            DigestMail.Status.FAILED
            if digest.attempts + 1 >= settings.NEWS_MAX_ATTEMPTS
            else DigestMail.Status.QUEUED
        )
        _digest_finish(digest, status, error=f"{exc.__class__.__name__}: {exc}"[:500])
        logger.warning("digest %s not sent: %s", digest_id, exc)
        return status
    with transaction.atomic():
        _digest_finish(digest, DigestMail.Status.SENT, sent_at=timezone.now())
        Delivery.objects.filter(
            contact_id=subscription.contact_id,
            distribution__release__in=releases,
            status=Delivery.Status.SKIPPED,
            error=DIGEST_RESERVED,
        ).update(status=Delivery.Status.SENT, error=DIGEST_SENT, sent_at=timezone.now())
        stakeholder_services.interaction_record_mailing(
            contact=subscription.contact,
            subject=_("Wochenüberblick (%(n)d Meldungen)") % {"n": len(releases)},
            sent_at=timezone.now(),
        )
    return DigestMail.Status.SENT


def _digest_finish(digest: DigestMail, status: str, *, error: str = "", sent_at=None) -> None:
    DigestMail.objects.filter(pk=digest.pk, status=DigestMail.Status.SENDING).update(
        status=status, error=error, sent_at=sent_at, claimed_at=None
    )


def digests_reconcile(*, now: datetime | None = None) -> int:
    """Beat: hand back overviews stuck in "sending" (worker killed) and queue those waiting.
    Idempotent; returns how many were queued."""
    from ..tasks import send_digest

    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NEWS_DELIVERY_STALE_SECONDS)
    DigestMail.objects.filter(status=DigestMail.Status.SENDING, claimed_at__lt=stale).update(
        status=DigestMail.Status.QUEUED, claimed_at=None
    )
    ids = list(
        DigestMail.objects.filter(status=DigestMail.Status.QUEUED).values_list("pk", flat=True)
    )
    for pk in ids:
        send_digest.delay(pk)
    return len(ids)
