"""The public project pages in the site's sitemap (soest_office.sitemaps): the list
/vorhaben/ and the page of every project the public may see, asked through the project
rule as the anonymous visitor (projects.public), dated by their data."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from soest_office.plugins import SITEMAPS, SitemapSection

from . import public


def latest_public_change():
    """The newest change of any public project page (one query; None without any)."""
    return public.with_public_lastmod(public.public_project_rows()).aggregate(
        newest=Max("lastmod")
    )["newest"]


class PublicProjectListSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["vorhaben:list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return latest_public_change()


class PublicProjectSitemap(Sitemap):
    """One entry per public project; a project made non-public or archived drops out."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            public.with_public_lastmod(public.public_project_rows())
            .only("slug", "updated_at")
            .order_by("slug", "pk")
        )

    def location(self, project):
        return reverse("vorhaben:detail", args=[project.slug])

    def lastmod(self, project):
        return project.lastmod


SITEMAPS.register(
    SitemapSection(
        key="vorhaben",
        sitemap=PublicProjectListSitemap(),
        latest=latest_public_change,
        position=10,
    )
)
SITEMAPS.register(
    SitemapSection(key="vorhaben-seiten", sitemap=PublicProjectSitemap(), position=11)
)
