from __future__ import annotations

from django.utils import timezone

from ..models import ConsentText


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
