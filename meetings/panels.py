"""Sections the meetings app adds to other pages (found by the kernel, see
soest_office.plugins): on a project's page its decisions and open action items, on the home
page the user's own and their municipality's open action items. Each asks the rules."""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string

from projects.dashboard import scoped_cache_key
from soest_office import caching
from soest_office.plugins import PANELS, Panel

from .rules import ACTION_ITEM, UPDATE_STATUS
from .selectors import open_action_items_for, project_decisions, project_open_action_items


def project_meetings(request, project) -> dict | None:
    decisions = list(project_decisions(request.user, project)[:20])
    items = list(
        ACTION_ITEM.annotate(
            project_open_action_items(request.user, project), request.user, UPDATE_STATUS
        )
    )
    if not decisions and not items:
        return None
    return {
        "decisions": decisions,
        "items": items,
    }


HOME_ITEMS_SECONDS = 300


def home_action_items(request, obj) -> dict | None:
    """The user's open action items, rendered and kept per user in the meetings app's cache
    generation and the projects' one (the items name their project, owner and
    municipality): any write to either shows at once. The HTML is kept, not only the rows:
    twenty rows with a status form each were half of the home page's time; each request
    fills in its own CSRF token (soest_office.caching.with_csrf_token)."""
    user = request.user
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    key = ":".join(
        [
            "meetings:home",
            caching.generation("meetings"),
            scoped_cache_key("projects", user),
            str(user.pk),
            path,  # the status forms return to this page
        ]
    )
    html = cache.get(key)
    if html is None:
        items = list(ACTION_ITEM.annotate(open_action_items_for(user), user, UPDATE_STATUS)[:20])
        html = (
            render_to_string(
                "meetings/panels/home_action_items.html",
                {
                    "items": items,
                    **caching.fragment_context(),
                },
                request,
            )
            if items
            else ""
        )
        cache.set(key, html, HOME_ITEMS_SECONDS)
    if not html:
        return None
    return {"html": caching.with_csrf_token(html, request)}


PANELS.register(
    Panel(
        key="project_meetings",
        slot="project_detail",
        template_name="meetings/panels/project_meetings.html",
        context=project_meetings,
        position=50,
        # Decisions and action items (meetings), their owners and municipalities (projects).
        generations=("meetings", "projects"),
    )
)

PANELS.register(
    Panel(
        key="home_action_items",
        slot="home",
        template_name="meetings/panels/home_action_items_cached.html",
        context=home_action_items,
        position=50,
    )
)
