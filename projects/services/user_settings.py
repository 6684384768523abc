"""Per-user settings of the projects app, and the secret calendar URL they hold."""

from __future__ import annotations

from django.db import transaction

from ..models import ProjectUserSettings, new_calendar_token


def user_settings_for(user) -> ProjectUserSettings:
    settings_obj, _created = ProjectUserSettings.objects.get_or_create(user=user)
    return settings_obj


def calendar_token_renew(*, actor) -> ProjectUserSettings:
    """Issue a new secret calendar URL; the old one stops working at once."""
    with transaction.atomic():
        settings_obj = user_settings_for(actor)
        settings_obj.calendar_token = new_calendar_token()
        settings_obj.save(update_fields=["calendar_token"])
    return settings_obj


def calendar_token_revoke(*, actor) -> ProjectUserSettings:
    with transaction.atomic():
        settings_obj = user_settings_for(actor)
        settings_obj.calendar_token = ""
        settings_obj.save(update_fields=["calendar_token"])
    return settings_obj
