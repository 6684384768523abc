"""What the apps put into the search: sources (one per object type) and the category facet.

Each app registers its sources in its own `search.py` (found at start-up, see
soest_office.plugins): what to index of an object (title weight A, summary B, body C, names
D), its facets (municipalities, category, year), where a hit links to, and who may see it.
`scope(queryset, user)` is the view rule of the model (its app's rules.py), by default:
the engine joins every hit back through it, so nothing the rules hide reaches a result list,
a count, a facet, a snippet or a suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet

from soest_office.access import VIEW, rule_for
from soest_office.plugins import SEARCH_FACETS, SEARCH_SOURCES


@dataclass
class Document:
    """What the index stores for one object."""

    title: str
    url: str
    summary: str = ""
    body: str = ""
    names: str = ""
    municipality_ids: Iterable[int] = ()
    category_id: int | None = None  # a row of the category facet's model
    year: int | None = None


def visible_to(queryset: QuerySet, user) -> QuerySet:
    """The usual scope of a source: the view rule of its model (the app's rules.py)."""
    return rule_for(queryset.model).scope(queryset, user, VIEW)


@dataclass(frozen=True)
class Source:
    key: str  # stable identifier stored in SearchEntry.source and used in URLs (?typ=)
    label: str  # German plural shown as group heading, e.g. "Projekte"
    model: type[Model]
    document: Callable[[Model], Document | None]  # None: not indexed (e.g. erased)
    queryset: Callable[[], QuerySet]  # for (re)indexing: with select/prefetch_related
    scope: Callable[[QuerySet, object], QuerySet] = visible_to
    position: int = 100
    # Many-to-many fields whose changes alter the document (e.g. participating municipalities).
    m2m: tuple[str, ...] = ()
    # (model, ids -> queryset of this source's objects) pairs: a change of those objects of
    # `model` alters these documents, e.g. a project's title shown in its reports. Resolved
    # in the background task, never in the request.
    dependencies: tuple = field(default=())
    # The name of a FileField whose text is extracted in the background and indexed with
    # the document's body (uploaded PDFs, Word and text files).
    file_field: str = ""

    def visible(self, user) -> QuerySet:
        return self.scope(self.model._default_manager.all(), user)


@dataclass(frozen=True)
class CategoryFacet:
    """The search's category filter, defined by an app (the fields of action): entries
    carry `Document.category_id`, an id of `model`, which has `slug`, `name` and
    `position`. `key` is the URL parameter (e.g. "handlungsfeld")."""

    key: str
    label: str
    model: type[Model]
    position: int = 100


def sources() -> list[Source]:
    return list(SEARCH_SOURCES)


def get_source(key: str) -> Source | None:
    return SEARCH_SOURCES.get(key)


def source_for_model(model: type[Model]) -> Source | None:
    for source in SEARCH_SOURCES:
        if source.model is model or issubclass(model, source.model):
            return source
    return None


def category_facet() -> CategoryFacet | None:
    """The installation's category facet (the first registered), if any app defines one."""
    return next(iter(SEARCH_FACETS), None)
