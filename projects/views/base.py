"""Object helpers: every project view resolves its project through one of these.

404 when the user may not see the project, 403 when the user sees it but may not do the
requested kind of change (DESIGN.md, healthchecks' _get_check_for_user pattern).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from soest_office import access

from ..models import Project

READ, CONTENT, MANAGE = "read", "content", "manage"


def get_project(user, slug, *, need=READ, queryset=None) -> Project:
    queryset = queryset if queryset is not None else Project.objects.all()
    project = get_object_or_404(queryset.visible_to(user), slug=slug)
    if need == MANAGE and not access.can_manage_projects(user):
        raise PermissionDenied
    if need == CONTENT and not access.can_edit_project_content(user, project):
        raise PermissionDenied
    return project


class ProjectScopedMixin:
    """Resolves self.project in dispatch (so every HTTP method is checked)."""

    project_need = READ

    def dispatch(self, request, *args, **kwargs):
        self.project = get_project(request.user, kwargs["slug"], need=self.project_need)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_edit_content(self):
        return access.can_edit_project_content(self.request.user, self.project)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context
