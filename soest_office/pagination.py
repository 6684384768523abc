"""Keyset ("seek") pagination for long lists, and OFFSET pagination with cheap deep pages.

Page 500 of a list with `OFFSET` reads and throws away 25,000 rows first, and an exact
`COUNT(*)` on every request grows with the table. A keyset page instead starts *after* the
last row of the previous page: `WHERE (a, b, pk) > (…)` on an index costs the same on
page 1 and page 500. The price is that there are no page numbers, only "Weiter" and
"Zurück" links carrying a cursor (the ordering values of the boundary row).

Ordering fields must be local, non-null columns and end in the primary key, so that the
order is total. Cursors are plain data (base64 of JSON), re-validated by the model fields on
the way in: a forged cursor can only move the page boundary, never widen the queryset.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

NEXT_PARAM = "nach"
PREVIOUS_PARAM = "vor"


class InvalidCursor(ValueError):
    pass


class _CursorEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes and times to milliseconds; a cursor must name its
    row exactly, or rows sharing the boundary's millisecond are skipped."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str | None = None
    previous_cursor: str | None = None
    error: str | None = None  # German message when the requested cursor was unusable
    per_page: int = 50

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    @property
    def next_param(self):
        return NEXT_PARAM

    @property
    def previous_param(self):
        return PREVIOUS_PARAM


class KeysetPaginator:
    """Paginates `queryset` by `ordering`, e.g. ``("last_name", "first_name", "pk")`` or
    ``("-reporting_date", "-pk")``. The last field must be the primary key."""

    def __init__(self, queryset, ordering, per_page=50):
        ordering = tuple(ordering)
        if not ordering or ordering[-1].lstrip("-") not in ("pk", "id"):
            raise ValueError("The keyset ordering must end in the primary key.")
        self.queryset = queryset
        self.ordering = ordering
        self.per_page = per_page
        model = queryset.model
        self._fields = []
        for name in ordering:
            attname = name.lstrip("-")
            model_field = model._meta.pk if attname == "pk" else model._meta.get_field(attname)
            if model_field.is_relation or model_field.null:
                raise ValueError(f"Keyset field {attname!r} must be a local non-null column.")
            self._fields.append((attname, name.startswith("-"), model_field))

    # -- cursors ---------------------------------------------------------------------------

    def _values_of(self, obj):
        return [getattr(obj, model_field.attname) for _name, _desc, model_field in self._fields]

    def _encode(self, values):
        raw = json.dumps(values, cls=_CursorEncoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def _decode(self, cursor):
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        except (ValueError, UnicodeError, binascii.Error) as exc:
            raise InvalidCursor from exc
        if not isinstance(values, list) or len(values) != len(self._fields):
            raise InvalidCursor
        try:
            return [
                model_field.to_python(value)
                for value, (_n, _d, model_field) in zip(values, self._fields, strict=True)
            ]
        except (ValidationError, TypeError, ValueError) as exc:
            raise InvalidCursor from exc

    def cursor_for(self, obj):
        """The cursor of `obj`: a page opened "after" it starts with the following row."""
        return self._encode(self._values_of(obj))

    def cursor_at(self, offset):
        """The `nach` cursor that opens the page starting at row `offset` (0-based).

        Uses OFFSET once; meant for tools (the benchmark's "page 500"), not for requests."""
        if offset <= 0:
            return None
        row = self.queryset.order_by(*self.ordering)[offset - 1 : offset].first()
        return self.cursor_for(row) if row is not None else None

    # -- pages -----------------------------------------------------------------------------

    def _seek(self, values, forward):
        """Q for rows strictly after (forward) or before the boundary `values`."""
        condition = Q()
        equal = Q()
        for (attname, descending, _f), value in zip(self._fields, values, strict=True):
            lookup = "gt" if descending != forward else "lt"  # ascending + forward: "gt"
            # The leading column gets a plain range condition too, so that the planner can
            # use the index as a range scan and not only as a filter.
            condition |= equal & Q(**{f"{attname}__{lookup}": value})
            equal &= Q(**{attname: value})
        attname, descending, _f = self._fields[0]
        bound = "lte" if descending == forward else "gte"
        return Q(**{f"{attname}__{bound}": values[0]}) & condition

    def _reversed(self):
        return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in self.ordering)

    def page(self, params=None):
        """The page asked for by the request's GET `params` (`nach` / `vor` cursor)."""
        params = params or {}
        after, before = params.get(NEXT_PARAM), params.get(PREVIOUS_PARAM)
        try:
            if after:
                return self._page_after(self._decode(after))
            if before:
                return self._page_before(self._decode(before))
        except InvalidCursor:
            page = self._page_after(None)
            page.error = _(
                "Die angeforderte Seite ist ungültig; es wird die erste Seite angezeigt."
            )
            return page
        return self._page_after(None)

    def _page_after(self, values):
        qs = self.queryset.order_by(*self.ordering)
        if values is not None:
            qs = qs.filter(self._seek(values, forward=True))
        rows = list(qs[: self.per_page + 1])
        has_next = len(rows) > self.per_page
        rows = rows[: self.per_page]
        page = KeysetPage(rows, has_next=has_next, has_previous=values is not None)
        page.per_page = self.per_page
        if rows:
            page.next_cursor = self.cursor_for(rows[-1]) if has_next else None
            page.previous_cursor = self.cursor_for(rows[0]) if values is not None else None
        return page

    def _page_before(self, values):
        qs = self.queryset.order_by(*self._reversed()).filter(self._seek(values, forward=False))
        rows = list(qs[: self.per_page + 1])
        has_previous = len(rows) > self.per_page
        rows = rows[: self.per_page][::-1]
        if not rows:  # nothing before the cursor: behave like the first page
            return self._page_after(None)
        page = KeysetPage(rows, has_next=True, has_previous=has_previous)
        page.per_page = self.per_page
        page.next_cursor = self.cursor_for(rows[-1])
        page.previous_cursor = self.cursor_for(rows[0]) if has_previous else None
        return page


class DeepPagePaginator(Paginator):
    """OFFSET pagination with page numbers whose deep pages read only the rows they show.

    `ORDER BY name, id OFFSET 7950 LIMIT 50` makes PostgreSQL read, join and sort every row
    before the page. From `deep_from` rows on, the page first picks its primary keys from
    an index over the list's ordering columns and the primary key (an index-only scan, no
    table row read), then reads and joins just those rows, in the same one query
    (`pk IN (SELECT pk … ORDER BY … OFFSET … LIMIT …)`). The first pages keep the plain
    query: there the index scan stops after the page, and the planner would answer the
    `IN` by reading the whole table. Same rows, same page numbers, same count query."""

    deep_from = 1000

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.deep_from or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)
