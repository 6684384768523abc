"""The facet filters of a search (type, municipality, category, year), read from the query
string and applied to the index entries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from soest_office.models import Municipality

from .registry import Source, category_facet, get_source


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
