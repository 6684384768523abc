"""The one-click unsubscribe link of a press mail: a signed delivery id, and the
withdrawal of the contact's consent when it is used."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from stakeholders import services as stakeholder_services

from ..models import Delivery

UNSUBSCRIBE_SALT = "news.unsubscribe"


def unsubscribe_token(delivery_id: int) -> str:
    return signing.dumps(delivery_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(delivery_id: int) -> str:
    path = reverse("news:unsubscribe", kwargs={"token": unsubscribe_token(delivery_id)})
    return f"{settings.SITE_URL}{path}"


def delivery_from_token(token: str) -> Delivery | None:
    try:
        delivery_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Delivery.objects.select_related("contact").filter(pk=delivery_id).first()


@transaction.atomic
def delivery_unsubscribe(*, delivery: Delivery) -> bool:
    """Withdraw the contact's consent for the mailing's purpose, effective now. Queued mails
    to the contact are skipped from then on. Returns False when the contact is gone."""
    if delivery.contact_id is None:
        return False
    stakeholder_services.consent_withdraw(
        contact=delivery.contact,
        purpose=delivery.purpose,
        source=_("Abmeldelink in Pressemitteilung (Versand %(id)d)")
        % {"id": delivery.distribution_id},
    )
    Delivery.objects.filter(contact_id=delivery.contact_id, purpose=delivery.purpose).filter(
        status=Delivery.Status.QUEUED
    ).update(status=Delivery.Status.SKIPPED, error=_("abgemeldet"))
    return True
