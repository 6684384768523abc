"""How long the records of sent weekly overviews are kept (soest_office.plugins.RETENTION;
the period is settings.RETENTION_DIGEST_MAIL_DAYS, the reason in docs/aufbewahrung.md)."""

from django.utils.translation import gettext_lazy as _

from soest_office.plugins import RETENTION, RetentionPolicy
from soest_office.retention import cutoff

from .models import DigestMail

WAITING = [DigestMail.Status.QUEUED, DigestMail.Status.SENDING]


def digests_due(now):
    """Overviews of weeks that began before the period, except those still to be sent."""
    return DigestMail.objects.filter(week_start__lt=cutoff(DIGESTS, now).date()).exclude(
        status__in=WAITING
    )


def digests_delete(now) -> int:
    _total, by_model = digests_due(now).delete()
    return by_model.get(DigestMail._meta.label, 0)


DIGESTS = RETENTION.register(
    RetentionPolicy(
        key="subscription_digests",
        label=_("Versandnachweise der Wochenüberblicke (Abo)"),
        setting="RETENTION_DIGEST_MAIL_DAYS",
        queryset_due=digests_due,
        apply=digests_delete,
        action=_("Versandnachweis wird gelöscht"),
        position=40,
    )
)
