from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from projects.dashboard import GENERATION
from soest_office import caching

from .feeds import ReleaseAtomFeed, ReleaseRssFeed, SectionAtomFeed, SectionRssFeed
from .sitemaps import PressReleaseSitemap
from .views import distribution, editorial, public

app_name = "news"


# The public press pages and feeds, for visitors without a login, from the cache while no
# press release and no project changed (soest_office.caching.anonymous_page; issue 20).
cached_public = caching.anonymous_page("news", GENERATION)


def public_feed(view):
    """Feeds and the sitemap: no login, read-only methods."""
    return login_not_required(require_safe(view))


# /presse/abo/ is reserved for the public subscription (a later issue).
urlpatterns = [
    path("", cached_public(public.PublicListView.as_view()), name="public_list"),
    path("feed/rss/", public_feed(cached_public(ReleaseRssFeed())), name="feed_rss"),
    path("feed/atom/", public_feed(cached_public(ReleaseAtomFeed())), name="feed_atom"),
    path(
        "feed/rss/rubrik/<slug:section_slug>/",
        public_feed(SectionRssFeed()),
        name="feed_rss_section",
    ),
    path(
        "feed/atom/rubrik/<slug:section_slug>/",
        public_feed(SectionAtomFeed()),
        name="feed_atom_section",
    ),
    path("feed/rss/<slug:tag_slug>/", public_feed(ReleaseRssFeed()), name="feed_rss_tag"),
    path("feed/atom/<slug:tag_slug>/", public_feed(ReleaseAtomFeed()), name="feed_atom_tag"),
    path(
        "sitemap.xml",
        public_feed(sitemap),
        {"sitemaps": {"presse": PressReleaseSitemap}},
        name="sitemap",
    ),
    # Intranet: the editorial office.
    path("redaktion/", editorial.EditorialListView.as_view(), name="editorial_list"),
    path("redaktion/neu/", editorial.ReleaseCreateView.as_view(), name="editorial_create"),
    path("redaktion/vorschau/", editorial.preview, name="editorial_preview"),
    path("redaktion/<int:pk>/", editorial.EditorialDetailView.as_view(), name="editorial_detail"),
    path(
        "redaktion/ein-personen-buero/",
        editorial.one_person_office,
        name="editorial_one_person_office",
    ),
    path(
        "redaktion/<int:pk>/bearbeiten/",
        editorial.ReleaseUpdateView.as_view(),
        name="editorial_update",
    ),
    path("redaktion/<int:pk>/verlauf/", editorial.HistoryView.as_view(), name="editorial_history"),
    path("redaktion/<int:pk>/bild/", editorial.editorial_image, name="editorial_image"),
    path(
        "redaktion/<int:pk>/aktion/<slug:action>/",
        editorial.release_action,
        name="editorial_action",
    ),
    path(
        "redaktion/<int:pk>/sperrfrist/",
        distribution.distribution_scheduled,
        name="distribution_scheduled",
    ),
    path(
        "redaktion/<int:pk>/verteilen/",
        distribution.distribution_create,
        name="distribution_create",
    ),
    path(
        "redaktion/<int:pk>/versand/",
        distribution.distribution_progress,
        name="distribution_progress",
    ),
    path(
        "redaktion/<int:pk>/versand/status/",
        distribution.distribution_status,
        name="distribution_status",
    ),
    path(
        "redaktion/<int:pk>/versand/<int:delivery_pk>/unzustellbar/",
        distribution.delivery_bounce,
        name="delivery_bounce",
    ),
    path("abmelden/<str:token>/", distribution.unsubscribe, name="unsubscribe"),
    # Public release pages (slugs never collide with the words above: see RESERVED_SLUGS).
    path("<slug:slug>/", cached_public(public.PublicDetailView.as_view()), name="public_detail"),
    path("<slug:slug>/bild/", public.public_image, name="public_image"),
    path("<slug:slug>/pdf/", public.public_pdf, name="public_pdf"),
]
