"""Progress reports: log, edit, submit (partners and office), accept or return (office)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView

from soest_office import access, caching, locking
from soest_office.access import CHANGE, VIEW
from soest_office.pagination import KeysetPaginator

from .. import selectors, services
from ..dashboard import DASHBOARD_CACHE_SECONDS, GENERATION
from ..filters import ReportFilterForm
from ..forms import ProgressReportForm, ReturnReportForm
from ..models import ProgressReport, Project
from ..rules import REPORT, REPORT_SHARED_STATUSES, REVIEW
from .base import CONTENT, ProjectScopedMixin, get_project

REPORT_ORDERING = ("-reporting_date", "-pk")
REPORTS_PER_PAGE = 50


def report_list_queryset(user, project=None):
    """The reports a list shows: of one project, every report the user may read there;
    across projects, the office and the steering group see every report they may read,
    a partner those of their municipality's projects (including the drafts they edit)."""
    reports = ProgressReport.objects.visible_to(user)
    if project is not None:
        return reports.filter(project=project)
    if access.is_partner(user):
        reports = reports.filter(project__in=Project.objects.editable_by(user).values("pk"))
    return reports


def report_paginator(queryset):
    """The keyset paginator of the report lists, newest reporting date first (the
    benchmark opens deep pages through it)."""
    return KeysetPaginator(queryset, ordering=REPORT_ORDERING, per_page=REPORTS_PER_PAGE)


REPORT_LIST_BODY_TEMPLATE = "projects/_report_list_body.html"


class ReportListView(LoginRequiredMixin, TemplateView):
    """Progress reports, newest first, filtered by municipality, status, light and year:
    across projects (`report_list`) or of one project (`project_reports`, linked from the
    project page as "Alle Berichte"). Keyset pagination: no OFFSET, no count of the table."""

    template_name = "projects/report_list.html"

    def dispatch(self, request, *args, **kwargs):
        self.project = None
        if request.user.is_authenticated:
            if not REPORT.permits(request.user, VIEW):
                raise PermissionDenied
            if "slug" in kwargs:
                self.project = get_project(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        """The filter and the table come from the cache when nothing in the projects app
        changed since they were made for the same account (role, municipality, user),
        day and address (project, filters, page)."""

        def render(csrf_token):
            context = {**self.get_context_data(**kwargs), "csrf_token": csrf_token}
            return render_to_string(REPORT_LIST_BODY_TEMPLATE, context, request)

        body = caching.fragment(
            request,
            "projects:reports",
            render,
            generations=(GENERATION,),
            parts=(request.get_full_path(),),
            personal=True,
            timeout=DASHBOARD_CACHE_SECONDS,
        )
        return self.render_to_response({"project": self.project, "body": body})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        statuses = ProgressReport.Status.choices
        if not (access.is_office(user) or access.is_partner(user)):
            # The steering group never sees drafts or returned reports: offer no such filter.
            statuses = [c for c in statuses if c[0] in REPORT_SHARED_STATUSES]
        form = ReportFilterForm(
            self.request.GET, statuses=statuses, with_municipality=self.project is None
        )
        reports = form.apply(report_list_queryset(user, self.project))
        related = (
            ("author", "municipality") if self.project else ("author", "municipality", "project")
        )
        page = report_paginator(reports.select_related(*related)).page(self.request.GET)
        if self.project is not None:
            for report in page.object_list:
                report.project = self.project  # their URLs need the slug: no query per row
        context.update(
            {
                "project": self.project,
                "form": form,
                "page": page,
                "reports": page.object_list,
                # One project's reports are few enough to count; the whole table is not.
                "report_count": reports.count() if self.project is not None else None,
            }
        )
        return context


def get_report(user, slug, pk, *, need=VIEW):
    """The report for a view, by the report rule: 404 when the user may not read it (drafts
    are working copies of the reporting municipality), 403 when the user reads it but may
    not do `need` (CHANGE: edit and submit; REVIEW: accept or return)."""
    project = get_project(user, slug, need=VIEW)
    queryset = ProgressReport.objects.filter(project=project).select_related(
        "author", "municipality", "reviewed_by", "project"
    )
    return REPORT.get_object(user, REPORT.annotate(queryset, user, CHANGE, REVIEW), need, pk=pk)


class ReportFormView(LoginRequiredMixin, ProjectScopedMixin, FormView):
    form_class = ProgressReportForm
    template_name = "projects/report_form.html"
    project_need = CONTENT

    def dispatch(self, request, *args, **kwargs):
        self.report = None
        if request.user.is_authenticated and "pk" in kwargs:
            # The report's CHANGE rule includes the project content right.
            self.report = get_report(request.user, kwargs["slug"], kwargs["pk"], need=CHANGE)
            self.project = self.report.project
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        kwargs["instance"] = self.report
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            report = services.report_save(
                actor=self.request.user,
                project=self.project,
                report=self.report,
                fields=fields,
                submit=submit,
                expected_version=form.cleaned_data.get("version"),
            )
        except locking.StaleVersion as conflict:
            self.report = conflict.current
            form = locking.conflict_form(
                type(form), conflict, self.request.POST, project=self.project
            )
            return self.render_to_response(
                self.get_context_data(form=form, conflict=conflict), status=409
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Der Bericht wurde eingereicht. Das Projektbüro prüft ihn.")
            if submit
            else _("Der Entwurf wurde gespeichert."),
        )
        return redirect(report)


class ReportDetailView(LoginRequiredMixin, DetailView):
    template_name = "projects/report_detail.html"
    context_object_name = "report"

    def get_object(self, queryset=None):
        return get_report(self.request.user, self.kwargs["slug"], self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        user = self.request.user
        context["project"] = report.project
        context["can_edit"] = REPORT.allows(user, report, CHANGE)
        context["can_review"] = (
            REPORT.allows(user, report, REVIEW) and report.status == ProgressReport.Status.SUBMITTED
        )
        context["return_form"] = kwargs.get("return_form") or ReturnReportForm()
        previous = (
            ProgressReport.objects.filter(
                project=report.project,
                status=ProgressReport.Status.ACCEPTED,
                reporting_date__lte=report.reporting_date,
            )
            .exclude(pk=report.pk)
            .order_by("-reporting_date", "-pk")
            .first()
        )
        context["previous"] = previous
        context["changes"] = selectors.report_changes([r for r in (previous, report) if r]).get(
            report.pk, []
        )
        return context


@require_POST
def report_submit(request, slug, pk):
    report = get_report(request.user, slug, pk, need=CHANGE)
    services.report_submit(actor=request.user, report=report)
    messages.success(request, _("Der Bericht wurde eingereicht. Das Projektbüro prüft ihn."))
    return redirect(report)


@require_POST
def report_accept(request, slug, pk):
    report = get_report(request.user, slug, pk, need=REVIEW)
    try:
        services.report_accept(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(report)
    messages.success(
        request, _("Der Bericht ist angenommen; Ampel und Kennzahlen des Projekts sind aktuell.")
    )
    return redirect(report.project)


@require_POST
def report_return(request, slug, pk):
    report = get_report(request.user, slug, pk, need=REVIEW)
    form = ReturnReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                actor=request.user, report=report, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Der Bericht wurde mit Ihrem Kommentar zurückgegeben."))
        return redirect(report)
    view = ReportDetailView()
    view.setup(request, slug=slug, pk=pk)
    view.object = report
    return view.render_to_response(view.get_context_data(return_form=form), status=400)
