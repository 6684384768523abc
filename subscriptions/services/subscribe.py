"""Double opt-in: the subscribe request and its confirmation link.

Only the click on a valid confirmation link (signed, single use, 48 h) creates a
subscription; the consent proof (request and confirmation time, consent text version,
source) is stored on it and as a consent record of the stakeholders contact. The public
answer never depends on whether an address is known (no enumeration).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, Interaction, LegalBasisRecord

from .. import tokens
from ..models import Subscription, SubscriptionEvent, SubscriptionRequest
from .consent import PURPOSE, current_consent_text, has_consent
from .rate_limits import address_rate_exceeded

logger = logging.getLogger(__name__)
SUBSCRIBER_TAG = "Abonnent"


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
    from ..tasks import send_confirmation_mail, send_manage_link_mail

    if address_rate_exceeded(email):
        logger.info("subscription mail limit reached for an address")
        return None
    existing = active_subscription_for(email)
    if existing is not None and has_consent(existing.contact_id):
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
    topics = topics_text(subscription)
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


def topics_text(subscription: Subscription) -> str:
    sections = ", ".join(s.name for s in subscription.sections.all()) or _("alle Rubriken")
    places = ", ".join(m.name for m in subscription.municipalities.all()) or _("alle Kommunen")
    return f"{sections}; {places}; {subscription.get_frequency_display()}"[:500]
