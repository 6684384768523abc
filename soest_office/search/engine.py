"""The search engine: scope, match, facets, hits and suggestions for one user.

Every entry considered is first limited to the objects the user may see, by joining back to
each source's `visible_to(user)` queryset (sources the user may not see at all are left
out). Counts, facets, hits, snippets and suggestions are all computed from that scoped set,
so none of them can reveal a hidden object. This module is the public API; the parts live
beside it: `scope` (what a user may see), `filters` (the facet filters), `summary` (the one
SQL pass for counts, facets and hits) and `suggest` (the header box).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from .backends import get_backend
from .filters import Filters, parse_filters
from .models import SearchEntry
from .query import ParsedQuery, parse_query
from .registry import Source, get_source
from .scope import scoped_entries, visible_sources
from .snippets import Highlighter
from .suggest import SUGGEST_FIRST, SUGGEST_MIN_CHARS, SUGGESTION_COUNT, suggest
from .summary import _summarise

__all__ = [
    "GROUP_SIZE",
    "MATCH_LIMIT",
    "PAGE_SIZE",
    "SUGGESTION_COUNT",
    "SUGGEST_FIRST",
    "SUGGEST_MIN_CHARS",
    "Filters",
    "Group",
    "Hit",
    "Matches",
    "SearchResult",
    "match_entries",
    "parse_filters",
    "scoped_entries",
    "search",
    "suggest",
    "visible_sources",
]

GROUP_SIZE = 5
PAGE_SIZE = 20
# At most this many matches per type are read, ranked, counted and faceted. A common word
# matches tens of thousands of reports and contact notes; reading them all costs hundreds of
# milliseconds, and nobody pages through them: above the limit the page says "mehr als 500"
# and asks to narrow the search down (GitLab's and Elasticsearch's searches cap counts too).
MATCH_LIMIT = 500


@dataclass
class Hit:
    source: Source
    title: str
    title_html: str
    snippet: str
    url: str


@dataclass
class Group:
    source: Source
    count: int
    hits: list[Hit] = field(default_factory=list)
    capped: bool = False  # more than MATCH_LIMIT matches: `count` is the limit


@dataclass
class SearchResult:
    parsed: ParsedQuery
    filters: Filters
    hints: list[str]
    fuzzy: bool = False
    total: int = 0
    type_counts: list[tuple[Source, int]] = field(default_factory=list)
    # Keys of the types with more than MATCH_LIMIT matches: their count is MATCH_LIMIT, and
    # counts, facets and ranking cover the MATCH_LIMIT matches read of them.
    capped: set[str] = field(default_factory=set)
    municipality_facet: list[dict] = field(default_factory=list)
    category_facet: list[dict] = field(default_factory=list)
    year_facet: list[dict] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)  # overview (no type chosen)
    page: object = None  # Paginator page of Hit (one type chosen)

    @property
    def total_capped(self) -> bool:
        """Whether `total` is a lower bound (some type shown has more matches)."""
        if self.filters.source:
            return self.filters.source.key in self.capped
        return bool(self.capped)


def _hit(entry, highlighter: Highlighter) -> Hit:
    source = get_source(entry.source)
    return Hit(
        source=source,
        title=entry.title,
        title_html=highlighter.highlight(entry.title),
        snippet=highlighter.snippet(entry.summary, entry.body),
        url=entry.url,
    )


def _capped_hint() -> str:
    return _(
        "Sehr viele Treffer: Je Art werden höchstens %(limit)s davon gezählt und nach "
        "Relevanz geordnet. Grenzen Sie die Suche mit weiteren Wörtern oder den Filtern ein."
    ) % {"limit": MATCH_LIMIT}


def _fuzzy_hint() -> str:
    return _("Keine genauen Treffer – angezeigt werden ähnliche Schreibweisen.")


@dataclass
class Matches:
    """The matching index entries of one query, for pages that combine the search with
    their own filters, ordering and pagination (the public press list)."""

    parsed: ParsedQuery
    hints: list[str]
    fuzzy: bool = False
    # SearchEntry rows of the user's scope that match, annotated with `rank`; None when the
    # query holds nothing to search for (the hints say why).
    entries: QuerySet | None = None

    def object_ids(self) -> QuerySet:
        """`object_id`s of the matching entries, for `Model.objects.filter(pk__in=...)`."""
        return self.entries.values("object_id")

    def rank_of(self, outer_pk="pk") -> Subquery:
        """The rank of the object `outer_pk` of the outer query, for `order_by`."""
        return Subquery(
            self.entries.filter(object_id=OuterRef(outer_pk)).order_by().values("rank")[:1]
        )


def match_entries(user, raw_query, *, only=None) -> Matches:
    """Match `raw_query` in what `user` may see (`only`: these source keys) like `search`,
    without facets or hits: exact matches (stemming, umlaut spellings), and similar
    spellings when nothing matches exactly. Never raises on user input."""
    parsed = parse_query(raw_query)
    result = Matches(parsed=parsed, hints=list(parsed.hints))
    if not parsed.is_searchable:
        return result
    base, allowed = scoped_entries(user, only)
    if not allowed:
        result.entries = SearchEntry.objects.none().annotate(rank=Value(0.0))
        return result
    backend = get_backend()
    matched, rank = backend.match(base, parsed)
    if parsed.fuzzy_terms() and not matched.exists():
        similar, similar_rank = backend.match(base, parsed, fuzzy=True)
        if similar.exists():
            matched, rank = similar, similar_rank
            result.fuzzy = True
            result.hints.append(_fuzzy_hint())
    result.entries = matched.annotate(rank=rank)
    return result


def search(user, raw_query, params=None, *, page_number=1, only=None) -> SearchResult:
    """Search everything `user` may see (`only`: these source keys). Never raises on user
    input. For the public press page: `search(AnonymousUser(), q, only=["presse"])` finds
    published releases only, through the same access rule as the feeds."""
    parsed = parse_query(raw_query)
    scoped = visible_sources(user, only)
    allowed = [source for source, _visible in scoped]
    filters, filter_hints = parse_filters(params or {}, allowed)
    result = SearchResult(parsed=parsed, filters=filters, hints=parsed.hints + filter_hints)
    if not parsed.is_searchable or not allowed:
        return result

    backend = get_backend()

    def matching(fuzzy=False):
        # Each source matched on its own; its scope is applied in _summarise.
        return [
            (
                source,
                visible,
                *backend.match(SearchEntry.objects.filter(source=source.key), parsed, fuzzy=fuzzy),
            )
            for source, visible in scoped
        ]

    # One page of the chosen type; a page number beyond the last is corrected below.
    requested = _page_number(page_number)
    page = ((requested - 1) * PAGE_SIZE, PAGE_SIZE) if filters.source else None
    matches = matching()
    summary = _summarise(matches, filters, page=page)
    if not summary.type_counts and parsed.fuzzy_terms():
        matches = matching(fuzzy=True)
        summary = _summarise(matches, filters, page=page)
        if summary.type_counts:
            result.fuzzy = True
            result.hints.append(_fuzzy_hint())
    if not summary.type_counts:
        return result

    result.type_counts = summary.type_counts
    result.capped = summary.capped
    if result.total_capped:
        result.hints.append(_capped_hint())
    result.municipality_facet = summary.municipality_facet
    result.category_facet = summary.category_facet
    result.year_facet = summary.year_facet
    counts = {s.key: n for s, n in result.type_counts}
    result.total = counts.get(filters.source.key, 0) if filters.source else sum(counts.values())
    highlighter = Highlighter(parsed.highlight_words)
    if filters.source:
        # The Paginator only does the page arithmetic; the count is known already.
        paginator_page = Paginator(range(result.total), PAGE_SIZE).get_page(page_number)
        hit_ids = summary.hit_ids
        if paginator_page.number != requested:
            offset = (paginator_page.number - 1) * PAGE_SIZE
            hit_ids = _summarise(
                matches, filters, page=(offset, PAGE_SIZE), aggregates=False
            ).hit_ids
        paginator_page.object_list = [_hit(e, highlighter) for e in _entries(hit_ids)]
        result.page = paginator_page
    else:
        by_source: dict[str, list] = {}
        for entry in _entries(summary.hit_ids):
            by_source.setdefault(entry.source, []).append(_hit(entry, highlighter))
        result.groups = [
            Group(
                source=source,
                count=count,
                hits=by_source.get(source.key, []),
                capped=source.key in result.capped,
            )
            for source, count in result.type_counts
        ]
    return result


def _page_number(value) -> int:
    """The page asked for, as Paginator.get_page reads it (1 when not a number)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        try:
            number = int(float(value))
        except (TypeError, ValueError, OverflowError):
            return 1
    return max(number, 1)


def _entries(ids: list[int]) -> list[SearchEntry]:
    """The entries of `ids`, in that order, with the texts a hit shows."""
    if not ids:
        return []
    found = SearchEntry.objects.only("source", "title", "summary", "body", "url").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
