from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView

from .models import Project


class ProjectDetailView(LoginRequiredMixin, DetailView):
    """Placeholder detail page until the projects issue builds the full one."""

    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).select_related(
            "field_of_action", "lead_municipality"
        )
