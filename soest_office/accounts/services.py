"""The account services: invite, accept, change, deactivate, reset a second factor.

Every write asks the kernel's rules (soest_office/rules.py: ACCOUNT, INVITATION) and runs in
one transaction; a refused input raises ValidationError with a German message and changes
nothing. Passwords are set only by the person (accept); the office never sees or sets one.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..access import CHANGE, CREATE, Role, require
from ..audit import audit_record
from ..models import AuditEvent
from ..rules import ACCOUNT, INVITATION
from .models import AccountSettings, Invitation

SALT = "soest_office.accounts.invitation"


# --- Invitations ------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """The signed link token: the invitation and its current nonce, timestamped."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def propose_username(first_name: str, last_name: str) -> str:
    """ "vorname.nachname" in ASCII (ä → ae), numbered when taken by an account or an open
    invitation."""
    umlauts = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    parts = []
    for name in (first_name, last_name):
        name = name.strip().lower().translate(umlauts)
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        name = re.sub(r"[^a-z0-9]+", "-", name).strip("-")
        if name:
            parts.append(name)
    base = ".".join(parts)[:140] or "konto"
    candidate, n = base, 1
    while _username_taken(candidate):
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _username_taken(username: str, *, exclude_invitation=None) -> bool:
    if get_user_model().objects.filter(username__iexact=username).exists():
        return True
    open_ = Invitation.objects.filter(username__iexact=username, accepted_at__isnull=True)
    if exclude_invitation is not None:
        open_ = open_.exclude(pk=exclude_invitation.pk)
    return open_.exists()


def may_invite(user) -> bool:
    return INVITATION.permits(user, CREATE)


def invitation_create(*, actor, data: dict, request=None) -> Invitation | None:
    """Create and send an invitation. For a partner, an address that already has an account
    (or an open invitation) is not revealed: nothing is created and None is returned, as if
    sent; the office is told. A partner may invite only into the own municipality with the
    partner role (the INVITATION rule)."""
    require(may_invite(actor))
    email = data["email"].strip()
    office = access.is_office(actor)
    existing = get_user_model().objects.filter(email__iexact=email).first()
    open_invitation = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True)
    if existing is not None or open_invitation.exists():
        if not office:
            audit_record(
                kind=AuditEvent.Kind.INVITATION_SENT,
                request=request,
                user=actor,
                target=email,
                details={"ergebnis": "nicht versendet: Adresse bekannt"},
            )
            return None
        if existing is not None:
            raise ValidationError(
                {
                    "email": _(
                        "Für diese Adresse gibt es bereits das Konto „%(username)s“. Ändern Sie "
                        "dort Rolle oder Kommune, statt neu einzuladen."
                    )
                    % {"username": existing.get_username()}
                }
            )
        raise ValidationError(
            {
                "email": _(
                    "An diese Adresse ist bereits eine Einladung unterwegs. Senden Sie sie in "
                    "der Kontenverwaltung erneut, statt neu einzuladen."
                )
            }
        )
    if _username_taken(data["username"]):
        raise ValidationError(
            {"username": _("Dieser Benutzername ist vergeben. Bitte wählen Sie einen anderen.")}
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            municipality=data.get("municipality"),
            invited_by=actor,
            sent_at=timezone.now(),
        )
        if not INVITATION.allows(actor, invitation, CREATE):
            raise PermissionDenied
        audit_record(
            kind=AuditEvent.Kind.INVITATION_SENT,
            request=request,
            user=actor,
            target=email,
            details={
                "benutzername": invitation.username,
                "rolle": invitation.role,
                "kommune": str(invitation.municipality or "–"),
            },
        )
        _send_after_commit(invitation)
    return invitation


def invitation_resend(*, actor, invitation: Invitation, request=None) -> Invitation:
    """A fresh link (new nonce, 72 hours from now); the earlier link stops working."""
    require(INVITATION.allows(actor, invitation, CHANGE))
    if invitation.accepted_at is not None:
        raise ValidationError(_("Diese Einladung wurde bereits angenommen."))
    with transaction.atomic():
        invitation.nonce = Invitation._meta.get_field("nonce").default()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["nonce", "sent_at"])
        audit_record(
            kind=AuditEvent.Kind.INVITATION_SENT,
            request=request,
            user=actor,
            target=invitation.email,
            details={"benutzername": invitation.username, "erneut": True},
        )
        _send_after_commit(invitation)
    return invitation


def _send_after_commit(invitation):
    from ..tasks import send_invitation_email

    transaction.on_commit(lambda: send_invitation_email.delay(invitation_id=invitation.pk))


class InvitationInvalid(Exception):
    """A link that cannot be used; `str(error)` explains it in German."""


def invitation_from_token(token: str) -> Invitation:
    max_age = settings.INVITATION_MAX_AGE_HOURS * 3600
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationInvalid(
            _(
                "Dieser Einladungslink ist abgelaufen: Er gilt %(hours)s Stunden. Bitten Sie das "
                "Projektbüro (%(email)s), Ihnen die Einladung erneut zu senden."
            )
            % {"hours": settings.INVITATION_MAX_AGE_HOURS, "email": settings.OFFICE_EMAIL}
        ) from None
    except signing.BadSignature:
        raise InvitationInvalid(
            _(
                "Dieser Einladungslink ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig "
                "aus der E-Mail übernommen haben, oder wenden Sie sich an das Projektbüro "
                "(%(email)s)."
            )
            % {"email": settings.OFFICE_EMAIL}
        ) from None
    invitation = Invitation.objects.filter(pk=payload.get("i")).first()
    if invitation is None:
        raise InvitationInvalid(_("Diese Einladung gibt es nicht mehr."))
    if invitation.accepted_at is not None:
        raise InvitationInvalid(
            _(
                "Diese Einladung wurde bereits angenommen; ein Einladungslink gilt nur einmal. "
                "Melden Sie sich mit Ihrem Benutzernamen an. Haben Sie Ihr Passwort vergessen, "
                "nutzen Sie „Passwort vergessen“."
            )
        )
    if payload.get("n") != invitation.nonce:
        raise InvitationInvalid(
            _(
                "Zu dieser Einladung wurde inzwischen ein neuer Link verschickt. Bitte nutzen "
                "Sie den Link aus der neuesten E-Mail."
            )
        )
    return invitation


def prospective_user(invitation: Invitation):
    """The account as it will be, for the password validators (similarity to the name)."""
    return get_user_model()(
        username=invitation.username,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )


def invitation_accept(*, invitation: Invitation, password: str, request=None):
    """Create the account with the invited role and municipality and the person's password."""
    user_model = get_user_model()
    password_validation.validate_password(password, prospective_user(invitation))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationInvalid(_("Diese Einladung wurde bereits angenommen."))
        taken = user_model.objects.filter(
            Q(username__iexact=invitation.username) | Q(email__iexact=invitation.email)
        )
        if taken.exists():
            raise InvitationInvalid(
                _(
                    "Für diesen Benutzernamen oder diese Adresse gibt es inzwischen ein Konto. "
                    "Bitte wenden Sie sich an das Projektbüro (%(email)s)."
                )
                % {"email": settings.OFFICE_EMAIL}
            )
        user = user_model(
            username=invitation.username,
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
            municipality=invitation.municipality if invitation.role == Role.PARTNER else None,
        )
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=invitation.role))
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
        audit_record(
            kind=AuditEvent.Kind.INVITATION_ACCEPTED,
            request=request,
            user=user,
            target=user.get_username(),
            details={"rolle": invitation.role},
        )
    return user


# --- Accounts -------------------------------------------------------------------------------


def active_office_count() -> int:
    """Active members of the office group (superusers are administrators, not members)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.OFFICE.value)
        .distinct()
        .count()
    )


def account_change(*, actor, account, role: str, municipality, request=None):
    """Set the account's role (one group) and municipality."""
    require(ACCOUNT.allows(actor, account, CHANGE))
    access.prime_roles([account])
    current_role = access.role_of(account)
    new_municipality_id = municipality.pk if municipality is not None else None
    unchanged = (current_role and current_role.value) == role and (
        account.municipality_id == new_municipality_id
    )
    if unchanged:
        return account
    if account.pk == actor.pk:
        raise ValidationError(
            _(
                "Ihre eigene Rolle und Kommune kann nur ein anderes Mitglied des Projektbüros "
                "ändern."
            )
        )
    if role == Role.PARTNER and municipality is None:
        raise ValidationError({"municipality": _("Die Rolle Kommune braucht eine Kommune.")})
    if current_role is Role.OFFICE and role != Role.OFFICE and active_office_count() <= 1:
        raise ValidationError(_("Das Projektbüro braucht mindestens ein aktives Mitglied."))
    with transaction.atomic():
        account.municipality = municipality if role == Role.PARTNER else None
        account.save(update_fields=["municipality"])
        role_groups = Group.objects.filter(name__in=[r.value for r in Role])
        account.groups.remove(*role_groups.exclude(name=role))
        if current_role is None or current_role.value != role:
            account.groups.add(Group.objects.get(name=role))
        account.__dict__.pop("_soest_role", None)
    return account


def _end_sessions(user) -> int:
    """Delete every session of the user (the database table and, with cached_db, the
    cache entry)."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def account_deactivate(*, actor, account, request=None) -> int:
    """Deactivate the account and end its sessions at once; returns the sessions ended."""
    require(ACCOUNT.allows(actor, account, CHANGE))
    if not account.is_active:
        raise ValidationError(_("Dieses Konto ist bereits deaktiviert."))
    if account.pk == actor.pk:
        raise ValidationError(
            _("Ihr eigenes Konto kann nur ein anderes Mitglied des Projektbüros deaktivieren.")
        )
    access.prime_roles([account])
    if access.role_of(account) is Role.OFFICE and active_office_count() <= 1:
        raise ValidationError(
            _("Das ist das letzte aktive Konto des Projektbüros; es bleibt aktiv.")
        )
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active"])
        ended = _end_sessions(account)
        audit_record(
            kind=AuditEvent.Kind.ACCOUNT_DEACTIVATED,
            request=request,
            user=actor,
            target=account.get_username(),
            details={"sitzungen_beendet": ended},
        )
    return ended


def handover(account) -> list[dict]:
    """What the account is named in across the apps (rows of models with a foreign key to
    the user), for the handover before deactivation: [{"label", "field", "count"}]."""
    skip = {"soest_office.auditevent", "soest_office.exportjob", "soest_office.invitation"}
    skip |= {"soest_office.secondfactorreset"}
    rows = []
    for relation in type(account)._meta.related_objects:
        model = relation.related_model
        label = model._meta.label_lower
        if not relation.one_to_many or label in skip:
            continue
        if model._meta.app_label in {"admin", "otp_totp", "axes", "auth"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        count = model._default_manager.filter(**{relation.field.name: account}).count()
        if count:
            rows.append(
                {
                    "label": model._meta.verbose_name_plural,
                    "field": relation.field.verbose_name,
                    "count": count,
                }
            )
    return rows


def account_settings_update(*, actor, partners_may_invite: bool, request=None):
    require(ACCOUNT.permits(actor, CHANGE))
    with transaction.atomic():
        current = AccountSettings.current()
        current.partners_may_invite = partners_may_invite
        current.save()
        audit_record(
            kind=AuditEvent.Kind.ACCOUNT_SETTINGS,
            request=request,
            user=actor,
            details={"kommunen_duerfen_einladen": partners_may_invite},
        )
    return current
