"""The news app's part of the open-data API (/api/v1/, soest_office.opendata): published
press releases, as the press release rule lets the anonymous visitor see them."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from projects.models import Project
from soest_office.api_v1 import Page
from soest_office.opendata import ApiSection, Dataset
from soest_office.plugins import OPEN_DATA

from .models import PressRelease

router = Router(tags=["Pressemitteilungen"])


class PressReleaseOut(Schema):
    slug: str
    title: str
    dateline: str
    teaser: str
    body: str = Field(description="Text in Markdown")
    published_at: datetime.datetime
    municipalities: list[str] = Field(description="slugs der Kommunen")
    projects: list[str] = Field(description="slugs der öffentlichen Vorhaben")
    url: str

    @staticmethod
    def resolve_municipalities(release) -> list[str]:
        return [m.slug for m in release.municipalities.all()]

    @staticmethod
    def resolve_projects(release) -> list[str]:
        # Only projects the public may see (the prefetch below asks the project rule).
        return [p.slug for p in release.public_projects]

    @staticmethod
    def resolve_url(release, context) -> str:
        return context["request"].build_absolute_uri(release.get_absolute_url())


def published_releases():
    return (
        PressRelease.objects.visible_to(AnonymousUser())
        .published()
        .prefetch_related(
            "municipalities",
            Prefetch(
                "projects",
                queryset=Project.objects.visible_to(AnonymousUser()).order_by("slug"),
                to_attr="public_projects",
            ),
        )
        .order_by("-published_at", "-pk")
    )


@router.get(
    "/",
    response=list[PressReleaseOut],
    url_name="press_releases",
    summary="Veröffentlichte Pressemitteilungen",
)
@paginate(Page)
def list_press_releases(
    request, vorhaben: str = "", kommune: str = "", seit: datetime.date | None = None
):
    """Filter: `vorhaben` (slug), `kommune` (slug), `seit` (Datum, JJJJ-MM-TT)."""
    releases = published_releases()
    if vorhaben:
        releases = releases.filter(
            pk__in=PressRelease.projects.through.objects.filter(
                project__in=Project.objects.visible_to(AnonymousUser()).filter(slug=vorhaben[:80])
            ).values("pressrelease_id")
        )
    if kommune:
        releases = releases.filter(
            pk__in=PressRelease.municipalities.through.objects.filter(
                municipality__slug=kommune[:50]
            ).values("pressrelease_id")
        )
    if seit:
        releases = releases.filter(published_at__date__gte=seit)
    return releases


OPEN_DATA.register(
    ApiSection(
        key="press_releases",
        prefix="pressemitteilungen",
        router=router,
        position=20,
        datasets=(
            Dataset(
                key="pressemitteilungen",
                title="Pressemitteilungen der Digitalen Modellregion Soest",
                description="Veröffentlichte Pressemitteilungen des Projektbüros.",
                path="pressemitteilungen/",
                keywords=("Pressemitteilungen", "Modellregion", "Soest"),
            ),
        ),
    )
)
