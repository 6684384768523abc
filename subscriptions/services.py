"""Writes of the subscriptions app: double opt-in, changes, unsubscribe, sending, DSGVO.

Guarantees:
- only the click on a valid confirmation link (signed, single use, 48 h) creates a
  subscription; the consent proof (request and confirmation time, consent text version,
  source) is stored on it and as a consent record of the stakeholders contact;
- the public answer never depends on whether an address is known (no enumeration);
- release mails to "at once" subscribers go through news' delivery pipeline (one Delivery
  row per release and contact, claimed before sending); the weekly digest reserves a Delivery
  row per release it lists, so press list, "at once" and digest never send a release twice.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from news import mailing as news_mailing
from news.models import Delivery, Distribution, PressRelease
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, Interaction, LegalBasisRecord, Purpose

from . import tokens
from .models import (
    ConsentText,
    DigestMail,
    Frequency,
    Subscription,
    SubscriptionEvent,
    SubscriptionRequest,
)

logger = logging.getLogger(__name__)
PURPOSE = Purpose.NEWSLETTER
DIGEST_RESERVED = "für den Wochenüberblick vorgemerkt"
DIGEST_SENT = "im Wochenüberblick versandt"
SUBSCRIBER_TAG = "Abonnent"


# --- Consent text ---------------------------------------------------------------------------


def current_consent_text() -> ConsentText:
    """The newest version in force (a data migration creates version 1)."""
    text = (
        ConsentText.objects.filter(valid_from__lte=timezone.now())
        .order_by("-valid_from", "-pk")
        .first()
    )
    if text is None:
        raise ConsentText.DoesNotExist("Kein gültiger Einwilligungstext angelegt.")
    return text


# --- Rate limits (cache: Redis in production, shared by every web process) -----------------


def _hit(key: str, window: int) -> int:
    """Count one hit in a fixed window; returns the count including this hit."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def ip_rate_exceeded(ip: str) -> bool:
    """More than SUBSCRIPTIONS_RATE_PER_IP submissions from one address per hour."""
    return _hit(f"subscriptions:ip:{ip}", 3600) > settings.SUBSCRIPTIONS_RATE_PER_IP


def address_rate_exceeded(email: str) -> bool:
    """More than SUBSCRIPTIONS_MAILS_PER_ADDRESS mails to one address per day."""
    key = f"subscriptions:addr:{email.lower()}"
    return _hit(key, 24 * 3600) > settings.SUBSCRIPTIONS_MAILS_PER_ADDRESS


# --- Request and confirmation ---------------------------------------------------------------


def active_subscription_for(email: str) -> Subscription | None:
    return (
        Subscription.objects.active()
        .filter(email__iexact=email)
        .select_related("contact")
        .order_by("pk")
        .first()
    )


@transaction.atomic
def subscription_request(
    *, email: str, name: str, sections, municipalities, frequency: str
) -> SubscriptionRequest | None:
    """Start the double opt-in. A new or pending address gets a confirmation mail; an
    already subscribed one gets its manage link instead; beyond the per-address daily limit
    nothing is sent. The caller answers the same in every case. Mails go out after commit."""
    from .tasks import send_confirmation_mail, send_manage_link_mail

    if address_rate_exceeded(email):
        logger.info("subscription mail limit reached for an address")
        return None
    existing = active_subscription_for(email)
    if existing is not None and _has_consent(existing.contact_id):
        transaction.on_commit(lambda: send_manage_link_mail.delay(existing.pk))
        return None
    request = SubscriptionRequest.objects.create(
        email=email,
        name=name,
        frequency=frequency,
        consent_text=current_consent_text(),
        requested_at=timezone.now(),
    )
    request.sections.set(sections)
    request.municipalities.set(municipalities)
    transaction.on_commit(lambda: send_confirmation_mail.delay(request.pk))
    return request


class ConfirmOutcome:
    CONFIRMED = "confirmed"
    ALREADY = "already"
    EXPIRED = "expired"
    INVALID = "invalid"


def check_confirm_token(token: str) -> tuple[str, SubscriptionRequest | None]:
    """What a click on the link would do, without changing anything (the GET page)."""
    try:
        payload = tokens.read_confirm_token(token)
    except tokens.TokenExpired:
        return ConfirmOutcome.EXPIRED, None
    except tokens.TokenInvalid:
        return ConfirmOutcome.INVALID, None
    request = SubscriptionRequest.objects.filter(pk=payload["r"], key=payload["k"]).first()
    if request is None:
        return ConfirmOutcome.INVALID, None
    if request.confirmed_at is not None:
        return ConfirmOutcome.ALREADY, request
    return ConfirmOutcome.CONFIRMED, request


def _split_name(name: str, email: str) -> tuple[str, str]:
    parts = name.split()
    if not parts:
        return "", email.split("@", 1)[0][:100]
    if len(parts) == 1:
        return "", parts[0][:100]
    return " ".join(parts[:-1])[:100], parts[-1][:100]


def _has_consent(contact_id: int) -> bool:
    return (
        stakeholder_services.recipients_for_purpose(
            purpose=PURPOSE, contacts=Contact.objects.filter(pk=contact_id)
        )
        .only("pk")
        .exists()
    )


def _proof_source(request: SubscriptionRequest, confirmed_at: datetime) -> str:
    fmt = "%d.%m.%Y %H:%M:%S"
    requested = timezone.localtime(request.requested_at).strftime(fmt)
    confirmed = timezone.localtime(confirmed_at).strftime(fmt)
    return (
        f"{Subscription.SOURCE_WEB_FORM} (Double-Opt-in); Einwilligungstext Version "
        f"{request.consent_text.version}; angefordert {requested}; bestätigt {confirmed}"
    )


@transaction.atomic
def subscription_confirm(*, token: str) -> tuple[str, Subscription | None]:
    """Confirm a request. Single use: the request row is locked and marked; a second click
    changes nothing. An address that belongs to a contact adds the consent to that contact
    (nothing else of the contact changes); otherwise a new contact is created."""
    outcome, request = check_confirm_token(token)
    if outcome != ConfirmOutcome.CONFIRMED:
        subscription = None
        if outcome == ConfirmOutcome.ALREADY:
            subscription = active_subscription_for(request.email)
        return outcome, subscription
    request = SubscriptionRequest.objects.select_for_update().get(pk=request.pk)
    if request.confirmed_at is not None:  # a concurrent click won
        return ConfirmOutcome.ALREADY, active_subscription_for(request.email)
    now = timezone.now()
    request.confirmed_at = now
    request.save(update_fields=["confirmed_at"])

    contact = Contact.objects.filter(email__iexact=request.email).order_by("pk").first()
    if contact is None:
        first, last = _split_name(request.name, request.email)
        contact = Contact.objects.create(
            first_name=first,
            last_name=last,
            email=request.email,
            category=Contact.Category.SUBSCRIBER,
            notes=_("Angelegt durch Bestätigung des Abonnements (Web-Formular)."),
        )
        stakeholder_services.contacts_tag(
            contacts=Contact.objects.filter(pk=contact.pk), name=SUBSCRIBER_TAG
        )
    stakeholder_services.legal_basis_record(
        contact=contact,
        purpose=PURPOSE,
        status=LegalBasisRecord.Status.CONSENT,
        method=LegalBasisRecord.Method.FORM,
        source=_proof_source(request, now),
        at=now,
    )
    fields = {
        "email": request.email,
        "frequency": request.frequency,
        "status": Subscription.Status.ACTIVE,
        "consent_text": request.consent_text,
        "source": Subscription.SOURCE_WEB_FORM,
        "requested_at": request.requested_at,
        "confirmed_at": now,
        "ended_at": None,
        "digest_sent_until": now,
    }
    subscription, _created = Subscription.objects.update_or_create(contact=contact, defaults=fields)
    subscription.sections.set(request.sections.all())
    subscription.municipalities.set(request.municipalities.all())
    topics = _topics_text(subscription)
    SubscriptionEvent.objects.create(
        subscription=subscription,
        kind=SubscriptionEvent.Kind.CONFIRMED,
        at=now,
        detail=topics,
    )
    stakeholder_services.interaction_log(
        contact=contact,
        channel=Interaction.Channel.EMAIL,
        occurred_at=now,
        summary=_("Newsletter abonniert (Double-Opt-in bestätigt): %(t)s") % {"t": topics},
    )
    return ConfirmOutcome.CONFIRMED, subscription


def _topics_text(subscription: Subscription) -> str:
    sections = ", ".join(s.name for s in subscription.sections.all()) or _("alle Rubriken")
    places = ", ".join(m.name for m in subscription.municipalities.all()) or _("alle Kommunen")
    return f"{sections}; {places}; {subscription.get_frequency_display()}"[:500]


# --- Manage link ----------------------------------------------------------------------------


def subscription_from_token(token: str) -> Subscription | None:
    """The subscription of a manage link, or None (tampered, or the key was replaced)."""
    try:
        payload = tokens.read_manage_token(token)
    except tokens.TokenInvalid:
        return None
    return (
        Subscription.objects.select_related("contact", "consent_text")
        .filter(pk=payload["s"], manage_key=payload["k"])
        .first()
    )


def is_active(subscription: Subscription) -> bool:
    """Active and the contact's newsletter consent still current (a withdrawal through a
    press mail's unsubscribe link or in the intranet counts too)."""
    return subscription.status == Subscription.Status.ACTIVE and _has_consent(
        subscription.contact_id
    )


@transaction.atomic
def subscription_update(
    *, subscription: Subscription, sections, municipalities, frequency: str
) -> Subscription:
    """Change topics and frequency (from the manage link)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.frequency != frequency:
        if frequency == Frequency.WEEKLY:
            # The first overview starts now: what was sent at once is not listed again.
            subscription.digest_sent_until = timezone.now()
        subscription.frequency = frequency
    subscription.save(update_fields=["frequency", "digest_sent_until", "updated_at"])
    subscription.sections.set(sections)
    subscription.municipalities.set(municipalities)
    SubscriptionEvent.objects.create(
        subscription=subscription,
        kind=SubscriptionEvent.Kind.CHANGED,
        at=timezone.now(),
        detail=_topics_text(subscription),
    )
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription, source: str) -> bool:
    """End the subscription now and record the withdrawal of consent in stakeholders.
    Queued mails to the subscriber are skipped. Idempotent; returns False when it was
    already ended."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    was_active = subscription.status == Subscription.Status.ACTIVE
    now = timezone.now()
    if was_active:
        subscription.status = Subscription.Status.ENDED
        subscription.ended_at = now
        subscription.save(update_fields=["status", "ended_at", "updated_at"])
        SubscriptionEvent.objects.create(
            subscription=subscription,
            kind=SubscriptionEvent.Kind.UNSUBSCRIBED,
            at=now,
            detail=source,
        )
    stakeholder_services.consent_withdraw(
        contact=subscription.contact, purpose=PURPOSE, source=source
    )
    Delivery.objects.filter(
        contact_id=subscription.contact_id, purpose=PURPOSE, status=Delivery.Status.QUEUED
    ).update(status=Delivery.Status.SKIPPED, error=_("abgemeldet"))
    subscription.digests.filter(status=DigestMail.Status.QUEUED).update(
        status=DigestMail.Status.SKIPPED, error=_("abgemeldet")
    )
    return was_active


# --- Matching releases and subscribers ------------------------------------------------------


def matching_subscriptions(release: PressRelease):
    """Active subscriptions whose topics cover the release. No Rubrik chosen means all
    Rubriken (a release without Rubrik reaches only those); no municipality chosen means all,
    and a release without municipalities concerns the whole region."""
    section_through = Subscription.sections.through
    place_through = Subscription.municipalities.through
    no_sections = ~Exists(section_through.objects.filter(subscription_id=OuterRef("pk")))
    q = no_sections
    if release.section_id:
        q = q | Exists(
            section_through.objects.filter(
                subscription_id=OuterRef("pk"), section_id=release.section_id
            )
        )
    qs = Subscription.objects.active().filter(q)
    place_ids = [m.pk for m in release.municipalities.all()]
    if place_ids:
        qs = qs.filter(
            ~Exists(place_through.objects.filter(subscription_id=OuterRef("pk")))
            | Exists(
                place_through.objects.filter(
                    subscription_id=OuterRef("pk"), municipality_id__in=place_ids
                )
            )
        )
    return qs


def _consenting_contact_ids(contact_ids) -> set[int]:
    return set(
        stakeholder_services.recipients_for_purpose(
            purpose=PURPOSE, contacts=Contact.objects.filter(pk__in=list(contact_ids))
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def release_fanout(*, release_id: int) -> int:
    """Give every matching "at once" subscriber (confirmed before the release was published,
    consent current) a Delivery of the release in news' pipeline and dispatch it after
    commit. Idempotent: contacts or addresses that already have a delivery of this release
    (press list, an earlier run, a digest reservation) get none. Returns how many were added."""
    release = PressRelease.objects.select_for_update().filter(pk=release_id).first()
    if release is None or not release.is_public:
        return 0
    subscriptions = list(
        matching_subscriptions(release)
        .filter(frequency=Frequency.IMMEDIATE, confirmed_at__lte=release.published_at)
        .select_related("contact")
    )
    if not subscriptions:
        return 0
    consenting = _consenting_contact_ids(s.contact_id for s in subscriptions)
    distribution, _created = Distribution.objects.get_or_create(release=release)
    taken = set(distribution.deliveries.values_list("contact_id", flat=True))
    taken_emails = {e.lower() for e in distribution.deliveries.values_list("email", flat=True)}
    rows = []
    for subscription in subscriptions:
        contact = subscription.contact
        email = contact.email.strip()
        if contact.pk not in consenting or contact.pk in taken or email.lower() in taken_emails:
            continue
        taken.add(contact.pk)
        taken_emails.add(email.lower())
        rows.append(
            Delivery(
                distribution=distribution,
                contact=contact,
                purpose=PURPOSE,
                email=email,
                name=contact.full_name[:250],
                salutation=news_mailing.salutation_for(contact)[:300],
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        news_mailing.distribution_dispatch_on_commit(distribution_id=distribution.pk)
    return len(rows)


def on_release_saved(sender, instance, **kwargs):
    """post_save of PressRelease: a release that is public now fans out after commit
    (publishing by hand and by the scheduler both save the release)."""
    if instance.status != PressRelease.Status.PUBLISHED or not instance.published_at:
        return
    window = timedelta(hours=settings.SUBSCRIPTIONS_FANOUT_WINDOW_HOURS)
    if instance.published_at < timezone.now() - window:
        return  # a correction of an old release is not news for subscribers
    from .tasks import fanout_release

    release_id = instance.pk
    transaction.on_commit(lambda: fanout_release.delay(release_id))


def fanout_recent(*, now: datetime | None = None) -> int:
    """Safety net from beat: fan out releases published within the window (a task lost
    between commit and broker is made good). Idempotent."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.SUBSCRIPTIONS_FANOUT_WINDOW_HOURS)
    ids = list(
        PressRelease.objects.published()
        .filter(published_at__gte=since)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(release_fanout(release_id=pk) for pk in ids)


# --- Weekly digest --------------------------------------------------------------------------


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


def matching_subscriptions_ids_for(subscription: Subscription):
    """A predicate release -> bool for one subscription (the rule of matching_subscriptions,
    evaluated in Python on prefetched data)."""
    section_ids = {s.pk for s in subscription.sections.all()}
    place_ids = {m.pk for m in subscription.municipalities.all()}

    def matches(release: PressRelease) -> bool:
        if section_ids and release.section_id not in section_ids:
            return False
        release_places = {m.pk for m in release.municipalities.all()}
        return not (place_ids and release_places and not (place_ids & release_places))

    return matches


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
    from .tasks import send_digest

    now = now or timezone.now()
    if not force and not digest_due(now):
        return []
    subscriptions = list(
        Subscription.objects.active().filter(frequency=Frequency.WEEKLY).order_by("pk")
    )
    consenting = _consenting_contact_ids(s.contact_id for s in subscriptions)
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
    from .tasks import send_digest

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


# --- Mails ----------------------------------------------------------------------------------


def _list_headers(subscription: Subscription) -> dict:
    return {
        "List-Unsubscribe": f"<{tokens.unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _message(subject: str, template: str, context: dict, to: str, headers=None):
    context = {"site_url": settings.SITE_URL, **context}
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"subscriptions/mail/{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(
        render_to_string(f"subscriptions/mail/{template}.html", context), "text/html"
    )
    return message


def build_confirmation_message(request: SubscriptionRequest):
    return _message(
        _("Bitte bestätigen Sie Ihr Abonnement der Digitalen Modellregion Soest"),
        "confirm",
        {
            "request": request,
            "confirm_url": tokens.confirm_url(request),
            "hours": settings.SUBSCRIPTIONS_CONFIRM_HOURS,
        },
        request.email,
    )


def build_manage_link_message(subscription: Subscription):
    return _message(
        _("Ihr Abonnement der Digitalen Modellregion Soest"),
        "manage_link",
        {
            "subscription": subscription,
            "manage_url": tokens.manage_url(subscription),
            "unsubscribe_url": tokens.unsubscribe_url(subscription),
        },
        subscription.email,
        _list_headers(subscription),
    )


def build_digest_message(subscription: Subscription, releases):
    return _message(
        _("Wochenüberblick: Neues aus der Digitalen Modellregion Soest"),
        "digest",
        {
            "subscription": subscription,
            "releases": releases,
            "manage_url": tokens.manage_url(subscription),
            "unsubscribe_url": tokens.unsubscribe_url(subscription),
        },
        subscription.email,
        _list_headers(subscription),
    )


def newsletter_links(deliveries: list[Delivery]) -> dict[int, dict]:
    """For news' release mails to subscribers (purpose newsletter, registered in
    news.mailing.MAIL_LINK_PROVIDERS): delivery pk -> the personal manage and one-click
    unsubscribe links, for a whole batch from one query."""
    subscriptions = {
        s.contact_id: s
        for s in Subscription.objects.filter(
            contact_id__in={d.contact_id for d in deliveries if d.contact_id is not None}
        )
    }
    links = {}
    for delivery in deliveries:
        subscription = subscriptions.get(delivery.contact_id)
        if subscription is not None:
            links[delivery.pk] = {
                "manage_url": tokens.manage_url(subscription),
                "unsubscribe_url": tokens.unsubscribe_url(subscription),
            }
    return links


def confirmation_send(*, request_id: int) -> bool:
    request = SubscriptionRequest.objects.select_related("consent_text").filter(pk=request_id)
    request = request.filter(confirmed_at__isnull=True).first()
    if request is None:
        return False
    build_confirmation_message(request).send()
    return True


def manage_link_send(*, subscription_id: int) -> bool:
    subscription = Subscription.objects.active().filter(pk=subscription_id).first()
    if subscription is None:
        return False
    build_manage_link_message(subscription).send()
    return True


# --- Cleanup --------------------------------------------------------------------------------


def requests_cleanup(*, now: datetime | None = None) -> int:
    """Delete requests older than SUBSCRIPTIONS_REQUEST_RETENTION_DAYS (unconfirmed ones,
    and confirmed ones whose proof now lives on the subscription). Idempotent."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.SUBSCRIPTIONS_REQUEST_RETENTION_DAYS)
    deleted, _detail = SubscriptionRequest.objects.filter(requested_at__lt=limit).delete()
    return deleted


# --- DSGVO hooks (registered in SubscriptionsConfig.ready) ----------------------------------


def proof_rows(subscription: Subscription) -> list[dict]:
    rows = [
        {
            "E-Mail-Adresse": subscription.email,
            "Status": subscription.get_status_display(),
            "Quelle": subscription.source,
            "Einwilligungstext (Version)": subscription.consent_text.version,
            "angefordert am": subscription.requested_at,
            "bestätigt am": subscription.confirmed_at,
            "abgemeldet am": subscription.ended_at,
            "Rubriken": ", ".join(s.name for s in subscription.sections.all()) or "alle",
            "Kommunen": ", ".join(m.name for m in subscription.municipalities.all()) or "alle",
            "Häufigkeit": subscription.get_frequency_display(),
        }
    ]
    return rows


def auskunft_section(contact):
    subscription = (
        Subscription.objects.select_related("consent_text").filter(contact=contact).first()
    )
    if subscription is None:
        return _("Abonnement (Newsletter)"), []
    rows = proof_rows(subscription)
    rows += [
        {"Ereignis": e.get_kind_display(), "Zeitpunkt": e.at, "Details": e.detail}
        for e in subscription.events.all()
    ]
    rows += [
        {
            "Wochenüberblick": d.week_start,
            "Status": d.get_status_display(),
            "gesendet am": d.sent_at,
        }
        for d in subscription.digests.all()
    ]
    return _("Abonnement (Newsletter)"), rows


def erase_subscription(contact) -> None:
    """Erasure: the subscription, its events and overviews go; pending requests of the
    address too."""
    for subscription in Subscription.objects.filter(contact=contact):
        SubscriptionRequest.objects.filter(email__iexact=subscription.email).delete()
        subscription.delete()
    if contact.email:
        SubscriptionRequest.objects.filter(email__iexact=contact.email).delete()


def merge_subscription(keep, merge) -> None:
    """Merge: the kept contact keeps its own subscription; otherwise it takes over the
    merged one's."""
    if Subscription.objects.filter(contact=keep).exists():
        Subscription.objects.filter(contact=merge).delete()
    else:
        Subscription.objects.filter(contact=merge).update(contact=keep)
