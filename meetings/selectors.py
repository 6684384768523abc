"""Read-only questions other parts ask (home page, project page, a future inbox)."""

from django.db.models import Q

from soest_office import access

from .models import ActionItem, Decision
from .rules import ACTION_ITEM, DECISION


def open_action_items_for(user):
    """The open action items the user owns or their municipality owns, earliest due first
    (a queryset, for the home page and an inbox). Empty for users without a role: the
    action item rule grants them nothing."""
    owned = Q(owner_user_id=user.pk)
    municipality_id = access.municipality_id_of(user)
    if municipality_id is not None:
        owned |= Q(owner_municipality_id=municipality_id)
    return (
        ACTION_ITEM.scope(ActionItem.objects.open(), user)
        .filter(owned)
        .select_related("owner_user", "owner_municipality", "project", "body")
        .order_by("due", "pk")
    )


def project_decisions(user, project):
    return (
        DECISION.scope(Decision.objects.all(), user)
        .filter(projects=project)
        .select_related("body", "meeting")
        .order_by("-year", "-number")
    )


def project_open_action_items(user, project):
    return (
        ACTION_ITEM.scope(ActionItem.objects.open(), user)
        .filter(project=project)
        # The table links each item's project (the same one): joined, not one query each.
        .select_related("owner_user", "owner_municipality", "body", "project")
        .order_by("due", "pk")
    )
