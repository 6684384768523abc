from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from soest_office import caching

from .engine import SUGGEST_MIN_CHARS, search, suggest
from .indexing import GENERATION
from .query import parse_query
from .registry import category_facet
from .scope import may_search

# Cached answers are read again after any write of the index or of the data it scopes by
# (indexing.GENERATION); this is a bound for writes that send no signal.
CACHE_SECONDS = 300
BODY_TEMPLATE = "soest_office/_search_body.html"


class SearchAccessMixin(LoginRequiredMixin):
    """Search is part of the intranet (the public searches press releases on /presse/): a
    login whom the rules of the search's sources let see nothing (no role) gets 403."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not may_search(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _link(params: dict, **changes) -> str:
    merged = {**params, **changes}
    merged.pop("seite", None)
    return "?" + urlencode({k: v for k, v in merged.items() if v})


@method_decorator(never_cache, name="dispatch")
class SearchView(SearchAccessMixin, TemplateView):
    """/suche/?q=…: hits grouped by type with counts, facets and pagination."""

    template_name = "soest_office/search.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        """The form, facets and hits come from the cache when neither the index nor the
        data it scopes by changed since they were made for the same account (role,
        municipality and the user: some rules grant a user their own rows) and query."""

        def render(csrf_token):
            context = {**self.get_context_data(**kwargs), "csrf_token": csrf_token}
            return render_to_string(BODY_TEMPLATE, context, request)

        body = caching.fragment(
            request,
            "search:page",
            render,
            generations=(GENERATION,),
            parts=(request.get_full_path(),),
            personal=True,
            timeout=CACHE_SECONDS,
        )
        # The page's title names the query as the search read it.
        query = parse_query(request.GET.get("q", "")).raw
        return self.render_to_response({"query": query, "body": body})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        query = params.get("q", "")
        submitted = "q" in params
        result = search(self.request.user, query, params, page_number=params.get("seite", 1))
        current = {"q": result.parsed.raw, **result.filters.as_params()}
        filters = result.filters
        facet = category_facet()
        context.update(
            query=result.parsed.raw,
            submitted=submitted,
            result=result,
            # Facet counts over a capped set would count only the matches read.
            facet_counts=not result.total_capped,
            hints=result.hints if submitted else [],
            clear_all_url=_link({"q": result.parsed.raw}),
            type_links=[
                {
                    "label": source.label,
                    "count": count,
                    "url": _link(current, typ=source.key),
                    "active": filters.source is source,
                    "capped": source.key in result.capped,
                }
                for source, count in result.type_counts
            ],
            municipality_links=[
                {
                    **row,
                    "url": _link(current, kommune=row["slug"]),
                    "active": bool(
                        filters.municipality and filters.municipality.slug == row["slug"]
                    ),
                }
                for row in result.municipality_facet
            ],
            category_label=facet.label if facet else "",
            category_links=[
                {
                    **row,
                    "url": _link(current, **{facet.key: row["slug"]}),
                    "active": bool(filters.category and filters.category.slug == row["slug"]),
                }
                for row in result.category_facet
            ],
            year_links=[
                {
                    **row,
                    "url": _link(current, jahr=str(row["year"])),
                    "active": filters.year == row["year"],
                }
                for row in result.year_facet
            ],
            remove_links={
                "typ": _link(current, typ=""),
                "kommune": _link(current, kommune=""),
                "category": _link(current, **({facet.key: ""} if facet else {})),
                "jahr": _link(current, jahr=""),
            },
            page_base=_link(current) + "&seite=",
        )
        for group in result.groups:
            group.all_url = _link(current, typ=group.source.key)
        return context


def _suggestions_status(count: int) -> str:
    """What the header box announces to screen readers when suggestions arrive: sent with them
    because the script (static/js/search-combobox.js) has no translations of its own."""
    if not count:
        return _("Keine Vorschläge.")
    text = ngettext("%(count)s Vorschlag verfügbar.", "%(count)s Vorschläge verfügbar.", count)
    return text % {"count": count}


@method_decorator(never_cache, name="dispatch")
class SuggestView(SearchAccessMixin, View):
    """JSON suggestions for the header box (from three characters on)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")
        key = caching.scoped_key(
            "search:suggest", request.user, generations=(GENERATION,), parts=(query,), personal=True
        )
        suggestions = cache.get(key)
        if suggestions is None:
            suggestions = suggest(request.user, query)
            cache.set(key, suggestions, CACHE_SECONDS)
        return JsonResponse(
            {
                "query": query[:200],
                "min_chars": SUGGEST_MIN_CHARS,
                "suggestions": suggestions,
                "status": _suggestions_status(len(suggestions)),
            }
        )
