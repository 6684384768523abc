"""The public project pages (/vorhaben/, no login): what the public sees of projects marked
public. Every read asks the rules as the anonymous visitor (projects.public), whoever is
logged in: the page shows office staff exactly what the public sees, never more."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from soest_office import uploads
from soest_office.models import Municipality

from .. import public
from ..models import Document
from ..rules import DOCUMENT, PROJECT


@method_decorator(login_not_required, name="dispatch")
class PublicProjectListView(ListView):
    template_name = "projects/public/project_list.html"
    context_object_name = "projects"
    paginate_by = settings.PROJECTS_PAGE_SIZE

    def get_queryset(self):
        self.municipality = self.request.GET.get("kommune", "")[:50]
        self.field_of_action = self.request.GET.get("handlungsfeld", "")[:50]
        return public.filter_projects(
            public.public_projects(),
            municipality=self.municipality,
            field_of_action=self.field_of_action,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipalities"] = Municipality.objects.order_by("name")
        context["fields_of_action"] = public.fields_of_action()
        context["current_municipality"] = self.municipality
        context["current_field"] = self.field_of_action
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        return context


@method_decorator(login_not_required, name="dispatch")
class PublicProjectDetailView(DetailView):
    template_name = "projects/public/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return PROJECT.get_object(
            public.ANONYMOUS, public.public_projects(), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        context["milestones"] = list(public.public_milestones().filter(project=project))
        context["documents"] = list(public.public_documents().filter(project=project))
        context["funding"] = public.public_funding([project.pk]).get(project.pk)
        context["progress_text"] = public.progress_in_words(project)
        return context


@require_safe
@login_not_required
def public_document_download(request, slug, pk):
    """Only documents the office marked public, of public projects (the document rule)."""
    project = PROJECT.get_object(public.ANONYMOUS, None, slug=slug)
    document = DOCUMENT.get_object(
        public.ANONYMOUS, Document.objects.filter(project=project), pk=pk
    )
    return uploads.serve_stored_file(document.file.name, download_name=document.original_name)
