"""The security audit log: one service to write it, and the signal receivers that feed it.

Apps call `audit_record(kind=AuditEvent.Kind.EXPORT, request=request, target="q=Soest",
details={"format": "csv", "anzahl": 120}, area="kontakte")` for every processing of personal
data: exports, imports, merges, Auskunft and erasure.
Authentication events (login, failed login, lockout, logout, password change/reset) and
changes of a user's role (groups) or municipality are recorded here by signals, so every
path (views, admin, shell) is covered.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_init, post_save
from django.dispatch import receiver

from .models import AuditEvent

# Keys whose values never reach the log, wherever they are nested.
_SECRET_KEY = re.compile(r"pass|token|secret|otp|key|csrf|session|code", re.IGNORECASE)
_REDACTED = "[entfernt]"
_MISSING = object()
_TARGET_MAX = AuditEvent._meta.get_field("target").max_length


def _scrub(value):
    if isinstance(value, dict):
        return {
            str(k): (_REDACTED if _SECRET_KEY.search(str(k)) else _scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:500]


def client_ip(request) -> str | None:
    """The client address as axes sees it (honours PROXY_COUNT), else REMOTE_ADDR."""
    if request is None:
        return None
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return ip or None


def _current_request():
    # simple_history's middleware keeps the request of the current thread; signals fired
    # from admin or view code find the acting user there.
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def audit_record(*, kind, user=None, request=None, target="", details=None, area="") -> AuditEvent:
    """Write one audit event and return it.

    `user` defaults to the request's authenticated user; the IP comes from the request.
    `area` names the part of the intranet that writes (e.g. "kontakte"); the kernel's own
    account events leave it empty.
    Secrets are removed from `details` (keys like password, token, code) and long values cut,
    so callers may pass form data without thinking twice. Never raises for a missing request.
    """
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    actor = user if user is not None and getattr(user, "pk", None) else None
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_name=(user.get_username() if actor is not None else "")[:150],
        target=str(target)[:_TARGET_MAX],
        ip_address=client_ip(request),
        details=_scrub(details or {}),
        area=area,
    )


# --- Authentication -------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.LOGIN, user=user, request=request, target=str(user))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(kind=AuditEvent.Kind.LOGOUT, user=user, request=request, target=str(user))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in `credentials`; only the username is kept.
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        kind=AuditEvent.Kind.LOGIN_FAILED,
        request=request,
        target=username,
        details={"username": username},
    )


def _on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(
        kind=AuditEvent.Kind.LOCKED_OUT,
        request=request,
        target=str(username or "")[:150],
        details={"username": username, "ip": ip_address},
    )


# --- Account changes (role, municipality, password) -----------------------------------------


def _loaded(instance):
    # Read from __dict__ so deferred fields (.only()) are never fetched just for the log.
    return (instance.__dict__.get("municipality_id", _MISSING), instance.__dict__.get("password"))


def _remember_original(sender, instance, **kwargs):
    # Loaded values, to tell changes apart in post_save without another query.
    instance._audit_original = _loaded(instance)


def _on_user_saved(sender, instance, created, **kwargs):
    original = getattr(instance, "_audit_original", None)
    instance._audit_original = _loaded(instance)
    if created or original is None:
        return
    old_municipality_id, old_password = original
    request = _current_request()
    actor = _actor(request)
    if old_municipality_id is not _MISSING and old_municipality_id != instance.municipality_id:
        from .models import Municipality

        names = dict(
            Municipality.objects.filter(
                pk__in=[old_municipality_id, instance.municipality_id]
            ).values_list("pk", "name")
        )
        audit_record(
            kind=AuditEvent.Kind.MUNICIPALITY_CHANGE,
            user=actor,
            request=request,
            target=instance.get_username(),
            details={
                "vorher": names.get(old_municipality_id, "–"),
                "nachher": names.get(instance.municipality_id, "–"),
            },
        )
    if old_password and old_password != instance.password:
        kind = getattr(instance, "_audit_password_kind", AuditEvent.Kind.PASSWORD_CHANGE)
        audit_record(
            kind=kind,
            user=actor or instance,
            request=request,
            target=instance.get_username(),
        )


def _actor(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def _on_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    if reverse:  # group.user_set.add(...): instance is the group
        groups = [instance.name]
        users = list(user_model.objects.filter(pk__in=pk_set or []))
    else:
        if action == "pre_clear":
            groups = list(instance.groups.values_list("name", flat=True))
        else:
            groups = list(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
        users = [instance]
    if not groups:
        return
    request = _current_request()
    for user in users:
        audit_record(
            kind=AuditEvent.Kind.ROLE_CHANGE,
            user=_actor(request),
            request=request,
            target=user.get_username(),
            details={
                "hinzugefügt" if action == "post_add" else "entfernt": sorted(groups),
            },
        )
        user.__dict__.pop("_soest_role", None)


def connect_signals():
    """Called from AppConfig.ready (the user model is ready only then)."""
    from axes.signals import user_locked_out

    user_model = get_user_model()
    post_init.connect(_remember_original, sender=user_model, dispatch_uid="audit_user_init")
    post_save.connect(_on_user_saved, sender=user_model, dispatch_uid="audit_user_saved")
    m2m_changed.connect(
        _on_groups_changed, sender=user_model.groups.through, dispatch_uid="audit_groups"
    )
    user_locked_out.connect(_on_locked_out, dispatch_uid="audit_locked_out")
