"""Sections the news app adds to other apps' pages (found by the kernel, see
soest_office.plugins): the published press releases about a project, on its public page.
Asked as the anonymous visitor through the press release rule (news/rules.py), whoever
reads the public page."""

from django.contrib.auth.models import AnonymousUser

from soest_office.plugins import PANELS, Panel

from .models import PressRelease

PUBLIC_PROJECT_RELEASES = 10


def public_project_releases(request, project) -> dict | None:
    releases = list(
        PressRelease.objects.visible_to(AnonymousUser())
        .published()
        .filter(projects=project)
        .order_by("-published_at", "-pk")[:PUBLIC_PROJECT_RELEASES]
    )
    return {"releases": releases} if releases else None


PANELS.register(
    Panel(
        key="public_project_releases",
        slot="public_project_detail",
        template_name="news/panels/public_project_releases.html",
        context=public_project_releases,
    )
)
