"""Which subscriptions a press release concerns. The rule is stated twice, side by side so
the two stay alike: as a query (the release fan-out) and as a Python predicate over
prefetched topics (the weekly digest, which checks many releases for one subscriber)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from news.models import PressRelease

from ..models import Subscription


def matching_subscriptions(release: PressRelease):
    """Active subscriptions whose topics cover the release. No Rubrik chosen means all
    Rubriken (a release without Rubrik reaches only those); no municipality chosen means all,
    and a release without municipalities concerns the whole region."""
    section_through = Subscription.sections.through
    place_through = Subscription.municipalities.through
    no_sections = ~Exists(section_through.objects.filter(subscription_id=OuterRef("pk")))
    q = no_sections
    if release.section_id:
        q = q | Exists(
            section_through.objects.filter(
                subscription_id=OuterRef("pk"), section_id=release.section_id
            )
        )
    qs = Subscription.objects.active().filter(q)
    place_ids = [m.pk for m in release.municipalities.all()]
    if place_ids:
        qs = qs.filter(
            ~Exists(place_through.objects.filter(subscription_id=OuterRef("pk")))
            | Exists(
                place_through.objects.filter(
                    subscription_id=OuterRef("pk"), municipality_id__in=place_ids
                )
            )
        )
    return qs


def matching_subscriptions_ids_for(subscription: Subscription):
    """A predicate release -> bool for one subscription (the rule of matching_subscriptions,
    evaluated in Python on prefetched data)."""
    section_ids = {s.pk for s in subscription.sections.all()}
    place_ids = {m.pk for m in subscription.municipalities.all()}

    def matches(release: PressRelease) -> bool:
        if section_ids and release.section_id not in section_ids:
            return False
        release_places = {m.pk for m in release.municipalities.all()}
        return not (place_ids and release_places and not (place_ids & release_places))

    return matches
