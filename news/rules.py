"""Who may see, write, approve and send press releases: DESIGN.md's role table, once.

Published releases are public. The office writes, approves, publishes and sends; partner
staff propose drafts (and see their own until they are published); the steering group
reads what is published. Approval follows the four-eyes rule (settings.NEWS_FOUR_EYES):
nobody approves a release they wrote, unless they are the only active member of the office.
Mailings and their per-recipient deliveries are the office's.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from soest_office.access import (
    CHANGE,
    CREATE,
    EVERYTHING,
    PUBLIC,
    VIEW,
    Role,
    Rule,
    Verb,
    where,
)
from soest_office.plugins import RULES

OFFICE, PARTNER, STEERING = Role.OFFICE, Role.PARTNER, Role.STEERING

APPROVE = Verb("approve", _("freigeben"))
# Schedule, publish, archive and send to distribution lists.
PUBLISH = Verb("publish", _("veröffentlichen, versenden"))

PUBLISHED_STATUS = "published"  # PressRelease.Status.PUBLISHED


def _published(user) -> Q:
    return Q(status=PUBLISHED_STATUS)


def _published_or_own(user) -> Q:
    return Q(status=PUBLISHED_STATUS) | Q(author_id=user.pk)


def _own_drafts(user) -> Q:
    return Q(author_id=user.pk, status="draft")


def _four_eyes(user) -> Q:
    """Not one's own release, unless no other active office member could approve it."""
    if not settings.NEWS_FOUR_EYES:
        return Q()
    others = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.OFFICE.value)
        .exclude(pk=user.pk)
    )
    return ~Q(author_id=user.pk) | ~Q(Exists(others))


PUBLISHED = where(_("veröffentlichte"), _published)

PRESS_RELEASE = RULES.register(
    Rule(
        model="news.PressRelease",
        label=_("Pressemitteilungen"),
        position=50,
        grants={
            VIEW: {
                OFFICE: EVERYTHING,
                PARTNER: where(_("veröffentlichte und eigene"), _published_or_own),
                STEERING: PUBLISHED,
                PUBLIC: PUBLISHED,
            },
            CREATE: {OFFICE: EVERYTHING, PARTNER: EVERYTHING},
            CHANGE: {OFFICE: EVERYTHING, PARTNER: where(_("eigene Entwürfe"), _own_drafts)},
            APPROVE: {OFFICE: where(_("nicht selbst verfasste"), _four_eyes)},
            PUBLISH: {OFFICE: EVERYTHING},
        },
        note=_(
            "Freigeben (Vier-Augen-Prinzip): nie die eigene Meldung, außer das Projektbüro "
            "hat nur ein aktives Mitglied."
        ),
    )
)

DISTRIBUTION = RULES.register(
    Rule(
        model="news.Distribution",
        label=_("Versände"),
        position=51,
        grants={VIEW: {OFFICE: EVERYTHING}, CHANGE: {OFFICE: EVERYTHING}},
    )
)

DELIVERY = RULES.register(
    Rule(
        model="news.Delivery",
        label=_("Zustellungen"),
        position=52,
        grants={VIEW: {OFFICE: EVERYTHING}, CHANGE: {OFFICE: EVERYTHING}},
    )
)
