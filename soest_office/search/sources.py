"""The search sources of the apps, registered in one place (soest_office owns search).

Every `scope` is the model's `visible_to(user)`, i.e. the access module's rule.
"""

from django.utils.translation import gettext_lazy as _

from .registry import Document, Source, register


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def register_project_sources():
    from projects.models import Project

    def project_document(project):
        participating = list(project.participating_municipalities.all())
        return Document(
            title=project.title,
            summary=project.summary,
            body=_join(project.description, project.traffic_light_reason),
            names=_join(
                project.lead_municipality.name,
                *(m.name for m in participating),
            ),
            municipality_ids=[project.lead_municipality_id, *(m.pk for m in participating)],
            field_of_action_id=project.field_of_action_id,
            year=project.created_at.year if project.created_at else None,
            url=project.get_absolute_url(),
        )

    register(
        Source(
            key="projekte",
            label=_("Projekte"),
            model=Project,
            scope=lambda qs, user: qs.visible_to(user),
            document=project_document,
            queryset=lambda: Project.objects.select_related(
                "lead_municipality", "field_of_action"
            ).prefetch_related("participating_municipalities"),
            position=10,
            m2m=("participating_municipalities",),
        )
    )


def register_all():
    register_project_sources()
