"""RSS 2.0 and Atom feeds of the published releases, overall and per Stichwort."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import PressRelease, Section, Tag

FEED_SIZE = 20


def correction_line(correction: dict) -> str:
    return _("Korrektur vom %(date)s: %(note)s") % {
        "date": timezone.localtime(correction["at"]).strftime("%d.%m.%Y %H:%M"),
        "note": correction["note"],
    }


class ReleaseRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "de"
    author_name = "Projektbüro Digitale Modellregion Soest"

    def get_object(self, request, tag_slug=None):
        if tag_slug is None:
            return None
        return get_object_or_404(Tag, slug=tag_slug)

    def title(self, obj):
        base = "Pressemitteilungen – Digitale Modellregion Soest"
        return f"{base}: {obj.name}" if obj else base

    def link(self, obj):
        url = reverse("news:public_list")
        return f"{url}?stichwort={obj.slug}" if obj else url

    def description(self, obj):
        return "Aktuelle Pressemitteilungen des Projektbüros der Digitalen Modellregion Soest."

    subtitle = description

    def feed_url(self, obj):
        name = "news:feed_rss" if self.feed_type is Rss201rev2Feed else "news:feed_atom"
        if obj:
            return reverse(f"{name}_tag", kwargs={"tag_slug": obj.slug})
        return reverse(name)

    def items(self, obj):
        qs = PressRelease.objects.published().prefetch_related("tags")
        if obj:
            qs = qs.filter(tags=obj)
        return qs.order_by("-published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Teaser plus the sanitised body; the syndication framework escapes it for XML.
        # Approved corrections of a published release follow, dated (news.corrections).
        notes = "".join(
            f"<p><em>{escape(correction_line(c))}</em></p>" for c in item.correction_list
        )
        return f"<p>{escape(item.teaser)}</p>{item.body_html()}{notes}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [t.name for t in item.tags.all()]

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    item_guid_is_permalink = True


class ReleaseAtomFeed(ReleaseRssFeed):
    feed_type = Atom1Feed


class SectionRssFeed(ReleaseRssFeed):
    """The releases of one Rubrik (`/presse/feed/rss/rubrik/<slug>/`)."""

    def get_object(self, request, section_slug):
        return get_object_or_404(Section, slug=section_slug)

    def title(self, obj):
        return f"Pressemitteilungen – Digitale Modellregion Soest: Rubrik {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        name = (
            "news:feed_rss_section"
            if self.feed_type is Rss201rev2Feed
            else "news:feed_atom_section"
        )
        return reverse(name, kwargs={"section_slug": obj.slug})

    def items(self, obj):
        qs = PressRelease.objects.published().filter(section=obj).prefetch_related("tags")
        return qs.order_by("-published_at")[:FEED_SIZE]


class SectionAtomFeed(SectionRssFeed):
    feed_type = Atom1Feed
