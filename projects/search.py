"""What the projects app puts into the search (found by the kernel, see soest_office.plugins).

Who finds what is the app's rules (projects/rules.py) through each model's `visible_to`:
projects for every role (public ones for everyone), milestones, documents and money for
the intranet roles, reports as the report rule says (drafts only for their project's
municipality and the office).
"""

from django.utils.translation import gettext_lazy as _

from soest_office.plugins import SEARCH_FACETS, SEARCH_SOURCES
from soest_office.search.registry import CategoryFacet, Document, Source

from .models import Document as ProjectDocument
from .models import FieldOfAction, Milestone, ProgressReport, Project

PROJECT_RELATED = ("project__lead_municipality", "project__field_of_action")


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _project_municipalities(project) -> list[int]:
    return [
        project.lead_municipality_id,
        *(m.pk for m in project.participating_municipalities.all()),
    ]


def project_document(project) -> Document:
    participating = list(project.participating_municipalities.all())
    return Document(
        title=project.title,
        summary=project.summary,
        body=_join(project.description, project.traffic_light_reason, project.transferability),
        names=_join(project.lead_municipality.name, *(m.name for m in participating)),
        municipality_ids=[project.lead_municipality_id, *(m.pk for m in participating)],
        category_id=project.field_of_action_id,
        year=project.created_at.year if project.created_at else None,
        url=project.get_absolute_url(),
    )


def report_document(report) -> Document:
    project = report.project
    return Document(
        title=_("Sachstandsbericht %(project)s zum %(date)s")
        % {"project": project.title, "date": report.reporting_date.strftime("%d.%m.%Y")},
        summary=report.achieved,
        body=_join(report.next_steps, report.risks, report.traffic_light_reason),
        names=_join(project.title, report.municipality.name if report.municipality else ""),
        municipality_ids=[report.municipality_id or project.lead_municipality_id],
        category_id=project.field_of_action_id,
        year=report.reporting_date.year,
        url=report.get_absolute_url(),
    )


def milestone_document(milestone) -> Document:
    project = milestone.project
    return Document(
        title=milestone.title,
        summary=milestone.note,
        names=project.title,
        municipality_ids=_project_municipalities(project),
        category_id=project.field_of_action_id,
        year=milestone.due_date.year,
        url=f"{project.get_absolute_url()}#meilensteine",
    )


def document_document(document) -> Document:
    project = document.project
    return Document(
        title=document.title,
        summary=_join(document.get_kind_display(), document.original_name),
        names=project.title,
        municipality_ids=_project_municipalities(project),
        category_id=project.field_of_action_id,
        year=document.uploaded_at.year if document.uploaded_at else None,
        url=document.get_absolute_url(),
    )


SEARCH_FACETS.register(
    CategoryFacet(key="handlungsfeld", label=_("Handlungsfeld"), model=FieldOfAction)
)

SEARCH_SOURCES.register(
    Source(
        key="projekte",
        label=_("Projekte"),
        model=Project,
        document=project_document,
        queryset=lambda: Project.objects.select_related(
            "lead_municipality", "field_of_action"
        ).prefetch_related("participating_municipalities"),
        position=10,
        m2m=("participating_municipalities",),
    )
)

SEARCH_SOURCES.register(
    Source(
        key="berichte",
        label=_("Sachstandsberichte"),
        model=ProgressReport,
        document=report_document,
        queryset=lambda: ProgressReport.objects.select_related("municipality", *PROJECT_RELATED),
        position=20,
        dependencies=((Project, lambda ids: ProgressReport.objects.filter(project_id__in=ids)),),
    )
)

SEARCH_SOURCES.register(
    Source(
        key="meilensteine",
        label=_("Meilensteine"),
        model=Milestone,
        document=milestone_document,
        queryset=lambda: Milestone.objects.select_related(*PROJECT_RELATED).prefetch_related(
            "project__participating_municipalities"
        ),
        position=30,
        dependencies=((Project, lambda ids: Milestone.objects.filter(project_id__in=ids)),),
    )
)

SEARCH_SOURCES.register(
    Source(
        key="dokumente",
        label=_("Dokumente"),
        model=ProjectDocument,
        document=document_document,
        queryset=lambda: ProjectDocument.objects.select_related(*PROJECT_RELATED).prefetch_related(
            "project__participating_municipalities"
        ),
        position=40,
        dependencies=((Project, lambda ids: ProjectDocument.objects.filter(project_id__in=ids)),),
        file_field="file",
    )
)
