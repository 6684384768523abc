"""The public participation pages in the site's sitemap (soest_office.sitemaps): one per
participation the public may see (the participation rule, asked as the anonymous visitor,
as the page itself does), dated by its newest published contribution or answer."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from soest_office.plugins import SITEMAPS, SitemapSection

from .models import Contribution, Participation
from .rules import CONTRIBUTION, PARTICIPATION

PUBLIC = AnonymousUser()


def _published():
    """Published contributions, each with the time it last changed in public (accepted,
    answered)."""
    return CONTRIBUTION.scope(Contribution.objects.all(), PUBLIC).annotate(
        changed=Greatest("moderated_at", Coalesce("answered_at", "moderated_at"))
    )


def latest_public_change():
    return _published().aggregate(newest=Max("changed"))["newest"]


class ParticipationSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        newest = (
            _published()
            .filter(participation=OuterRef("pk"))
            .order_by("-changed")
            .values("changed")[:1]
        )
        return (
            PARTICIPATION.scope(Participation.objects.select_related("project"), PUBLIC)
            .annotate(lastmod=Subquery(newest))
            .order_by("project__slug", "pk")
        )

    def location(self, participation):
        return participation.get_absolute_url()

    def lastmod(self, participation):
        return participation.lastmod


SITEMAPS.register(
    SitemapSection(
        key="beteiligung",
        sitemap=ParticipationSitemap(),
        latest=latest_public_change,
        position=20,
    )
)
