"""What the public sees of the projects: the reads behind the public project pages
(/vorhaben/), the open-data API (projects/api.py) and the transparency list.

Everything starts from the rules (projects/rules.py) asked for the anonymous visitor: public,
non-archived projects, and of those only the milestones and documents marked public and the
funding the office released. Nothing here knows a field the public may not see: the page
templates and the API schemas read only what these functions hand out.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from .models import Document, FieldOfAction, Milestone, Project
from .services.money import granted_by_project

ANONYMOUS = AnonymousUser()


def public_project_rows():
    """The projects the public may see (the project rule, asked as the anonymous visitor):
    the one source of every public list, page, sitemap and API answer about projects."""
    return Project.objects.visible_to(ANONYMOUS)


def with_public_lastmod(queryset):
    """Annotate `lastmod`: when the public page last changed, from the data: the project's
    own change or the newest upload of a document the public sees (milestones carry no
    time of change; ticking one saves the project's figures)."""
    newest_document = (
        Document.objects.visible_to(ANONYMOUS)
        .filter(project=OuterRef("pk"))
        .order_by("-uploaded_at")
        .values("uploaded_at")[:1]
    )
    return queryset.annotate(
        lastmod=Greatest("updated_at", Coalesce(Subquery(newest_document), "updated_at"))
    )


def public_projects():
    """The public projects, with what every public list shows (three queries when listed:
    projects, municipalities)."""
    return (
        public_project_rows()
        .select_related("field_of_action", "lead_municipality")
        .prefetch_related("participating_municipalities")
        .order_by("title", "pk")
    )


def filter_projects(queryset, *, municipality: str = "", field_of_action: str = ""):
    """Narrow by municipality slug (leading or taking part) and field-of-action slug.
    Unknown slugs give no rows, never an error."""
    if municipality:
        taking_part = Project.objects.filter(participating_municipalities__slug=municipality)
        queryset = queryset.filter(
            Q(lead_municipality__slug=municipality) | Q(pk__in=taking_part.values("pk"))
        )
    if field_of_action:
        queryset = queryset.filter(field_of_action__slug=field_of_action)
    return queryset


def public_milestones():
    return Milestone.objects.visible_to(ANONYMOUS).select_related("project")


def public_documents():
    return Document.objects.visible_to(ANONYMOUS).select_related("project")


def public_funding(project_ids) -> dict[int, Decimal]:
    """The granted sum per project as of today, only for projects whose funding the office
    released (the funding rule's public grant): the intranet's figure (the money service),
    so a decision entered ahead of its date counts on neither side before that date.
    Projects without such a decision are absent. One query."""
    return granted_by_project(project_ids, user=ANONYMOUS)


def fields_of_action():
    return FieldOfAction.objects.order_by("position", "name")


def progress_in_words(project: Project) -> str:
    """Status and progress as a sentence for readers without the intranet's vocabulary
    (no traffic light: its reasons are internal)."""
    status = Project.Status
    if project.status == status.IDEA:
        return _("Das Vorhaben ist eine Idee und wird noch geprüft.")
    if project.status == status.PLANNED:
        return _("Das Vorhaben ist geplant; die Umsetzung hat noch nicht begonnen.")
    if project.status == status.COMPLETED:
        return _("Das Vorhaben ist abgeschlossen.")
    if project.status == status.PAUSED:
        return _("Das Vorhaben ruht zurzeit.")
    if project.status == status.CANCELLED:
        return _("Das Vorhaben wurde beendet, ohne abgeschlossen zu werden.")
    percent = project.percent_complete
    if percent < 25:
        return _("Die Umsetzung hat begonnen.")
    if percent < 75:
        return _("Die Umsetzung ist in vollem Gang, etwa %(percent)s %% sind geschafft.") % {
            "percent": percent
        }
    return _("Die Umsetzung ist weit fortgeschritten, etwa %(percent)s %% sind geschafft.") % {
        "percent": percent
    }
