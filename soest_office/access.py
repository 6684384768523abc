"""Who may see and change what: the role table of DESIGN.md, in one place.

Every view, form, export, feed, search and task asks this module (directly or through the
`visible_to(user)` / `editable_by(user)` queryset methods that call it). Rules:

| role          | projects                     | reports etc. | stakeholders   | news       |
|---------------|------------------------------|--------------|----------------|------------|
| Projektbüro   | all: create, edit, archive   | all          | all, DSGVO     | publish    |
| Kommune       | read all; edit own projects  | own projects | own commune    | drafts     |
| Lenkungskreis | read-only                    | read-only    | none           | read       |
| public        | projects marked public       | none         | none           | published  |

"Own projects" are those the user's municipality leads or takes part in. A superuser counts
as Projektbüro. A partner without a municipality has the partner's reading rights but owns
nothing, so may change nothing.

The queryset helpers rely on these model fields (the contract with the apps):
Project.lead_municipality, Project.participating_municipalities, Project.is_public;
Contact.municipality; PressRelease.status, PressRelease.author.
"""

from __future__ import annotations

import enum

from django.db.models import Q, QuerySet


class Role(enum.StrEnum):
    OFFICE = "Projektbüro"
    PARTNER = "Kommune"
    STEERING = "Lenkungskreis"


# When a user is in several groups, the widest role wins.
_ROLE_PRECEDENCE = (Role.OFFICE, Role.PARTNER, Role.STEERING)


def role_of(user) -> Role | None:
    """The user's role, or None for anonymous users and logins without a role.

    Cached on the user object so a request asks the database once.
    """
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


def municipality_id_of(user) -> int | None:
    """The municipality a partner user acts for (None for everyone else)."""
    if not is_partner(user):
        return None
    return user.municipality_id


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
