"""Resetting a lost second factor: one office member asks, a second one confirms
(four-eyes principle); both steps ask the ACCOUNT rule and are audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import CHANGE, require
from ..audit import audit_record
from ..models import AuditEvent
from ..rules import ACCOUNT
from .models import SecondFactorReset

# --- Second factor: reset after a second office member confirms --------------------------------


def has_second_factor(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def open_reset(account) -> SecondFactorReset | None:
    return SecondFactorReset.objects.filter(user=account, confirmed_at__isnull=True).first()


def second_factor_reset_request(*, actor, account, request=None) -> SecondFactorReset:
    require(ACCOUNT.allows(actor, account, CHANGE))
    if not has_second_factor(account):
        raise ValidationError(_("Dieses Konto hat keinen zweiten Faktor eingerichtet."))
    if open_reset(account) is not None:
        raise ValidationError(_("Das Zurücksetzen ist bereits beantragt."))
    with transaction.atomic():
        reset = SecondFactorReset.objects.create(user=account, requested_by=actor)
        audit_record(
            kind=AuditEvent.Kind.OTP_RESET_REQUESTED,
            request=request,
            user=actor,
            target=account.get_username(),
        )
    return reset


def second_factor_reset_confirm(*, actor, reset: SecondFactorReset, request=None):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    require(ACCOUNT.allows(actor, reset.user, CHANGE))
    if reset.confirmed_at is not None:
        raise ValidationError(_("Dieses Zurücksetzen ist bereits erledigt."))
    if reset.requested_by_id == actor.pk:
        raise ValidationError(
            _(
                "Ein zweites Mitglied des Projektbüros muss bestätigen; wer beantragt hat, kann "
                "nicht selbst bestätigen."
            )
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=reset.user).delete()
        reset.confirmed_by = actor
        reset.confirmed_at = timezone.now()
        reset.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_record(
            kind=AuditEvent.Kind.OTP_DISABLED,
            request=request,
            user=actor,
            target=reset.user.get_username(),
            details={"beantragt_von": str(reset.requested_by or "–")},
        )
    return reset
