from django import template
from django.core.cache import cache

from soest_office import caching
from soest_office.access import CREATE

from ..models import PressRelease
from ..rules import PRESS_RELEASE, PUBLISH

register = template.Library()

HOME_COUNTS_SECONDS = 60


@register.simple_tag(takes_context=True)
def news_home_panel(context):
    """Counts for the home page panel (None for users without press rights). Kept per user
    in the news app's cache generation (any write to a press release starts a new one), for
    at most HOME_COUNTS_SECONDS: a scheduled release falls overdue by the clock alone."""
    user = context["request"].user
    if not PRESS_RELEASE.permits(user, CREATE):
        return None
    office = PRESS_RELEASE.permits(user, PUBLISH)
    key = f"news:home:{caching.generation('news')}:{user.pk}:{int(office)}"
    counts = cache.get(key)
    if counts is None:
        counts = {
            "overdue": PressRelease.objects.overdue().count() if office else 0,
            "submitted": (
                PressRelease.objects.filter(status=PressRelease.Status.SUBMITTED).count()
                if office
                else None
            ),
            "drafts": PressRelease.objects.filter(
                author=user, status=PressRelease.Status.DRAFT
            ).count(),
        }
        cache.set(key, counts, HOME_COUNTS_SECONDS)
    return counts
