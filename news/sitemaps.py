from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from soest_office.plugins import SITEMAPS, SitemapSection

from .models import PressRelease


class PressReleaseSitemap(Sitemap):
    """Published releases only: drafts, scheduled and archived ones stay unlisted."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return PressRelease.objects.published().order_by("-published_at")

    def lastmod(self, obj):
        return obj.updated_at


def latest_public_change():
    """The newest change of a published release (one query; None without any)."""
    return PressRelease.objects.published().aggregate(newest=Max("updated_at"))["newest"]


# The same section in the site's sitemap (soest_office.sitemaps); /presse/sitemap.xml stays.
SITEMAPS.register(
    SitemapSection(
        key="presse", sitemap=PressReleaseSitemap(), latest=latest_public_change, position=30
    )
)
