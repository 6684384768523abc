"""Who may see, write, approve and send press releases: DESIGN.md's role table, once.

Published releases are public. The office writes, approves, publishes and sends; partner
staff propose drafts (and see their own until they are published); the steering group
reads what is published. Approval follows the four-eyes rule (settings.NEWS_FOUR_EYES):
nobody approves a release they wrote or changed, unless the office turned the one-person
office on (NewsSettings, audited) and they are its only active member.
Mailings and their per-recipient deliveries are the office's.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
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
    """Neither written nor changed by the approver (changes after submission, corrections
    included, are tracked in `revisers`) – unless the office turned the one-person office on
    (NewsSettings, audited) and the approver is indeed its only active member. All in SQL."""
    if not settings.NEWS_FOUR_EYES:
        return Q()
    through = apps.get_model("news", "PressRelease").revisers.through
    revised = through.objects.filter(pressrelease_id=OuterRef("pk"), user_id=user.pk)
    one_person_office = apps.get_model("news", "NewsSettings").objects.filter(
        pk=1, one_person_office=True
    )
    others = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.OFFICE.value)
        .exclude(pk=user.pk)
    )
    return (~Q(author_id=user.pk) & ~Q(Exists(revised))) | (
        Q(Exists(one_person_office)) & ~Q(Exists(others))
    )


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
            APPROVE: {OFFICE: where(_("weder selbst verfasste noch selbst geänderte"), _four_eyes)},
            PUBLISH: {OFFICE: EVERYTHING},
        },
        note=_(
            "Freigeben (Vier-Augen-Prinzip): nie eine Meldung, die man verfasst oder nach dem "
            "Einreichen geändert hat; Korrekturen veröffentlichter Meldungen ebenso. Ausnahme "
            "nur, wenn das Projektbüro das Ein-Personen-Büro bewusst eingeschaltet hat und "
            "wirklich nur ein aktives Mitglied hat."
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
