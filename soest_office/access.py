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

Grants are keyed by role; `PUBLIC` stands for everyone without a role: anonymous visitors,
logged-in accounts without a group, deactivated users. A superuser counts as Projektbüro. A
partner without a municipality keeps the partner's reading rights but owns nothing: every
scope built from "the own municipality" is empty for them (`municipality_id_of` is None).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Role(enum.StrEnum):
    OFFICE = "Projektbüro"
    PARTNER = "Kommune"
    STEERING = "Lenkungskreis"


# The grant key of everyone without a role (not a group).
PUBLIC = "Öffentlichkeit"

# When a user is in several groups, the widest role wins.
_ROLE_PRECEDENCE = (Role.OFFICE, Role.PARTNER, Role.STEERING)

# Columns of the role table, in this order.
GRANTEES = (Role.OFFICE, Role.PARTNER, Role.STEERING, PUBLIC)


def role_of(user) -> Role | None:
    """The user's role, or None for anonymous users, logins without a role and deactivated
    accounts. Cached on the user object so a request asks the database once."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.OFFICE
    cached = getattr(user, "_soest_role", False)
    if cached is not False:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in _ROLE_PRECEDENCE if r.value in names), None)
    user._soest_role = role
    return role


def is_office(user) -> bool:
    return role_of(user) is Role.OFFICE


def is_partner(user) -> bool:
    return role_of(user) is Role.PARTNER


def is_steering(user) -> bool:
    return role_of(user) is Role.STEERING


def has_role(user) -> bool:
    """Any role: the intranet's pages, dashboards and search are for role holders only."""
    return role_of(user) is not None


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
        scope = grants.get(role_of(user) or PUBLIC)
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


# --- Transitional: the old functions, removed once every app asks its rules ----------------

# --- Projects (and what hangs off them: milestones, reports, documents, funding) ------------


def can_read_intranet(user) -> bool:
    """Any role may read projects, dashboards and reports inside the intranet."""
    return role_of(user) is not None


def can_manage_projects(user) -> bool:
    """Create, archive and edit any project; accept or return reports."""
    return is_office(user)


def scope_projects_visible(qs: QuerySet, user) -> QuerySet:
    if can_read_intranet(user):
        return qs
    return qs.filter(is_public=True)


def own_projects_q(user, prefix: str = "") -> Q:
    """Projects the partner's municipality leads or takes part in (prefix for related models,
    e.g. "project__")."""
    municipality_id = municipality_id_of(user)
    if municipality_id is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}lead_municipality_id": municipality_id}) | Q(
        **{f"{prefix}participating_municipalities__id": municipality_id}
    )


def scope_projects_editable(qs: QuerySet, user) -> QuerySet:
    """Projects whose sub-objects (reports, milestones, documents) the user may change.

    The partner filter spans a many-to-many relation, so ids are collected in a subquery
    instead of joining (no duplicate rows, no DISTINCT on the outer query).
    """
    if is_office(user):
        return qs
    if not is_partner(user):
        return qs.none()
    own_ids = qs.model._default_manager.filter(own_projects_q(user)).values("pk")
    return qs.filter(pk__in=own_ids)


def can_edit_project_content(user, project) -> bool:
    """May log reports, tick milestones and upload documents for this project."""
    if is_office(user):
        return True
    municipality_id = municipality_id_of(user)
    if municipality_id is None:
        return False
    if project.lead_municipality_id == municipality_id:
        return True
    return project.participating_municipalities.filter(pk=municipality_id).exists()


# ProgressReport.Status values every intranet role reads; the other statuses (draft,
# returned) are the reporting municipality's working copies.
REPORT_SHARED_STATUSES = ("submitted", "accepted")


def scope_reports_visible(qs: QuerySet, user) -> QuerySet:
    """Progress reports (or a queryset of them) the user may read.

    Intranet roles read submitted and accepted reports of every project they see; drafts and
    returned reports only those who may edit the project's content (office: all, partner:
    their municipality's projects). Reports are never public. The office's queryset stays
    unfiltered (no WHERE), the search engine relies on that to skip the join.
    """
    if not can_read_intranet(user):
        return qs.none()
    if is_office(user):
        return qs
    project_model = qs.model._meta.get_field("project").related_model
    editable = scope_projects_editable(project_model._default_manager.all(), user)
    shared = Q(status__in=REPORT_SHARED_STATUSES)
    if editable.query.is_empty():
        return qs.filter(shared)
    return qs.filter(shared | Q(project__in=editable.values("pk")))


def can_read_report(user, report) -> bool:
    """The predicate of scope_reports_visible for one loaded report (its project loaded)."""
    if not can_read_intranet(user):
        return False
    return report.status in REPORT_SHARED_STATUSES or can_edit_project_content(user, report.project)


def can_edit_project_master_data(user, project) -> bool:
    """Title, budget, status, responsible person: the office only."""
    return is_office(user)


# --- Stakeholders ---------------------------------------------------------------------------


def can_access_stakeholders(user) -> bool:
    return role_of(user) in (Role.OFFICE, Role.PARTNER)


def can_manage_stakeholders(user) -> bool:
    """DSGVO actions, distribution lists, import, merge, bulk erasure."""
    return is_office(user)


def scope_contacts(qs: QuerySet, user, *, prefix: str = "") -> QuerySet:
    """Contacts (or objects keyed by a contact via `prefix`, e.g. "contact__") the user sees."""
    if is_office(user):
        return qs
    municipality_id = municipality_id_of(user)
    if municipality_id is None:
        return qs.none()
    return qs.filter(**{f"{prefix}municipality_id": municipality_id})


def can_edit_contact(user, contact) -> bool:
    if is_office(user):
        return True
    municipality_id = municipality_id_of(user)
    return municipality_id is not None and contact.municipality_id == municipality_id


# --- News -----------------------------------------------------------------------------------

PUBLISHED = "published"  # PressRelease.Status.PUBLISHED's value


def can_write_press(user) -> bool:
    """Write drafts and submit them for review."""
    return role_of(user) in (Role.OFFICE, Role.PARTNER)


def can_publish_press(user) -> bool:
    """Approve, schedule, publish, archive and distribute."""
    return is_office(user)


def scope_press_releases(qs: QuerySet, user) -> QuerySet:
    """Office: all; partner: published plus their own; steering and public: published."""
    if is_office(user):
        return qs
    published = Q(status=PUBLISHED)
    if is_partner(user):
        return qs.filter(published | Q(author_id=user.pk))
    return qs.filter(published)


def can_edit_press_release(user, release) -> bool:
    if is_office(user):
        return True
    return is_partner(user) and release.author_id == user.pk and release.status == "draft"


# --- Security and operations of the office ----------------------------------------------------


def can_read_audit_log(user) -> bool:
    """The security audit log (logins, exports, erasures, role changes): office only."""
    return is_office(user)


def can_read_accessibility_feedback(user) -> bool:
    """Reports sent through the public accessibility feedback form: office only."""
    return is_office(user)


def can_use_two_factor(user) -> bool:
    """Optional TOTP second factor; offered to the office (ASVS level 2 for administrators)."""
    return is_office(user)
