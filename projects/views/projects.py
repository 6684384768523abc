import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_filters.views import FilterView

from soest_office import access, caching, locking
from soest_office.access import CHANGE, CREATE, VIEW
from soest_office.plugins import panel_generations

from .. import history, selectors, services
from ..dashboard import DASHBOARD_CACHE_SECONDS, GENERATION, scoped_cache_key
from ..filters import ProjectFilter
from ..forms import ProjectDescriptionForm, ProjectForm
from ..models import (
    Document,
    Drawdown,
    FundingDecision,
    Milestone,
    ProgressReport,
    Project,
    ProjectContact,
)
from ..rules import (
    CONTRIBUTE,
    DESCRIBE,
    DOCUMENT,
    FUNDING_DECISION,
    MANAGE,
    MILESTONE,
    PROJECT,
    PROJECT_CONTACT,
    REPORT,
)
from .base import ProjectScopedMixin, get_project

LIST_BODY_TEMPLATE = "projects/_project_list_body.html"
DETAIL_BODY_TEMPLATE = "projects/_project_detail_body.html"
# Reports shown on the project page; all of them are on the project's report list.
LATEST_REPORTS = 10
# Entries of the change history page (project, milestones and reports each read this many).
HISTORY_LIMIT = 100


def scoped_list_queryset(user):
    """The list's base queryset: visible projects with the figures the table shows."""
    return (
        Project.objects.visible_to(user)
        .with_figures()
        .select_related("field_of_action", "lead_municipality", "responsible")
        .prefetch_related("participating_municipalities")
    )


def own_first(queryset, user):
    """Partners see their municipality's projects first (then the chosen order)."""
    municipality_id = access.municipality_id_of(user)
    if municipality_id is None:
        return queryset
    own = Project.objects.involving(municipality_id).values("pk")
    return queryset.annotate(
        is_own=Case(When(pk__in=own, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("is_own", *(queryset.query.order_by or Project._meta.ordering))


class ProjectListView(LoginRequiredMixin, FilterView):
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    context_object_name = "projects"
    paginate_by = settings.PROJECTS_PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        # A login the project rule grants nothing (no role) gets 403; the public's list of
        # projects is /vorhaben/. Anonymous visitors go to the login (LoginRequiredMixin).
        if request.user.is_authenticated and not PROJECT.permits(request.user, VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        """The filter and the table come from the cache when nothing in the projects app,
        the municipalities or the accounts changed since they were made for the same role,
        municipality, day and query (projects.dashboard.scoped_cache_key): the list is the
        second most requested page, and rendering its filter form and table is most of its
        time under load."""
        query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
        key = scoped_cache_key("projects:list", request.user, query)
        body = cache.get(key)
        if body is None:
            response = super().get(request, *args, **kwargs)
            body = render_to_string(LIST_BODY_TEMPLATE, response.context_data, request)
            cache.set(key, body, DASHBOARD_CACHE_SECONDS)
        # Rendered by our own template, which escaped every value.
        return self.response_class(
            request=request, template=[self.template_name], context={"body": mark_safe(body)}
        )

    def get_queryset(self):
        return scoped_list_queryset(self.request.user)

    def paginate_queryset(self, queryset, page_size):
        # One GROUP BY gives the counts per traffic light and, summed, the paginator's count.
        self.light_counts = dict(
            queryset.order_by().values_list("traffic_light").annotate(n=Count("pk"))
        )
        if not self.request.GET.get("sort"):
            queryset = own_first(queryset, self.request.user)
        # A unique last key keeps pages stable when sorting by a non-unique column.
        order = list(queryset.query.order_by or Project._meta.ordering)
        return super().paginate_queryset(queryset.order_by(*order, "pk"), page_size)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = sum(self.light_counts.values())  # instead of a COUNT(*) query
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["light_counts"] = [
            (value, label, self.light_counts.get(value, 0))
            for value, label in Project.TrafficLight.choices
        ]
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        sort_params = self.request.GET.copy()
        sort_params.pop("page", None)
        sort_params.pop("sort", None)
        context["sort_base"] = sort_params.urlencode()
        context["current_sort"] = self.request.GET.get("sort", "")
        context["can_manage"] = PROJECT.permits(self.request.user, CREATE)
        context["own_municipality_id"] = access.municipality_id_of(self.request.user)
        context["columns"] = [
            ("title", _("Titel")),
            ("municipality", _("Kommune")),
            ("field", _("Handlungsfeld")),
            ("status", _("Status")),
            ("light", _("Ampel")),
            ("progress", _("Fortschritt")),
            ("end", _("geplantes Ende")),
            ("report", _("letzter Bericht")),
        ]
        return context


def visible_decisions(project, user) -> list[FundingDecision]:
    """The project's funding decisions the user may see, each with its visible drawdowns
    (two queries; none when the user may see no decisions)."""
    decisions = FundingDecision.objects.visible_to(user).filter(project=project)
    if decisions.query.is_empty():
        return []
    decisions = list(
        decisions.prefetch_related(
            Prefetch("drawdowns", queryset=Drawdown.objects.visible_to(user))
        )
    )
    for decision in decisions:
        decision.project = project
    return decisions


def panel_permissions(user) -> dict[str, bool]:
    """Which panels of the intranet project page the user's role may see: each asks the
    rule of its kind of object, nothing else."""
    return {
        "funding": FUNDING_DECISION.permits(user, VIEW),
        "milestones": MILESTONE.permits(user, VIEW),
        "reports": REPORT.permits(user, VIEW),
        "documents": DOCUMENT.permits(user, VIEW),
        "contacts": PROJECT_CONTACT.permits(user, VIEW),
        "history": REPORT.permits(user, VIEW),
    }


class ProjectDetailView(LoginRequiredMixin, DetailView):
    """The project page. Every panel asks its model's rule (projects/rules.py), so a user
    sees here exactly what the search, the exports and the downloads give them; panels of
    other apps come through the "project_detail" slot (soest_office.plugins.Panel)."""

    template_name = "projects/project_detail.html"

    def get(self, request, *args, **kwargs):
        """The page's content comes from the cache when nothing in the projects app (or in
        the apps of the panels in its slot) changed since it was made for the same project,
        account (role, municipality and the user: a partner edits their own drafts only) and
        day (overdue milestones). The project rule reads projects and the account only, so
        its answer is kept with the content (soest_office.caching.cached_part): the check
        runs whenever the content is made, and a reader it refuses leaves nothing behind."""

        def render(csrf_token=None):
            self.object = self.get_object()  # 404 outside the user's scope
            context = self.get_context_data(object=self.object)
            if csrf_token is not None:
                context["csrf_token"] = csrf_token
            html = render_to_string(DETAIL_BODY_TEMPLATE, context, request)
            return html, {"title": self.object.title}

        generations = panel_generations("project_detail")
        if generations is None:  # a panel that does not say what it depends on
            html, page = render()
            # Rendered by our own template, which escaped every value.
            body = mark_safe(html)
        else:
            body, page = caching.cached_part(
                request,
                "projects:detail",
                render,
                generations=(GENERATION, *generations),
                parts=(kwargs["slug"],),
                personal=True,
                timeout=DASHBOARD_CACHE_SECONDS,
            )
        return self.render_to_response({"project": page, "body": body})

    def get_object(self, queryset=None):
        user = self.request.user
        # The number of reports the user may read rides along with the project.
        report_count = (
            ProgressReport.objects.visible_to(user)
            .filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")
        )
        queryset = PROJECT.annotate(
            Project.objects.select_related("field_of_action", "lead_municipality", "responsible")
            .annotate(report_count=Coalesce(Subquery(report_count, output_field=IntegerField()), 0))
            .prefetch_related(
                "participating_municipalities",
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.visible_to(user).order_by("due_date", "pk"),
                ),
            ),
            user,
            CONTRIBUTE,
            MANAGE,
        )
        return get_project(user, self.kwargs["slug"], queryset=queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        project = self.object
        can_edit = PROJECT.allows(user, project, CONTRIBUTE)
        # The latest reports only: the busiest projects have more than a thousand. The full
        # history is the project's report list (keyset-paginated).
        reports = list(
            REPORT.annotate(ProgressReport.objects.visible_to(user), user, CHANGE)
            .filter(project=project)
            .with_previous_accepted()
            .select_related("author", "municipality")
            .order_by("-reporting_date", "-pk")[:LATEST_REPORTS]
        )
        documents = list(
            Document.objects.visible_to(user).filter(project=project).select_related("uploaded_by")
        )
        for child in (*reports, *documents):
            child.project = project  # their URLs need the slug: no query per row
        changes = selectors.report_changes_to_previous(reports)
        decisions = visible_decisions(project, user)
        funding = selectors.funding_summary(project, decisions=decisions, user=user)
        context.update(
            {
                # A panel shows when the user's role may see its kind of object at all. A
                # login without a role never gets here: the rules grant it nothing (404);
                # what the public sees of a project is its page /vorhaben/<slug>/.
                "shows": panel_permissions(user),
                "can_edit_content": can_edit,
                "can_manage": PROJECT.allows(user, project, MANAGE),
                "reports": [(r, changes.get(r.pk, [])) for r in reports],
                "report_count": project.report_count,
                "milestones": list(project.milestones.all()),
                "documents": documents,
                "contacts": list(
                    ProjectContact.objects.visible_to(user)
                    .filter(project=project)
                    .select_related("user", "municipality")
                ),
                "funding": funding,
                "budget_lines": [figures.line for figures in funding["lines"]],
                "decisions": decisions,
                "editable_report_ids": {r.pk for r in reports if REPORT.allows(user, r, CHANGE)},
            }
        )
        return context


class ProjectHistoryView(LoginRequiredMixin, ProjectScopedMixin, TemplateView):
    """Who changed what and when: the project, its milestones and its reports (its own page,
    so that the project page keeps a fixed, small number of queries)."""

    template_name = "projects/project_history.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_project(request.user, kwargs["slug"])
            # It shows reports' and milestones' changes: for the roles that see those.
            if not REPORT.permits(request.user, VIEW):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history.project_history(
            self.project, user=self.request.user, limit=HISTORY_LIMIT
        )
        return context


class ProjectCreateView(LoginRequiredMixin, CreateView):
    form_class = ProjectForm
    template_name = "projects/project_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not PROJECT.permits(request.user, CREATE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        self.object = services.project_create(
            actor=self.request.user,
            fields=form.service_fields(),
            participating=form.cleaned_data["participating_municipalities"],
        )
        messages.success(self.request, _("Das Projekt wurde angelegt."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class ProjectUpdateView(LoginRequiredMixin, UpdateView):
    form_class = ProjectForm
    template_name = "projects/project_form.html"

    def get_object(self, queryset=None):
        # Resolved once in dispatch (permission check before any method handler).
        if getattr(self, "_project", None) is None:
            self._project = get_project(self.request.user, self.kwargs["slug"], need=MANAGE)
        return self._project

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        expected = form.cleaned_data.get("version") or self.object.version
        try:
            project = services.project_update(
                actor=self.request.user,
                project_id=self.object.pk,
                expected_version=expected,
                fields=form.service_fields(),
                # Untouched participants stay as they are (no need to read them again).
                participating=form.cleaned_data["participating_municipalities"]
                if "participating_municipalities" in form.changed_data
                else None,
            )
        except locking.StaleVersion as conflict:
            # Keep what the user typed; the next save (with the new version) is deliberate.
            self.object = conflict.current
            form = locking.conflict_form(self.get_form_class(), conflict, self.request.POST)
            return self.render_to_response(
                self.get_context_data(form=form, conflict=conflict), status=409
            )
        messages.success(self.request, _("Die Änderungen wurden gespeichert."))
        return HttpResponseRedirect(project.get_absolute_url())


@require_POST
def project_archive(request, slug):
    project = get_project(request.user, slug, need=MANAGE)
    project = services.project_archive(actor=request.user, project=project)
    messages.success(
        request,
        _("Das Projekt wurde archiviert.")
        if project.archived_at
        else _("Das Projekt ist wieder aktiv."),
    )
    return redirect(project)


class ProjectDescriptionView(LoginRequiredMixin, UpdateView):
    """Partners keep their own projects' description, next steps and their municipality's
    contact person (DESCRIBE); the office may use it too."""

    form_class = ProjectDescriptionForm
    template_name = "projects/project_description_form.html"

    def get_object(self, queryset=None):
        if getattr(self, "_project", None) is None:
            self._project = get_project(self.request.user, self.kwargs["slug"], need=DESCRIBE)
        return self._project

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["municipality"] = getattr(self.request.user, "municipality", None)
        return kwargs

    def form_valid(self, form):
        try:
            project = services.project_describe(
                actor=self.request.user,
                project_id=self.object.pk,
                expected_version=form.cleaned_data.get("version"),
                fields={n: form.cleaned_data[n] for n in ("description", "next_steps")},
                contact_user=form.cleaned_data.get("contact_user"),
            )
        except locking.StaleVersion as conflict:
            self.object = conflict.current
            form = locking.conflict_form(
                self.get_form_class(),
                conflict,
                self.request.POST,
                municipality=getattr(self.request.user, "municipality", None),
            )
            return self.render_to_response(
                self.get_context_data(form=form, conflict=conflict), status=409
            )
        except ValidationError as exc:
            form.add_error("contact_user", exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Die Änderungen wurden gespeichert."))
        return HttpResponseRedirect(project.get_absolute_url())
