"""The projects app's part of the open-data API (/api/v1/, soest_office.opendata): public
projects and their public milestones, as the rules let the anonymous visitor see them
(projects.public). The schemas name every field that leaves the house; nothing else can."""

import datetime

from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from soest_office.api_v1 import LicenceOut, Page
from soest_office.opendata import LICENCE, ApiSection, Dataset
from soest_office.plugins import OPEN_DATA

from . import public
from .models import Project
from .rules import PROJECT

projects_router = Router(tags=["Vorhaben"])
milestones_router = Router(tags=["Meilensteine"])


class NamedOut(Schema):
    slug: str
    name: str


class ProjectOut(Schema):
    slug: str
    title: str
    summary: str
    description: str
    field_of_action: NamedOut
    lead_municipality: NamedOut
    participating_municipalities: list[NamedOut]
    status: str = Field(description="idea, planned, in_progress, completed, paused, cancelled")
    status_label: str
    progress_text: str = Field(description="Stand in einfachen Worten")
    start_date: datetime.date | None
    planned_end_date: datetime.date | None
    transferability: str = Field(description="Übertragbarkeit auf andere Regionen")
    funding_granted_eur: str | None = Field(
        description="Bewilligte Fördersumme; null, solange das Projektbüro sie nicht freigibt"
    )
    url: str = Field(description="Die öffentliche Projektseite")
    updated_at: datetime.datetime


class ProjectDetailOut(ProjectOut):
    license: LicenceOut


class MilestoneOut(Schema):
    id: int
    project: str = Field(description="slug des Vorhabens")
    title: str
    due_date: datetime.date
    done_date: datetime.date | None
    done: bool

    @staticmethod
    def resolve_project(milestone) -> str:
        return milestone.project.slug

    @staticmethod
    def resolve_done(milestone) -> bool:
        return milestone.done_date is not None


def _named(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name}


def project_out(project: Project, funding: dict, request) -> dict:
    return {
        "slug": project.slug,
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "field_of_action": _named(project.field_of_action),
        "lead_municipality": _named(project.lead_municipality),
        "participating_municipalities": [
            _named(m) for m in project.participating_municipalities.all()
        ],
        "status": project.status,
        "status_label": str(project.get_status_display()),
        "progress_text": public.progress_in_words(project),
        "start_date": project.start_date,
        "planned_end_date": project.planned_end_date,
        "transferability": project.transferability,
        "funding_granted_eur": f"{funding[project.pk]:.2f}" if project.pk in funding else None,
        "url": request.build_absolute_uri(reverse("vorhaben:detail", args=[project.slug])),
        "updated_at": project.updated_at,
    }


class _ProjectPage(Page):
    """Serialises the page's projects with their released funding (one query for all)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        funding = public.public_funding([p.pk for p in page["results"]])
        page["results"] = [project_out(p, funding, request) for p in page["results"]]
        return page


@projects_router.get(
    "/", response=list[ProjectOut], url_name="projects", summary="Öffentliche Vorhaben"
)
@paginate(_ProjectPage)
def list_projects(request, kommune: str = "", handlungsfeld: str = "", status: str = ""):
    """Filter: `kommune` (slug, federführend oder beteiligt), `handlungsfeld` (slug),
    `status`. Unbekannte Parameter werden ignoriert."""
    projects = public.filter_projects(
        public.public_projects(), municipality=kommune[:50], field_of_action=handlungsfeld[:50]
    )
    if status:
        projects = projects.filter(status=status[:20])
    return projects


@projects_router.get(
    "/{slug}",
    response=ProjectDetailOut,
    url_name="project",
    summary="Ein öffentliches Vorhaben",
)
def get_project(request, slug: str):
    project = PROJECT.get_object(public.ANONYMOUS, public.public_projects(), slug=slug[:80])
    funding = public.public_funding([project.pk])
    return {**project_out(project, funding, request), "license": LICENCE}


@milestones_router.get(
    "/",
    response=list[MilestoneOut],
    url_name="milestones",
    summary="Öffentliche Meilensteine öffentlicher Vorhaben",
)
@paginate(Page)
def list_milestones(request, vorhaben: str = "", erledigt: bool | None = None):
    """Filter: `vorhaben` (slug), `erledigt` (true/false)."""
    milestones = public.public_milestones().order_by("due_date", "pk")
    if vorhaben:
        milestones = milestones.filter(project__slug=vorhaben[:80])
    if erledigt is not None:
        milestones = milestones.filter(done_date__isnull=not erledigt)
    return milestones


OPEN_DATA.register(
    ApiSection(
        key="projects",
        prefix="vorhaben",
        router=projects_router,
        position=10,
        datasets=(
            Dataset(
                key="vorhaben",
                title="Vorhaben der Digitalen Modellregion Soest",
                description=(
                    "Öffentliche Einzelprojekte mit Handlungsfeld, Kommunen, Zeitraum, Stand "
                    "und Übertragbarkeit."
                ),
                path="vorhaben/",
                keywords=("Digitalisierung", "Modellregion", "Projekte", "Soest"),
            ),
        ),
    )
)
OPEN_DATA.register(
    ApiSection(
        key="milestones",
        prefix="meilensteine",
        router=milestones_router,
        position=11,
        datasets=(
            Dataset(
                key="meilensteine",
                title="Meilensteine der Vorhaben",
                description="Öffentliche Meilensteine der öffentlichen Vorhaben.",
                path="meilensteine/",
                keywords=("Meilensteine", "Projekte", "Soest"),
            ),
        ),
    )
)
