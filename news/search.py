"""What the news app puts into the search (found by the kernel, see soest_office.plugins):
press releases, for whom news/rules.py lets see them (published ones for everyone, drafts
for the office and their author). The public press page searches through the same source.
"""

from django.utils.translation import gettext_lazy as _

from soest_office.plugins import SEARCH_SOURCES
from soest_office.search.registry import Document, Source

from .models import PressRelease


def release_document(release) -> Document:
    published = release.status == PressRelease.Status.PUBLISHED
    when = release.published_at or release.created_at
    municipalities = list(release.municipalities.all())
    return Document(
        title=release.title,
        summary=release.teaser,
        body=release.body,
        names="\n".join(
            part for part in (release.dateline, *(m.name for m in municipalities)) if part
        ),
        municipality_ids=[m.pk for m in municipalities],
        year=when.year if when else None,
        url=release.get_absolute_url() if published else release.get_editorial_url(),
    )


SEARCH_SOURCES.register(
    Source(
        key="presse",
        label=_("Pressemitteilungen"),
        model=PressRelease,
        document=release_document,
        queryset=lambda: PressRelease.objects.prefetch_related("municipalities"),
        position=80,
        m2m=("municipalities", "tags"),
    )
)
