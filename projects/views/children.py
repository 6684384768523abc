"""Sub-objects of a project: milestones, funding, budget lines, drawdowns, contacts, documents."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView

from soest_office import locking, uploads
from soest_office.access import CHANGE, rule_for

from .. import services
from ..forms import (
    BudgetLineForm,
    DocumentForm,
    DrawdownForm,
    FundingDecisionForm,
    MilestoneForm,
    ProjectContactForm,
)
from ..models import BudgetLine, Document, Drawdown, FundingDecision, Milestone, ProjectContact
from ..rules import COMPLETE, DOCUMENT, MILESTONE
from .base import CONTENT, MANAGE, READ, ProjectScopedMixin, get_project


class ChildFormView(
    LoginRequiredMixin, locking.VersionedFormViewMixin, ProjectScopedMixin, FormView
):
    """Create (no pk) or edit (pk) one sub-object of the project; an edit based on a stale
    version is refused with what the other person changed (soest_office.locking)."""

    model = None
    project_need = MANAGE
    project_field = "project"
    pass_project = True
    anchor = ""
    create_title = ""
    edit_title = ""
    template_name = "projects/child_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.project = get_project(request.user, kwargs["slug"], need=self.project_need)
        self.object = None
        if "pk" in kwargs:
            self.object = rule_for(self.model).get_object(
                request.user,
                self.model.objects.filter(**{self.project_field: self.project}),
                CHANGE,
                pk=kwargs["pk"],
            )
        return super(ProjectScopedMixin, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        if self.pass_project:
            kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.edit_title if self.object else self.create_title
        context["cancel_url"] = self.success_url_for()
        context["multipart"] = False
        return context

    def success_url_for(self):
        return (
            f"{self.project.get_absolute_url()}#{self.anchor}"
            if self.anchor
            else (self.project.get_absolute_url())
        )

    def form_valid(self, form):
        def set_project(obj):
            if self.project_field == "project":
                obj.project = self.project

        try:
            locking.save_versioned(form, commit_hook=set_project)
        except locking.StaleVersion as conflict:
            return self.conflict_response(form, conflict)
        messages.success(self.request, _("Gespeichert."))
        return redirect(self.success_url_for())


class MilestoneFormView(ChildFormView):
    model = Milestone
    form_class = MilestoneForm
    pass_project = False
    anchor = "meilensteine"
    create_title = gettext_lazy("Meilenstein anlegen")
    edit_title = gettext_lazy("Meilenstein bearbeiten")


class FundingDecisionFormView(ChildFormView):
    model = FundingDecision
    form_class = FundingDecisionForm
    anchor = "finanzen"
    create_title = gettext_lazy("Förderbescheid erfassen")
    edit_title = gettext_lazy("Förderbescheid bearbeiten")


class BudgetLineFormView(ChildFormView):
    model = BudgetLine
    form_class = BudgetLineForm
    anchor = "finanzen"
    create_title = gettext_lazy("Budgetposition anlegen")
    edit_title = gettext_lazy("Budgetposition bearbeiten")


class DrawdownFormView(ChildFormView):
    model = Drawdown
    form_class = DrawdownForm
    project_field = "funding_decision__project"
    anchor = "finanzen"
    create_title = gettext_lazy("Mittelabruf erfassen")
    edit_title = gettext_lazy("Mittelabruf bearbeiten")


class ContactFormView(ChildFormView):
    model = ProjectContact
    form_class = ProjectContactForm
    anchor = "beteiligte"
    create_title = gettext_lazy("Ansprechperson zuordnen")
    edit_title = gettext_lazy("Ansprechperson ändern")


@require_POST
def milestone_done(request, slug, pk):
    """Tick or untick a milestone (partners for their own projects, the office for all)."""
    project = get_project(request.user, slug, need=CONTENT)
    milestone = MILESTONE.get_object(
        request.user, Milestone.objects.filter(project=project), COMPLETE, pk=pk
    )
    done = request.POST.get("done") == "1"
    services.milestone_set_done(actor=request.user, milestone=milestone, done=done)
    messages.success(
        request,
        _("„%s“ ist als erledigt markiert.") % milestone.title
        if done
        else _("„%s“ ist wieder offen.") % milestone.title,
    )
    return redirect(f"{project.get_absolute_url()}#meilensteine")


def _delete_view(model, anchor, *, project_field="project"):
    @require_POST
    def view(request, slug, pk):
        project = get_project(request.user, slug, need=MANAGE)
        obj = rule_for(model).get_object(
            request.user, model.objects.filter(**{project_field: project}), CHANGE, pk=pk
        )
        if model is Document:
            services.document_delete(actor=request.user, document=obj)
        else:
            try:
                obj.delete()
            except ProtectedError:
                messages.error(
                    request,
                    _(
                        "„%s“ kann nicht gelöscht werden: Belege oder Budgetpositionen "
                        "verweisen darauf."
                    )
                    % obj,
                )
                return redirect(f"{project.get_absolute_url()}#{anchor}")
        messages.success(request, _("„%s“ wurde gelöscht.") % obj)
        return redirect(f"{project.get_absolute_url()}#{anchor}")

    return view


milestone_delete = _delete_view(Milestone, "meilensteine")
contact_delete = _delete_view(ProjectContact, "beteiligte")
document_delete = _delete_view(Document, "dokumente")
funding_delete = _delete_view(FundingDecision, "finanzen")
budget_line_delete = _delete_view(BudgetLine, "finanzen")
drawdown_delete = _delete_view(Drawdown, "finanzen", project_field="funding_decision__project")


class DocumentUploadView(LoginRequiredMixin, ProjectScopedMixin, FormView):
    """Partners upload for their own projects, the office for all."""

    form_class = DocumentForm
    project_need = CONTENT
    template_name = "projects/child_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Dokument hochladen")
        context["cancel_url"] = f"{self.project.get_absolute_url()}#dokumente"
        context["multipart"] = True
        return context

    def form_valid(self, form):
        services.document_upload(
            actor=self.request.user,
            project=self.project,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            is_public=form.cleaned_data.get("is_public", False),
        )
        messages.success(self.request, _("Das Dokument wurde hochgeladen."))
        return redirect(f"{self.project.get_absolute_url()}#dokumente")


@require_safe
def document_download(request, slug, pk):
    """Serve a document to whoever its rule lets see it (never via a public URL)."""
    project = get_project(request.user, slug, need=READ)
    document = DOCUMENT.get_object(request.user, Document.objects.filter(project=project), pk=pk)
    return uploads.serve_stored_file(document.file.name, download_name=document.original_name)
