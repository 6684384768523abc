"""The citizen's side: submit (with double opt-in when an address is given), confirm,
support a published idea once per confirmed address, withdraw through the signed link.

The public answer never depends on whether an address is known. Every step is one
transaction: nothing is stored half.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import tokens
from ..models import Contribution, Participation, Support
from ..rules import published_q
from .consent import current_consent_text
from .notify import notify_office
from .rate_limits import address_rate_exceeded


class Outcome:
    DONE = "done"
    PENDING = "pending"  # the GET page of a link: a button, nothing changed yet
    ALREADY = "already"
    EXPIRED = "expired"
    INVALID = "invalid"
    REFUSED = "refused"  # e.g. support of a contribution that is not (any more) published
    DUPLICATE = "duplicate"


def email_hash(email: str) -> str:
    key = f"{settings.SECRET_KEY}:participation.support".encode()
    return hmac.new(key, email.lower().encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def contribution_submit(*, participation: Participation, data: dict) -> Contribution:
    """Store a contribution. With an address it waits for the confirmation link
    (nothing goes to the office before), without one it goes to moderation at once."""
    from ..tasks import send_confirmation

    email = data.get("email") or ""
    contribution = Contribution.objects.create(
        participation=participation,
        kind=data["kind"],
        title=data["title"],
        text=data["text"],
        category=data.get("category") or "",
        author_name=data.get("author_name") or "",
        show_name=bool(data.get("show_name")),
        email=email,
        contact_consent=bool(data.get("contact_consent")) and bool(email),
        consent_text=current_consent_text(),
        status=Contribution.Status.UNCONFIRMED if email else Contribution.Status.PENDING,
    )
    if email:
        if not address_rate_exceeded(email):
            transaction.on_commit(lambda: send_confirmation.delay(contribution.pk))
    else:
        notify_office(contribution)
    return contribution


def _load(token: str, salt: str, model, *, expires: bool = True):
    try:
        payload = tokens.read(token, salt, expires=expires)
    except tokens.TokenExpired:
        return Outcome.EXPIRED, None
    except tokens.TokenInvalid:
        return Outcome.INVALID, None
    obj = model.objects.filter(pk=payload["i"], key=payload["k"]).first()
    return (Outcome.PENDING, obj) if obj is not None else (Outcome.INVALID, None)


def confirm_check(token: str) -> tuple[str, Contribution | None]:
    outcome, contribution = _load(token, tokens.CONFIRM_SALT, Contribution)
    if contribution is not None and contribution.confirmed_at is not None:
        return Outcome.ALREADY, contribution
    if contribution is not None and contribution.status == Contribution.Status.WITHDRAWN:
        return Outcome.INVALID, None
    return outcome, contribution


@transaction.atomic
def contribution_confirm(*, token: str) -> tuple[str, Contribution | None]:
    """Single use: the row is locked; a second click (replay) changes nothing."""
    outcome, contribution = confirm_check(token)
    if outcome != Outcome.PENDING:
        return outcome, contribution
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.confirmed_at is not None:
        return Outcome.ALREADY, contribution
    contribution.confirmed_at = timezone.now()
    contribution.status = Contribution.Status.PENDING
    contribution.save(update_fields=["confirmed_at", "status"])
    notify_office(contribution)
    return Outcome.DONE, contribution


def support_allowed(contribution: Contribution) -> bool:
    """Only accepted ideas of public projects with open participation may be supported."""
    return (
        contribution.kind == Contribution.Kind.IDEA
        and Contribution.objects.filter(published_q(), pk=contribution.pk).exists()
        and contribution.participation.is_open()
    )


@transaction.atomic
def support_request(*, contribution: Contribution, email: str) -> Support | None:
    """Start the confirmation of a support. An address that already supports the idea gets
    no mail (the page answers the same). Beyond the per-address limit nothing is sent."""
    from ..tasks import send_support_confirmation

    digest = email_hash(email)
    if Support.objects.filter(
        contribution=contribution, email_hash=digest, confirmed_at__isnull=False
    ).exists():
        return None
    if address_rate_exceeded(email):
        return None
    support = Support.objects.create(contribution=contribution, email=email, email_hash=digest)
    transaction.on_commit(lambda: send_support_confirmation.delay(support.pk))
    return support


def support_check(token: str) -> tuple[str, Support | None]:
    outcome, support = _load(token, tokens.SUPPORT_SALT, Support)
    if support is None:
        return outcome, None
    if support.confirmed_at is not None:
        return Outcome.ALREADY, support
    if not support_allowed(support.contribution):
        return Outcome.REFUSED, support
    return outcome, support


@transaction.atomic
def support_confirm(*, token: str) -> tuple[str, Support | None]:
    outcome, support = support_check(token)
    if outcome != Outcome.PENDING:
        return outcome, support
    support = Support.objects.select_for_update().get(pk=support.pk)
    if support.confirmed_at is not None:
        return Outcome.ALREADY, support
    support.confirmed_at = timezone.now()
    support.email = ""  # only the keyed hash stays
    try:
        with transaction.atomic():
            support.save(update_fields=["confirmed_at", "email"])
    except IntegrityError:
        Support.objects.filter(pk=support.pk).delete()
        return Outcome.DUPLICATE, None
    Support.objects.filter(
        contribution_id=support.contribution_id,
        email_hash=support.email_hash,
        confirmed_at__isnull=True,
    ).delete()
    return Outcome.DONE, support


def withdraw_check(token: str) -> tuple[str, Contribution | None]:
    outcome, contribution = _load(token, tokens.WITHDRAW_SALT, Contribution, expires=False)
    if contribution is not None and contribution.status == Contribution.Status.WITHDRAWN:
        return Outcome.ALREADY, contribution
    return outcome, contribution


@transaction.atomic
def contribution_withdraw(*, token: str, address_only: bool) -> tuple[str, Contribution | None]:
    """`address_only`: remove the address (and name, and the link to a contact), keep the
    contribution. Otherwise withdraw it: off the public page, its text and supports gone."""
    outcome, contribution = withdraw_check(token)
    if outcome != Outcome.PENDING:
        return outcome, contribution
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    anonymise(contribution)
    if not address_only:
        contribution.status = Contribution.Status.WITHDRAWN
        contribution.withdrawn_at = timezone.now()
        contribution.title = "–"
        contribution.text = ""
        contribution.answer_text = ""
        contribution.supports.all().delete()
    contribution.save()
    return Outcome.DONE, contribution


def anonymise(contribution: Contribution) -> None:
    """Remove every personal datum of the author from the row (the caller saves)."""
    contribution.email = ""
    contribution.author_name = ""
    contribution.show_name = False
    contribution.contact = None
    contribution.contact_consent = False
    contribution.address_removed_at = timezone.now()
