"""The registry of search sources: one per object type (Projekte, Kontakte, ...).

A source says what to index of an object (title weight A, summary B, body C, names D),
its facets (municipalities, field of action, year), where a hit links to, and who may see
it: `scope(queryset, user)` must be the model's `visible_to(user)` (or the access.py
function behind it). The engine joins every hit back through that scope, so nothing the
role table hides reaches a result list, a count, a facet, a snippet or a suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, QuerySet


@dataclass
class Document:
    """What the index stores for one object."""

    title: str
    url: str
    summary: str = ""
    body: str = ""
    names: str = ""
    municipality_ids: Iterable[int] = ()
    field_of_action_id: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Source:
    key: str  # stable identifier stored in SearchEntry.source and used in URLs (?typ=)
    label: str  # German plural shown as group heading, e.g. "Projekte"
    model: type[Model]
    scope: Callable[[QuerySet, object], QuerySet]
    document: Callable[[Model], Document | None]  # None: not indexed (e.g. erased)
    queryset: Callable[[], QuerySet]  # for (re)indexing: with select/prefetch_related
    position: int = 100
    # Many-to-many fields whose changes alter the document (e.g. participating municipalities).
    m2m: tuple[str, ...] = ()
    # Further (model, instance -> iterable of objects of this source) pairs whose changes
    # alter this source's documents, e.g. a project's title shown in its reports.
    dependencies: tuple = field(default=())

    def visible(self, user) -> QuerySet:
        return self.scope(self.model._default_manager.all(), user)


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    _SOURCES[source.key] = source
    return source


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.position, s.label))


def get_source(key: str) -> Source | None:
    return _SOURCES.get(key)


def source_for_model(model: type[Model]) -> Source | None:
    for source in _SOURCES.values():
        if source.model is model or issubclass(model, source.model):
            return source
    return None
