"""The consent proof of a subscription as rows, for the office's proof page and export and
for the DSGVO Auskunft."""

from __future__ import annotations

from ..models import Subscription


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
