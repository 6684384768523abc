"""The participation's section on the public project page (slot "public_project_detail",
rendered by the projects app): the question, the period and a link, with a teaser of the
latest published contributions. Only what the public may see, whoever looks."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from soest_office.plugins import PANELS, Panel

from .models import Participation
from .rules import CONTRIBUTION, PARTICIPATION
from .selectors import accepted_contributions

PUBLIC = AnonymousUser()
TEASER = 3


def public_panel(request, project) -> dict | None:
    participation = (
        PARTICIPATION.scope(Participation.objects.select_related("project"), PUBLIC)
        .filter(project_id=project.pk)
        .first()
    )
    if participation is None:
        return None
    published = CONTRIBUTION.scope(accepted_contributions(), PUBLIC).filter(
        participation=participation
    )
    return {
        "participation": participation,
        "is_open": participation.is_open(),
        "teaser": list(published[:TEASER]),
        "published_count": published.count(),
    }


PANELS.register(
    Panel(
        key="participation_public",
        slot="public_project_detail",
        template_name="participation/panel_public.html",
        context=public_panel,
        position=50,
    )
)
