"""The site's sitemap (/sitemap.xml): every public page the apps register in
`plugins.SITEMAPS` from their `sitemaps.py`, and the kernel's own open-data entry points.

The kernel knows no app's pages: each app's section answers from the app's rules, asked as
the anonymous visitor, so nothing the public may not see is ever listed (a project made
non-public drops out with the next request; nothing is cached).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse
from django.views.decorators.http import require_safe

from .plugins import SITEMAPS, SitemapSection


def newest_change(exclude: str = ""):
    """The newest change of all registered sections' public data (None when none has any)."""
    dates = [
        section.latest()
        for section in SITEMAPS
        if section.key != exclude and section.latest is not None
    ]
    return max((d for d in dates if d is not None), default=None)


class OpenDataSitemap(Sitemap):
    """The open-data API's overview and its DCAT-AP.de catalogue (for harvesting portals):
    they serve the public data of the other sections and change when those do."""

    changefreq = "daily"
    priority = 0.4

    def items(self):
        return ["api_v1:index", "api_v1:katalog"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return newest_change(exclude="offene-daten")


SITEMAPS.register(SitemapSection(key="offene-daten", sitemap=OpenDataSitemap(), position=900))


@require_safe
@login_not_required
def sitemap(request):
    """/sitemap.xml: no login, read-only methods."""
    sections = {section.key: section.sitemap for section in SITEMAPS}
    return sitemap_views.sitemap(request, sitemaps=sections)
