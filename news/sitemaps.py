from django.contrib.sitemaps import Sitemap

from .models import PressRelease


class PressReleaseSitemap(Sitemap):
    """Published releases only: drafts, scheduled and archived ones stay unlisted."""

    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return PressRelease.objects.published().order_by("-published_at")

    def lastmod(self, obj):
        return obj.updated_at
