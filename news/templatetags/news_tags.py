from django import template

from soest_office import access

from ..models import PressRelease

register = template.Library()


@register.simple_tag(takes_context=True)
def news_home_panel(context):
    """Counts for the home page panel (None for users without press rights)."""
    user = context["request"].user
    if not access.can_write_press(user):
        return None
    office = access.can_publish_press(user)
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
