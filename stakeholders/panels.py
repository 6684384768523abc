"""Sections the stakeholders app adds to other apps' pages (found by the kernel, see
soest_office.plugins): the stakeholders involved in a project, on the project's page, as
far as the involvement rule (stakeholders/rules.py) lets the user see them."""

from soest_office.plugins import PANELS, Panel

from .models import Involvement


def project_involvements(request, project) -> dict | None:
    involvements = list(
        Involvement.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("contact__organisation", "organisation")
        .order_by("role", "pk")
    )
    return {"involvements": involvements} if involvements else None


PANELS.register(
    Panel(
        key="project_involvements",
        slot="project_detail",
        template_name="stakeholders/panels/project_involvements.html",
        context=project_involvements,
        # Contacts and organisations (stakeholders) on projects (titles, municipalities).
        generations=("stakeholders", "projects"),
    )
)
