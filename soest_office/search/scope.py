"""The user's scope: the sources a user may see and the index entries of their objects."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import SearchEntry
from .registry import Source, sources


def visible_sources(user, only=None) -> list[tuple[Source, QuerySet | None]]:
    """(source, scoped queryset or None when unrestricted) for each source the user sees;
    `only` limits to the given source keys."""
    result = []
    for source in sources():
        if only is not None and source.key not in only:
            continue
        visible = source.visible(user)
        if visible.query.is_empty():
            continue
        result.append((source, visible if visible.query.where else None))
    return result


def may_search(user) -> bool:
    """Whether the rules let the user see anything the search finds (the search page's
    question; no role: nothing)."""
    return any(not source.visible(user).query.is_empty() for source in sources())


def _scope_q(source: Source, visible: QuerySet | None) -> Q:
    """The entries of `source` whose objects are in `visible` (None: all of the source)."""
    if visible is None:
        return Q(source=source.key)
    # The source test first: rows of other sources never reach the subquery (a partner's
    # visible reports or contact history are tens of thousands of ids).
    return Q(source=source.key) & Q(object_id__in=visible.values("pk"))


def scoped_entries(user, only=None) -> tuple[QuerySet, list[Source]]:
    allowed = visible_sources(user, only)
    condition = Q(pk__in=[])
    for source, visible in allowed:
        condition |= _scope_q(source, visible)
    return SearchEntry.objects.filter(condition), [source for source, _ in allowed]
