"""The search engine: scope, match, facets, hits and suggestions for one user.

Every entry considered is first limited to the objects the user may see, by joining back to
each source's `visible_to(user)` queryset (sources the user may not see at all are left
out). Counts, facets, hits, snippets and suggestions are all computed from that scoped set,
so none of them can reveal a hidden object.
"""

# The SQL of `_summarise` is built from constants, quoted table names and the SQL Django
# compiles for the matching queryset; every value (filters, limits) is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection as db_connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from soest_office.models import Municipality

from .backends import get_backend
from .models import SearchEntry
from .query import ParsedQuery, parse_query
from .registry import Source, category_facet, get_source, sources
from .snippets import Highlighter

GROUP_SIZE = 5
PAGE_SIZE = 20
SUGGESTION_COUNT = 8
SUGGEST_MIN_CHARS = 3
# At most this many matches per type are read, ranked, counted and faceted. A common word
# matches tens of thousands of reports and contact notes; reading them all costs hundreds of
# milliseconds, and nobody pages through them: above the limit the page says "mehr als 500"
# and asks to narrow the search down (GitLab's and Elasticsearch's searches cap counts too).
MATCH_LIMIT = 500


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


@dataclass
class Filters:
    source: Source | None = None
    municipality: Municipality | None = None
    category: object | None = None  # a row of the category facet's model
    year: int | None = None

    def apply(self, qs: QuerySet, *, skip: str = "") -> QuerySet:
        if self.source and skip != "source":
            qs = qs.filter(source=self.source.key)
        if self.municipality and skip != "municipality":
            qs = qs.filter(municipalities=self.municipality)
        if self.category and skip != "category":
            qs = qs.filter(category_id=self.category.pk)
        if self.year and skip != "year":
            qs = qs.filter(year=self.year)
        return qs

    def as_params(self) -> dict:
        params = {}
        if self.source:
            params["typ"] = self.source.key
        if self.municipality:
            params["kommune"] = self.municipality.slug
        facet = category_facet()
        if self.category and facet is not None:
            params[facet.key] = self.category.slug
        if self.year:
            params["jahr"] = str(self.year)
        return params


def _is_slug(value: str) -> bool:
    """Only a slug reaches the database: PostgreSQL refuses text with a NUL byte outright."""
    return len(value) <= 50 and re.fullmatch(r"[-a-zA-Z0-9_]+", value) is not None


def parse_filters(params, allowed: list[Source]) -> tuple[Filters, list[str]]:
    """Facet filters from the query string; unknown values are ignored with a hint."""
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
    facet = category_facet()
    slug = (params.get(facet.key) or "").strip() if facet is not None else ""
    if slug:
        filters.category = (
            facet.model._default_manager.filter(slug=slug).first() if _is_slug(slug) else None
        )
        if filters.category is None:
            hints.append(
                _("Die gewählte Auswahl unter „%(facet)s“ gibt es nicht; sie wird ignoriert.")
                % {"facet": facet.label}
            )
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


@dataclass
class _Summary:
    """What one pass over the matching entries yields."""

    type_counts: list[tuple[Source, int]] = field(default_factory=list)
    capped: set[str] = field(default_factory=set)
    municipality_facet: list[dict] = field(default_factory=list)
    category_facet: list[dict] = field(default_factory=list)
    year_facet: list[dict] = field(default_factory=list)
    hit_ids: list[int] = field(default_factory=list)  # in display order


def _summarise(
    matches: list[tuple[Source, QuerySet | None, QuerySet, object]],
    filters: Filters,
    *,
    page: tuple[int, int] | None = None,
    aggregates: bool = True,
) -> _Summary:
    """Counts per type, the three facets and the ids of the hits to show, from ONE pass
    over the matching entries (every further pass, one per count, facet and the ranking,
    would read them all again).

    The pass reads at most MATCH_LIMIT + 1 matches of each type, with the chosen
    municipality, field of action and year applied (facets narrow the search down), and
    ranks only those: a word found in 30,000 contact notes costs what 500 cost.
    `matches` holds, per source, the user's scope (None: all of it), the matching entries
    and their rank. On PostgreSQL each source's matches are a MATERIALIZED CTE (`e<i>`),
    read lazily until the limit is reached: the planner plans it for all matches (a bitmap
    scan of the source's partial GIN index, migration 0008) instead of hoping that a table
    scan meets enough matches early. The scope is checked per entry read (`s<i>`; OFFSET 0
    keeps it a lookup by primary key instead of a join that reads the whole scope first).
    Hits: the best GROUP_SIZE per type (overview) or one page (`page`: offset, limit) of
    the chosen type, ordered by rank, title and id. Only ids and ranks are sorted; the
    texts of the few hits shown are read afterwards."""
    facet = category_facet()

    qn = db_connection.ops.quote_name
    through = SearchEntry.municipalities.through
    allowed = [source for source, _visible, _matched, _rank in matches]
    postgres = db_connection.vendor == "postgresql"
    fence = " MATERIALIZED" if postgres else ""
    probe = " OFFSET 0" if postgres else ""
    ctes, samples, params = [], [], []
    for i, (_source, visible, matched, rank) in enumerate(matches):
        sql, values = (
            filters.apply(matched, skip="source")
            .order_by()
            .annotate(rank=rank)
            .values_list("id", "object_id", "source", "year", "category_id", "title", "rank")
            .query.sql_with_params()
        )
        ctes.append(
            f"e{i} (id, object_id, source, year, category_id, title, rank) AS{fence} ({sql})"
        )
        params += values
        scope = ""
        if visible is not None:
            visible_sql, visible_values = (
                visible.order_by().values(visible_pk=F("pk")).query.sql_with_params()
            )
            scope = (
                f" WHERE EXISTS (SELECT 1 FROM ({visible_sql}) v{i} "
                f"WHERE v{i}.visible_pk = e{i}.object_id{probe})"
            )
            params += visible_values
        ctes.append(
            f"s{i} AS (SELECT e{i}.id, e{i}.source, e{i}.year, e{i}.category_id, "
            f"e{i}.title, e{i}.rank FROM e{i}{scope} LIMIT %s)"
        )
        params.append(MATCH_LIMIT + 1)
        samples.append(f"SELECT * FROM s{i}")

    # Municipality, field and year are applied inside the samples already; what is left
    # is the chosen type, which every part but the counts per type applies.
    any_type = ("1 = 1", [])
    chosen_type = ("m.source = %s", [filters.source.key]) if filters.source else any_type

    # Every part yields (kind, key, n, label, position); UNION ALL needs one shape.
    parts: list[str] = []
    if aggregates:
        clause, values = any_type
        parts.append(
            "SELECT 'typ', CAST(m.source AS TEXT), COUNT(*), CAST(NULL AS TEXT), "
            "CAST(NULL AS INTEGER) FROM m "
            f"WHERE {clause} GROUP BY m.source"
        )
        params += values
        clause, values = chosen_type
        parts.append(
            "SELECT 'kommune', CAST(mu.slug AS TEXT), c.n, CAST(mu.name AS TEXT), "
            f"CAST(NULL AS INTEGER) FROM (SELECT t.{qn('municipality_id')} AS municipality_id, "
            f"COUNT(*) AS n FROM {qn(through._meta.db_table)} t "
            f"WHERE t.{qn('searchentry_id')} IN (SELECT m.id FROM m WHERE {clause}) "
            f"GROUP BY t.{qn('municipality_id')}) c "
            f"JOIN {qn(Municipality._meta.db_table)} mu ON mu.id = c.municipality_id"
        )
        params += values
        if facet is not None:
            clause, values = chosen_type
            parts.append(
                "SELECT 'kategorie', CAST(f.slug AS TEXT), COUNT(*), CAST(f.name AS TEXT), "
                f"CAST(f.position AS INTEGER) FROM m JOIN {qn(facet.model._meta.db_table)} f "
                f"ON f.id = m.category_id WHERE {clause} "
                "GROUP BY f.slug, f.name, f.position"
            )
            params += values
        clause, values = chosen_type
        parts.append(
            "SELECT 'jahr', CAST(m.year AS TEXT), COUNT(*), CAST(NULL AS TEXT), "
            "CAST(NULL AS INTEGER) FROM m "
            f"WHERE {clause} AND m.year IS NOT NULL GROUP BY m.year"
        )
        params += values
    clause, values = chosen_type
    if page is None:
        # The best few of each type: a top-N sort per type instead of sorting every match.
        for i, source in enumerate(allowed):
            parts.append(
                f"SELECT 'treffer', CAST(h.id AS TEXT), {i * 1000} + ROW_NUMBER() OVER "
                "(ORDER BY h.rank DESC, h.title, h.id), CAST(NULL AS TEXT), "
                "CAST(NULL AS INTEGER) FROM (SELECT m.id, m.rank, m.title FROM m "
                f"WHERE {clause} AND m.source = %s "
                "ORDER BY m.rank DESC, m.title, m.id LIMIT %s) h"
            )
            params += [*values, source.key, GROUP_SIZE]
    else:
        offset, limit = page
        parts.append(
            "SELECT 'treffer', CAST(h.id AS TEXT), h.position, CAST(NULL AS TEXT), "
            "CAST(NULL AS INTEGER) FROM ("
            "SELECT m.id, ROW_NUMBER() OVER (ORDER BY m.rank DESC, m.title, m.id) AS position "
            f"FROM m WHERE {clause}) h WHERE h.position > %s AND h.position <= %s"
        )
        # The row read beyond the limit only tells that there are more: never shown.
        params += [*values, offset, min(offset + limit, MATCH_LIMIT)]
    sql = (
        f"WITH {', '.join(ctes)}, m (id, source, year, category_id, title, rank) AS "
        f"({' UNION ALL '.join(samples)}) " + " UNION ALL ".join(parts)
    )
    with db_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    summary = _Summary()
    counts, hits = {}, []
    for kind, key, n, label, position in rows:
        if kind == "typ":
            counts[key] = min(n, MATCH_LIMIT)
            if n > MATCH_LIMIT:
                summary.capped.add(key)
        elif kind == "kommune":
            summary.municipality_facet.append({"slug": key, "name": label, "count": n})
        elif kind == "kategorie":
            summary.category_facet.append(
                {"slug": key, "name": label, "count": n, "position": position}
            )
        elif kind == "jahr":
            summary.year_facet.append({"year": int(key), "count": n})
        else:
            hits.append((n, int(key)))
    summary.type_counts = [(s, counts[s.key]) for s in allowed if counts.get(s.key)]
    summary.municipality_facet.sort(key=lambda f: f["name"])
    summary.category_facet.sort(key=lambda f: (f.pop("position"), f["name"]))
    summary.year_facet.sort(key=lambda f: -f["year"])
    summary.hit_ids = [pk for _position, pk in sorted(hits)]
    return summary


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


# Suggestions come first from the kinds of objects one jumps to (few entries each); the
# large logs (reports, milestones, contact history) fill up only what is left. A prefix of
# a common word matches tens of thousands of log entries, and ranking them all would cost
# every keystroke that much.
SUGGEST_FIRST = ("projekte", "presse", "dokumente", "kontakte", "organisationen")


def suggest(user, raw_query) -> list[dict]:
    """Top hits for the header box: prefix match on the last word, same scope as search.
    One query: the best of SUGGEST_FIRST, then the best of the other sources; the database
    stops as soon as it has SUGGESTION_COUNT rows, so the second part only runs (and ranks
    its many matches) when the first finds too few. Each source is matched on its own, so
    PostgreSQL uses its partial GIN index (a prefix of a common word matches tens of
    thousands of entries in the index over all sources)."""
    text = raw_query if isinstance(raw_query, str) else ""
    if len(text.strip()) < SUGGEST_MIN_CHARS:
        return []
    parsed = parse_query(text)
    if not parsed.is_searchable:
        return []
    scoped = visible_sources(user)
    if not scoped:
        return []
    backend = get_backend()
    tiers = [
        [(s, v) for s, v in scoped if s.key in SUGGEST_FIRST],
        [(s, v) for s, v in scoped if s.key not in SUGGEST_FIRST],
    ]
    parts, params = [], []
    for i, tier in enumerate(t for t in tiers if t):
        best = []
        for j, (source, visible) in enumerate(tier):
            entries = SearchEntry.objects.filter(_scope_q(source, visible))
            matched, rank = backend.match(entries, parsed, prefix=True)
            sql, values = (
                matched.annotate(rank=rank)
                .order_by("-rank", "title", "pk")
                .values_list("source", "title", "url", "rank")[:SUGGESTION_COUNT]
                .query.sql_with_params()
            )
            best.append(f"SELECT * FROM ({sql}) best{i}_{j}")
            params += values
        parts.append(
            f"SELECT * FROM (SELECT * FROM ({' UNION ALL '.join(best)}) tier{i} "
            f"ORDER BY 4 DESC, 2 LIMIT %s) ranked{i}"
        )
        params.append(SUGGESTION_COUNT)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({' UNION ALL '.join(parts)}) suggestions LIMIT %s",
            [*params, SUGGESTION_COUNT],
        )
        rows = cursor.fetchall()
    return [
        {"title": title, "type": str(get_source(key).label), "url": url}
        for key, title, url, _rank in rows
    ]
