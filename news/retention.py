"""How long the press mailing's delivery records keep their recipient (soest_office.plugins
.RETENTION; the period is settings.RETENTION_NEWS_DELIVERY_DAYS, the reason in
docs/aufbewahrung.md)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from soest_office.plugins import RETENTION, RetentionPolicy
from soest_office.retention import cutoff

from .models import Delivery

FINISHED = [
    Delivery.Status.SENT,
    Delivery.Status.FAILED,
    Delivery.Status.SKIPPED,
    Delivery.Status.BOUNCED,
]
NAMES_A_PERSON = (
    Q(contact__isnull=False) | ~Q(email="") | ~Q(name="") | ~Q(salutation="") | ~Q(error="")
)


def deliveries_due(now):
    """Finished deliveries whose last change is older than the period and that still name
    their recipient (a delivery waiting for a retry is never due)."""
    return Delivery.objects.filter(
        NAMES_A_PERSON, status__in=FINISHED, updated_at__lt=cutoff(DELIVERIES, now)
    )


def deliveries_anonymise(now) -> int:
    """The row stays (the mailing's counts per status); who it went to goes. Like the
    erasure of a person (news/personal_data.py)."""
    return deliveries_due(now).update(contact=None, email="", name="", salutation="", error="")


DELIVERIES = RETENTION.register(
    RetentionPolicy(
        key="news_deliveries",
        label=_("Zustellungen von Pressemitteilungen"),
        setting="RETENTION_NEWS_DELIVERY_DAYS",
        queryset_due=deliveries_due,
        apply=deliveries_anonymise,
        action=_(
            "Empfänger (Kontakt, Adresse, Name, Fehlertext) wird entfernt, die Zählung bleibt"
        ),
        position=30,
    )
)
