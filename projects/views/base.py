"""Object helpers: every project view resolves its project through one of these.

404 when the user may not see the project, 403 when the user sees it but may not do the
requested kind of change (DESIGN.md): both answered by the project rule (projects/rules.py).
"""

from django.utils.functional import cached_property

from soest_office.access import VIEW

from ..models import Project
from ..rules import CONTRIBUTE, MANAGE, PROJECT

# What a view needs of its project: read it, contribute content (reports, milestones,
# documents), or manage it (master data, money, archive).
READ, CONTENT = VIEW, CONTRIBUTE
__all__ = ["CONTENT", "MANAGE", "READ", "ProjectScopedMixin", "get_project"]


def get_project(user, slug, *, need=READ, queryset=None) -> Project:
    return PROJECT.get_object(user, queryset, need, slug=slug)


class ProjectScopedMixin:
    """Resolves self.project in dispatch (so every HTTP method is checked)."""

    project_need = READ

    def dispatch(self, request, *args, **kwargs):
        # A subclass that resolved a child object first (with its own, stricter check) has
        # set self.project already; don't fetch and check it twice.
        if getattr(self, "project", None) is None:
            self.project = get_project(request.user, kwargs["slug"], need=self.project_need)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_edit_content(self):
        return PROJECT.allows(self.request.user, self.project, CONTRIBUTE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context
