"""The search engine: scope, match, facets, hits and suggestions for one user.

Every entry considered is first limited to the objects the user may see, by joining back to
each source's `visible_to(user)` queryset (sources the user may not see at all are left
out). Counts, facets, hits, snippets and suggestions are all computed from that scoped set,
so none of them can reveal a hidden object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from soest_office.models import Municipality

from .backends import get_backend
from .models import SearchEntry
from .query import ParsedQuery, parse_query
from .registry import Source, get_source, sources
from .snippets import Highlighter

GROUP_SIZE = 5
PAGE_SIZE = 20
SUGGESTION_COUNT = 8
SUGGEST_MIN_CHARS = 3


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


def scoped_entries(user, only=None) -> tuple[QuerySet, list[Source]]:
    allowed = visible_sources(user, only)
    condition = Q(pk__in=[])
    for source, visible in allowed:
        if visible is None:
            condition |= Q(source=source.key)
        else:
            condition |= Q(source=source.key, object_id__in=visible.values("pk"))
    return SearchEntry.objects.filter(condition), [source for source, _ in allowed]


@dataclass
class Filters:
    source: Source | None = None
    municipality: Municipality | None = None
    field_of_action: object | None = None
    year: int | None = None

    def apply(self, qs: QuerySet, *, skip: str = "") -> QuerySet:
        if self.source and skip != "source":
            qs = qs.filter(source=self.source.key)
        if self.municipality and skip != "municipality":
            qs = qs.filter(municipalities=self.municipality)
        if self.field_of_action and skip != "field_of_action":
            qs = qs.filter(field_of_action=self.field_of_action)
        if self.year and skip != "year":
            qs = qs.filter(year=self.year)
        return qs

    def as_params(self) -> dict:
        params = {}
        if self.source:
            params["typ"] = self.source.key
        if self.municipality:
            params["kommune"] = self.municipality.slug
        if self.field_of_action:
            params["handlungsfeld"] = self.field_of_action.slug
        if self.year:
            params["jahr"] = str(self.year)
        return params


def _is_slug(value: str) -> bool:
    """Only a slug reaches the database: PostgreSQL refuses text with a NUL byte outright."""
    return len(value) <= 50 and re.fullmatch(r"[-a-zA-Z0-9_]+", value) is not None


def parse_filters(params, allowed: list[Source]) -> tuple[Filters, list[str]]:
    """Facet filters from the query string; unknown values are ignored with a hint."""
    from projects.models import FieldOfAction

    filters, hints = Filters(), []
    key = (params.get("typ") or "").strip()
    if key:
        source = get_source(key)
        if source in allowed:
            filters.source = source
        else:
            hints.append(_("Die gewählte Art von Treffern gibt es nicht; sie wird ignoriert."))
    slug = (params.get("kommune") or "").strip()
    if slug:
        filters.municipality = (
            Municipality.objects.filter(slug=slug).first() if _is_slug(slug) else None
        )
        if filters.municipality is None:
            hints.append(_("Die gewählte Kommune gibt es nicht; sie wird ignoriert."))
    slug = (params.get("handlungsfeld") or "").strip()
    if slug:
        filters.field_of_action = (
            FieldOfAction.objects.filter(slug=slug).first() if _is_slug(slug) else None
        )
        if filters.field_of_action is None:
            hints.append(_("Das gewählte Handlungsfeld gibt es nicht; es wird ignoriert."))
    year = (params.get("jahr") or "").strip()
    if year:
        # isdigit() alone admits "²⁰²⁶", which int() refuses: ASCII digits only.
        if year.isascii() and year.isdigit() and len(year) == 4:
            filters.year = int(year)
        else:
            hints.append(_("Das Jahr muss vierstellig sein, z. B. 2025; es wird ignoriert."))
    return filters, hints


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


@dataclass
class SearchResult:
    parsed: ParsedQuery
    filters: Filters
    hints: list[str]
    fuzzy: bool = False
    total: int = 0
    type_counts: list[tuple[Source, int]] = field(default_factory=list)
    municipality_facet: list[dict] = field(default_factory=list)
    field_facet: list[dict] = field(default_factory=list)
    year_facet: list[dict] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)  # overview (no type chosen)
    page: object = None  # Paginator page of Hit (one type chosen)


def _hit(entry, highlighter: Highlighter) -> Hit:
    source = get_source(entry.source)
    return Hit(
        source=source,
        title=entry.title,
        title_html=highlighter.highlight(entry.title),
        snippet=highlighter.snippet(entry.summary, entry.body),
        url=entry.url,
    )


def _type_counts(matched, filters, allowed):
    rows = dict(
        filters.apply(matched, skip="source")
        .order_by()
        .values_list("source")
        .annotate(n=Count("pk"))
    )
    return [(source, rows[source.key]) for source in allowed if rows.get(source.key)]


def _facets(result: SearchResult, matched: QuerySet, filters: Filters) -> None:
    through = SearchEntry.municipalities.through
    entries = filters.apply(matched, skip="municipality").order_by().values("pk")
    result.municipality_facet = list(
        through.objects.filter(searchentry_id__in=entries)
        .values(slug=F("municipality__slug"), name=F("municipality__name"))
        .annotate(count=Count("searchentry_id"))
        .order_by("name")
    )
    result.field_facet = list(
        filters.apply(matched, skip="field_of_action")
        .exclude(field_of_action=None)
        .values(slug=F("field_of_action__slug"), name=F("field_of_action__name"))
        .annotate(count=Count("pk"))
        .order_by("field_of_action__position", "name")
    )
    result.year_facet = list(
        filters.apply(matched, skip="year")
        .exclude(year=None)
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )


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
    base, allowed = scoped_entries(user, only)
    filters, filter_hints = parse_filters(params or {}, allowed)
    result = SearchResult(parsed=parsed, filters=filters, hints=parsed.hints + filter_hints)
    if not parsed.is_searchable or not allowed:
        return result

    backend = get_backend()
    matched, rank = backend.match(base, parsed)
    result.type_counts = _type_counts(matched, filters, allowed)
    if not result.type_counts and parsed.fuzzy_terms():
        matched, rank = backend.match(base, parsed, fuzzy=True)
        result.type_counts = _type_counts(matched, filters, allowed)
        if result.type_counts:
            result.fuzzy = True
            result.hints.append(_fuzzy_hint())
    if not result.type_counts:
        return result

    _facets(result, matched, filters)
    counts = {s.key: n for s, n in result.type_counts}
    result.total = counts.get(filters.source.key, 0) if filters.source else sum(counts.values())
    highlighter = Highlighter(parsed.highlight_words)
    ranked = filters.apply(matched).annotate(rank=rank)
    if filters.source:
        ordered = ranked.order_by("-rank", "title", "pk")
        paginator = Paginator(ordered, PAGE_SIZE)
        paginator.count = result.total  # known from the type counts: saves a COUNT query
        page = paginator.get_page(page_number)
        page.object_list = [_hit(entry, highlighter) for entry in page.object_list]
        result.page = page
    else:
        top = ranked.annotate(
            position=Window(
                RowNumber(), partition_by=[F("source")], order_by=[F("rank").desc(), "title"]
            )
        ).filter(position__lte=GROUP_SIZE)
        by_source: dict[str, list] = {}
        for entry in top.order_by("source", "position"):
            by_source.setdefault(entry.source, []).append(_hit(entry, highlighter))
        result.groups = [
            Group(source=source, count=count, hits=by_source.get(source.key, []))
            for source, count in result.type_counts
        ]
    return result


def suggest(user, raw_query) -> list[dict]:
    """Top hits for the header box: prefix match on the last word, same scope as search."""
    text = raw_query if isinstance(raw_query, str) else ""
    if len(text.strip()) < SUGGEST_MIN_CHARS:
        return []
    parsed = parse_query(text)
    if not parsed.is_searchable:
        return []
    base, allowed = scoped_entries(user)
    if not allowed:
        return []
    matched, rank = get_backend().match(base, parsed, prefix=True)
    entries = (
        matched.annotate(rank=rank)
        .order_by("-rank", "title", "pk")
        .only("source", "title", "url")[:SUGGESTION_COUNT]
    )
    return [
        {"title": e.title, "type": str(get_source(e.source).label), "url": e.url} for e in entries
    ]
