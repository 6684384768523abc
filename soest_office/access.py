"""Who may see and change what: the role primitives and the machinery of the access rules.

The roles of DESIGN.md live here: `role_of(user)` and the few questions asked of a role.
The rules about an app's objects live with the app, in `<app>/rules.py`, one `Rule` per
model, registered in `plugins.RULES` (found at start-up like `admin.py`). A rule says, per
action (`VIEW`, `CHANGE`, ...) and role, which rows are allowed, as one `Q` built from the
user. Everything else is derived from that one definition:

- `Rule.scope(queryset, user, verb)`: the rows (what lists, search, exports, feeds and
  tasks start from; models expose it as `Model.objects.visible_to(user)` and friends);
- `Rule.allows(user, obj, verb)`: the single-object check (from an annotation made with
  `Rule.annotate`, else one query on the same `Q`);
- `Rule.get_object(user, queryset, verb, **lookup)`: 404 outside the user's view scope, 403
  when the user sees the object but may not do `verb` (DESIGN.md);
- `Rule.permits(user, verb)`: whether the role may do `verb` at all (buttons, menus);
- the role table of the README (`manage.py role_table`).

Grants are keyed by role (`grantee_of`); `PUBLIC` stands for the visitor who is not logged
in. A logged-in account without a role and a deactivated account hold no grant at all: the
intranet is for role holders (DESIGN.md), so every rule answers "nothing" for them, on every
intranet page, panel, list, export and task alike. They lose nothing public by that: the
public pages, feeds and the open-data API ask the rules as the anonymous visitor
(`AnonymousUser()`), whoever is logged in, so such an account reads there exactly what
everyone reads. A superuser counts as Projektbüro. A partner without a municipality keeps
the partner's reading rights but owns nothing: every scope built from "the own
municipality" is empty for them (`municipality_id_of` is None).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.db.models import Case, Exists, Model, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(enum.StrEnum):
    OFFICE = "Projektbüro"
    PARTNER = "Kommune"
    STEERING = "Lenkungskreis"


# The grant key of the visitor who is not logged in (not a group).
PUBLIC = "Öffentlichkeit"

# When a user is in several groups, the widest role wins.
_ROLE_PRECEDENCE = (Role.OFFICE, Role.PARTNER, Role.STEERING)

# Columns of the role table, in this order.
GRANTEES = (Role.OFFICE, Role.PARTNER, Role.STEERING, PUBLIC)


# The annotations `with_roles` puts on users: whether the user is in the role's group.
_ROLE_FLAGS = {role: f"soest_in_{role.name.lower()}" for role in _ROLE_PRECEDENCE}


def with_roles(users: QuerySet) -> QuerySet:
    """Users with what `role_of` needs read in their own query (an EXISTS per role), so
    that it asks none: soest_office.backends loads the request's user so when it has no
    role kept for it."""
    through = users.model.groups.through
    return users.annotate(
        **{
            flag: Exists(through.objects.filter(user_id=OuterRef("pk"), group__name=role.value))
            for role, flag in _ROLE_FLAGS.items()
        }
    )


def role_of(user) -> Role | None:
    """The user's role, or None for anonymous users, logins without a role and deactivated
    accounts. Cached on the user object so a request asks the database at most once (not at
    all for a user loaded `with_roles`, nor for the request's user, whose role
    soest_office.backends keeps, `remember_role`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.OFFICE
    cached = getattr(user, "_soest_role", False)
    if cached is not False:
        return cached
    if hasattr(user, _ROLE_FLAGS[Role.OFFICE]):
        role = next((r for r, flag in _ROLE_FLAGS.items() if getattr(user, flag)), None)
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in _ROLE_PRECEDENCE if r.value in names), None)
    remember_role(user, role)
    return role


def remember_role(user, role: Role | None) -> None:
    """`role` as the user's role for the rest of this object's life (`role_of` asks no
    more): for roles read in bulk or kept in the cache in the accounts' generation."""
    user._soest_role = role


def prime_roles(users) -> None:
    """Look up the roles of many users in one query, so that `role_of` (and every rule)
    asks none for them: for loops over recipients."""
    from django.contrib.auth import get_user_model

    pending = [
        user
        for user in users
        if user is not None
        and user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and getattr(user, "_soest_role", False) is False
    ]
    if not pending:
        return
    names: dict[int, set[str]] = {user.pk: set() for user in pending}
    through = get_user_model().groups.through
    for user_id, name in through.objects.filter(user_id__in=names).values_list(
        "user_id", "group__name"
    ):
        names[user_id].add(name)
    for user in pending:
        remember_role(user, next((r for r in _ROLE_PRECEDENCE if r.value in names[user.pk]), None))


def is_office(user) -> bool:
    return role_of(user) is Role.OFFICE


def is_partner(user) -> bool:
    return role_of(user) is Role.PARTNER


def is_steering(user) -> bool:
    return role_of(user) is Role.STEERING


def has_role(user) -> bool:
    """Any role: the intranet's pages, dashboards and search are for role holders only."""
    return role_of(user) is not None


def grantee_of(user) -> Role | str | None:
    """Whose grants apply to the user: the role; `PUBLIC` for a visitor who is not logged
    in; None (no grant in any rule) for a logged-in account without a role and for a
    deactivated account. Public pages ask as the anonymous visitor, so None costs such an
    account nothing the public may read."""
    role = role_of(user)
    if role is not None:
        return role
    if user is None or not user.is_authenticated:
        return PUBLIC
    return None


def municipality_id_of(user) -> int | None:
    """The municipality a partner user acts for (None for everyone else, and for a partner
    account without a municipality)."""
    if not is_partner(user):
        return None
    return user.municipality_id


def user_id_of(user) -> int | None:
    """The id of a logged-in, active account (None for anonymous and deactivated users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.pk


# --- Rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verb:
    """An action on objects of a model, e.g. VIEW; `label` is the role table's word."""

    key: str
    label: str

    def __str__(self):
        return self.key


VIEW = Verb("view", _("sehen"))
CREATE = Verb("create", _("anlegen"))
CHANGE = Verb("change", _("ändern"))
DELETE = Verb("delete", _("löschen"))


@dataclass(frozen=True)
class Scope:
    """Which rows one grant reaches: all of them (`build` None) or those matching the `Q`
    that `build(user)` returns; `build` returns None when the user has no such rows (e.g. a
    partner without a municipality asked for "the own municipality's")."""

    label: str
    build: Callable[[object], Q | None] | None = None

    def q(self, user) -> Q | None:
        return Q() if self.build is None else self.build(user)


EVERYTHING = Scope(_("alle"))


def where(label, build: Callable[[object], Q | None]) -> Scope:
    return Scope(label, build)


Grants = Mapping[Verb, Mapping[object, Scope]]


@dataclass(frozen=True, eq=False)
class Rule:
    """The access rule of one model (`model` as "app_label.ModelName")."""

    model: str
    label: str
    grants: Grants
    note: str = ""
    position: int = 100
    verbs: tuple[Verb, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "verbs", tuple(self.grants))
        for verb, by_role in self.grants.items():
            unknown = set(by_role) - set(GRANTEES)
            if unknown:
                raise ImproperlyConfigured(f"{self.model}: unknown grantees {unknown} ({verb})")

    @property
    def key(self) -> str:
        return self.model.lower()

    @cached_property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def _verb(self, verb) -> Verb:
        for known in self.verbs:
            if known == verb or known.key == verb:
                return known
        raise ImproperlyConfigured(f"{self.model} has no rule for {verb!r}")

    def q(self, user, verb=VIEW) -> Q | None:
        """The filter of the user's rows for `verb`: None for no rows, an empty Q for all."""
        grants = self.grants[self._verb(verb)]
        grantee = grantee_of(user)
        scope = None if grantee is None else grants.get(grantee)
        return None if scope is None else scope.q(user)

    def scope(self, queryset: QuerySet, user, verb=VIEW) -> QuerySet:
        q = self.q(user, verb)
        if q is None:
            return queryset.none()
        return queryset.filter(q) if q else queryset

    def scope_by_id(self, queryset: QuerySet, user, field: str, verb=VIEW) -> QuerySet:
        """Rows of another queryset that name an object of this model in `field` (e.g. its
        historical records), limited to the objects the user may `verb`."""
        q = self.q(user, verb)
        if q is None:
            return queryset.none()
        if not q:
            return queryset
        ids = self.model_class._default_manager.filter(q).values("pk")
        return queryset.filter(**{f"{field}__in": ids})

    def permits(self, user, verb=VIEW) -> bool:
        """Whether the user may do `verb` on some rows (the role-level question)."""
        return self.q(user, verb) is not None

    def annotate(self, queryset: QuerySet, user, *verbs) -> QuerySet:
        """Annotate `may_<verb>` on each row, from the same Q (one EXISTS per verb), so that
        `allows` answers for lists without a query per row."""
        for verb in verbs:
            verb = self._verb(verb)
            q = self.q(user, verb)
            if q is None:
                expression = Value(False)
            elif not q:
                expression = Value(True)
            elif _on_own_row(q, self.model_class):
                # A condition on the row's own columns is evaluated inline: PostgreSQL would
                # answer an EXISTS on the same table with a hashed scan of all of it.
                expression = Case(When(q, then=Value(True)), default=Value(False))
            else:
                rows = self.model_class._default_manager.filter(q, pk=OuterRef("pk"))
                expression = Exists(rows)
            queryset = queryset.annotate(**{f"may_{verb.key}": expression})
        return queryset

    def allows(self, user, obj, verb=VIEW) -> bool:
        """The single-object check: `obj` is in `scope(..., user, verb)`. Reads the
        annotation of `annotate` when the object carries it."""
        verb = self._verb(verb)
        annotated = obj.__dict__.get(f"may_{verb.key}")
        if annotated is not None:
            return bool(annotated)
        q = self.q(user, verb)
        if q is None or obj.pk is None:
            return False
        if not q:
            return True
        return self.model_class._default_manager.filter(q, pk=obj.pk).exists()

    def get_object(self, user, queryset: QuerySet | None = None, verb=VIEW, **lookup):
        """The object for a view: 404 when the user may not see it, 403 when the user sees
        it but may not do `verb`. One query when allowed."""
        verb = self._verb(verb)
        if queryset is None:
            queryset = self.model_class._default_manager.all()
        found = list(self.scope(queryset, user, verb).filter(**lookup)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise ImproperlyConfigured(f"{self.model}: {lookup} is not unique")
        if verb is not VIEW and self.scope(queryset, user, VIEW).filter(**lookup).exists():
            raise PermissionDenied
        raise Http404

    def describe(self, grantee) -> str:
        """The role table's cell: "sehen: alle; ändern: eigene" (– for nothing)."""
        parts = [
            f"{verb.label}: {by_role[grantee].label}"
            for verb, by_role in self.grants.items()
            if grantee in by_role
        ]
        return "; ".join(str(part) for part in parts) or "–"


# Lookups that compare a foreign key's own column, without joining the related table.
_FK_LOOKUPS = {"in", "exact", "isnull"}


def _on_own_row(q: Q, model) -> bool:
    """Whether every condition of `q` reads only the row's own columns (subqueries and
    expressions included), so that it can be evaluated per row without joins that could
    multiply rows."""
    for child in q.children:
        if isinstance(child, Q):
            if not _on_own_row(child, model):
                return False
            continue
        if not isinstance(child, tuple):
            continue  # an expression (e.g. Exists): a scalar per row
        parts = child[0].split("__")
        name = parts[0]
        if name == "pk":
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.many_to_many or field.one_to_many:
            return False
        if field.is_relation and len(parts) > 1 and parts[1] not in _FK_LOOKUPS:
            return False
    return True


def rule_for(model) -> Rule:
    """The rule of a model class or "app_label.ModelName" (every scoped model has one)."""
    from .plugins import RULES

    label = model if isinstance(model, str) else model._meta.label
    rule = RULES.get(label.lower())
    if rule is None:
        raise ImproperlyConfigured(f"No access rule for {label}: add it to the app's rules.py")
    return rule


class RuledQuerySet(QuerySet):
    """A model's queryset scoped by its rule: `visible_to(user)`, `permitted(user, verb)`."""

    def visible_to(self, user):
        return rule_for(self.model).scope(self, user, VIEW)

    def permitted(self, user, verb):
        return rule_for(self.model).scope(self, user, verb)

    def with_permissions(self, user, *verbs):
        return rule_for(self.model).annotate(self, user, *verbs)


def can(user, verb, obj) -> bool:
    """`rule_for(type(obj)).allows(user, obj, verb)`, for templates and services."""
    return rule_for(type(obj)).allows(user, obj, verb)


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless `allowed` (services guard their writes with it)."""
    if not allowed:
        raise PermissionDenied


# --- The role table of the README ------------------------------------------------------------


def role_table() -> str:
    """The README's role table, printed from the registered rules (manage.py role_table)."""
    from .plugins import RULES

    header = ["Objekte", *(str(g) for g in GRANTEES)]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for rule in RULES:
        cells = [f"{rule.label} (`{rule.model}`)", *(rule.describe(g) for g in GRANTEES)]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    notes = [f"- {rule.label}: {rule.note}" for rule in RULES if rule.note]
    return "\n".join(lines + (["", *notes] if notes else [])) + "\n"


# --- The kernel's own features ------------------------------------------------------------------


def can_use_two_factor(user) -> bool:
    """Optional TOTP second factor; offered to the office (ASVS level 2 for administrators)."""
    return is_office(user)
