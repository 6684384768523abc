"""Text fields that name one object (a project, a distribution list, a tag) instead of a
<select> listing all of them, so a page stays the same size however many objects exist.

The user types a name; a <datalist> offers a few dozen suggestions that the browser filters
while one types (no JavaScript needed). On submit the text is resolved in one query inside
the user's scope: an id (old links, bulk posts), the short name in the address (projects),
the exact name, or a part of the name that only one object has. Nothing or several matches
give a German form error that names the candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

CANDIDATES = 5  # names shown in the "several match" error


@dataclass(frozen=True)
class Lookup:
    """One kind of object a LookupField can name."""

    datalist_id: str
    name_field: str
    queryset: Callable[[object], QuerySet]  # user -> the objects the user may name
    suggestions: Callable[[object], QuerySet]  # user -> the few offered in the datalist
    not_found: str  # German, with %(value)s
    ambiguous: str  # German, with %(value)s and %(names)s
    slug_field: str | None = None

    def resolve(self, user, text: str):
        """The one object `text` names, or ValidationError (German)."""
        name = self.name_field
        ranks = [When(**{f"{name}__iexact": text}, then=Value(2))]
        match = Q(**{f"{name}__icontains": text})
        if self.slug_field:
            ranks.insert(0, When(**{self.slug_field: text}, then=Value(1)))
            match |= Q(**{self.slug_field: text})
        # An id (old links, bulk posts); ASCII only: "²" passes isdigit() but not int().
        if text.isascii() and text.isdigit() and len(text) < 19:
            ranks.insert(0, When(pk=int(text), then=Value(0)))
            match |= Q(pk=int(text))
        rows = list(
            self.queryset(user)
            .filter(match)
            .annotate(_rank=Case(*ranks, default=Value(3), output_field=IntegerField()))
            .order_by("_rank", name, "pk")[: CANDIDATES + 1]
        )
        if not rows:
            raise forms.ValidationError(self.not_found, params={"value": text})
        best = [r for r in rows if r._rank == rows[0]._rank]
        if len(best) == 1:
            return rows[0]
        names = [str(getattr(r, name)) for r in best[:CANDIDATES]]
        if len(rows) > CANDIDATES:
            names.append("…")
        raise forms.ValidationError(
            self.ambiguous, params={"value": text, "names": "; ".join(names)}
        )


class LookupField(forms.CharField):
    """A text input (with a <datalist>) whose cleaned value is one object of the lookup."""

    def __init__(self, *, lookup: Lookup, user=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", _("Name eingeben; beim Tippen erscheinen Vorschläge."))
        super().__init__(**kwargs)
        self.lookup = lookup
        self.user = user
        self.resolved = None
        self.widget.attrs["list"] = lookup.datalist_id

    def clean(self, value):
        text = super().clean(value)
        self.resolved = None
        if not text:
            return None
        self.resolved = (text, self.lookup.resolve(self.user, text))
        return self.resolved[1]

    def prepare_value(self, value):
        # An id from an old link shows as the name it stands for.
        if self.resolved and value == self.resolved[0]:
            return getattr(self.resolved[1], self.lookup.name_field)
        return value


def datalists(*forms_) -> list[tuple[str, list[str]]]:
    """(datalist id, suggested names) for the LookupFields of these forms, each kind once.

    One query for all of them: a UNION ALL of each lookup's few suggestions, so a page with
    three such fields costs one query, not three."""
    fields = {}
    for form in forms_:
        if not hasattr(form, "fields"):  # a form the page does not show ("" or None)
            continue
        for field in form.fields.values():
            if isinstance(field, LookupField):
                fields.setdefault(field.lookup.datalist_id, field)
    parts = []
    for number, field in enumerate(fields.values()):
        lookup = field.lookup
        picked = lookup.suggestions(field.user)
        parts.append(
            picked.model._default_manager.filter(pk__in=picked.values("pk"))
            .annotate(_datalist=Value(number, output_field=IntegerField()))
            .values_list(lookup.name_field, "_datalist")
            .order_by()
        )
    names = {number: set() for number in range(len(fields))}
    if parts:
        for name, number in parts[0].union(*parts[1:], all=True):
            names[number].add(str(name))
    return [
        (datalist_id, sorted(names[number], key=str.casefold))
        for number, datalist_id in enumerate(fields)
    ]


# --- The lookups of the stakeholders app -----------------------------------------------------


def _projects(user):
    from projects.models import Project

    return Project.objects.visible_to(user)


def _project_suggestions(user):
    # Running projects changed most recently: the ones people work with right now.
    return (
        _projects(user)
        .filter(archived_at__isnull=True)
        .exclude(status__in=["completed", "cancelled"])
        .order_by("-updated_at", "pk")[:30]
    )


def _lists(user):
    from .models import DistributionList

    return DistributionList.objects.visible_to(user)  # the office's (stakeholders/rules.py)


def _tags(user):
    from .models import Tag

    return Tag.objects.all()


PROJECTS = Lookup(
    datalist_id="vorschlaege-projekte",
    name_field="title",
    slug_field="slug",
    queryset=_projects,
    suggestions=_project_suggestions,
    not_found=_("Kein Projekt passt zu »%(value)s«. Bitte Titel oder Kurznamen prüfen."),
    ambiguous=_(
        "»%(value)s« passt auf mehrere Projekte: %(names)s. Bitte den vollständigen Titel "
        "oder den Kurznamen angeben."
    ),
)
DISTRIBUTION_LISTS = Lookup(
    datalist_id="vorschlaege-verteiler",
    name_field="name",
    queryset=_lists,
    suggestions=lambda user: _lists(user).order_by("-created_at", "-pk")[:30],
    not_found=_("Kein Verteiler passt zu »%(value)s«."),
    ambiguous=_(
        "»%(value)s« passt auf mehrere Verteiler: %(names)s. Bitte den vollständigen Namen angeben."
    ),
)
TAGS = Lookup(
    datalist_id="vorschlaege-schlagwoerter",
    name_field="name",
    queryset=_tags,
    suggestions=lambda user: _tags(user).order_by("name")[:40],
    not_found=_("Kein Schlagwort passt zu »%(value)s«."),
    ambiguous=_(
        "»%(value)s« passt auf mehrere Schlagwörter: %(names)s. Bitte das vollständige "
        "Schlagwort angeben."
    ),
)
