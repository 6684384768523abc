from django import template

from soest_office.access import CREATE

from ..models import PressRelease
from ..rules import PRESS_RELEASE, PUBLISH

register = template.Library()


@register.simple_tag(takes_context=True)
def news_home_panel(context):
    """Counts for the home page panel (None for users without press rights)."""
    user = context["request"].user
    if not PRESS_RELEASE.permits(user, CREATE):
        return None
    office = PRESS_RELEASE.permits(user, PUBLISH)
    return {
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
