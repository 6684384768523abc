"""Building the personal mail of one delivery: the release rendered once per batch, the
personal links its purpose supplies, text and HTML parts, List-Unsubscribe and a stable
Message-ID."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.plugins import MAIL_LINKS

from ..markdown import markdown_to_text
from ..models import Delivery, PressRelease
from .unsubscribe import unsubscribe_url


@dataclass
class ReleaseParts:
    """What every mail of one release shares, rendered once per batch."""

    release: PressRelease
    body_text: str
    body_html: str
    release_url: str

    @classmethod
    def of(cls, release: PressRelease) -> ReleaseParts:
        return cls(
            release=release,
            body_text=markdown_to_text(release.body),
            body_html=release.body_html(),
            release_url=f"{settings.SITE_URL}{release.get_absolute_url()}",
        )


def personal_links(deliveries: list[Delivery]) -> dict[int, dict]:
    """delivery pk -> the personal links its purpose's provider supplies (one call per
    purpose and batch). Apps that send releases for another purpose register the links of
    that purpose in their `mail_links.py` (soest_office.plugins.MailLinks; the subscriptions
    app registers "newsletter")."""
    result: dict[int, dict] = {}
    by_purpose: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_purpose[delivery.purpose].append(delivery)
    for purpose, group in by_purpose.items():
        provider = MAIL_LINKS.get(purpose)
        if provider is not None:
            result.update(provider.links(group))
    return result


def embargo_line(until) -> str:
    """ "Sperrfrist: 05.12.2026, 10:00 Uhr" for a mail sent before publication."""
    if until is None:
        return ""
    return _("Sperrfrist: %(at)s Uhr") % {
        "at": timezone.localtime(until).strftime("%d.%m.%Y, %H:%M")
    }


def build_message(
    delivery: Delivery,
    release: PressRelease,
    connection,
    *,
    links: dict | None = None,
    parts: ReleaseParts | None = None,
) -> mail.EmailMessage:
    """Personal mail with text and HTML parts, the embargo at the top, List-Unsubscribe.
    A batch passes the shared `parts` and the recipient's `links` it looked up in bulk."""
    if links is None:
        links = personal_links([delivery]).get(delivery.pk, {})
    parts = parts or ReleaseParts.of(release)
    link = links.get("unsubscribe_url") or unsubscribe_url(delivery.pk)
    context = {
        "delivery": delivery,
        "release": release,
        "body_text": parts.body_text,
        "body_html": parts.body_html,
        "release_url": parts.release_url,
        "unsubscribe_url": link,
        "manage_url": links.get("manage_url", ""),
        "is_newsletter": delivery.purpose == "newsletter",
    }
    subject = release.title
    embargo = embargo_line(delivery.embargo_until)
    context["embargo_line"] = embargo
    if embargo:
        subject = f"[{embargo}] {subject}"
    elif release.embargo_note:
        subject = f"[{release.embargo_note}] {subject}"
    message = mail.EmailMultiAlternatives(
        # One line whatever was typed: a line break in a header would be refused.
        subject=" ".join(f"Pressemitteilung: {subject}".split())[:250],
        body=render_to_string("news/mail/release.txt", context),
        to=[delivery.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Stable per delivery: a resend after a crash carries the same Message-ID, so
            # receiving systems can recognise the duplicate.
            "Message-ID": f"<presse-{delivery.distribution_id}-{delivery.pk}@{_domain()}>",
            "X-Soest-Delivery": str(delivery.pk),
        },
    )
    message.attach_alternative(render_to_string("news/mail/release.html", context), "text/html")
    return message


def _domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")
    return address or "localhost"
