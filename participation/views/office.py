"""The office's participation pages: all contributions (filter by project and status),
moderation and answer, export, summary per project, settings per project. The rule of
contributions (MODERATE) decides who gets here: the office; 403 for every other role."""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from projects.models import Project
from projects.rules import PROJECT
from soest_office.access import CHANGE
from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.spreadsheets import csv_response, xlsx_response

from .. import exports, selectors, services
from ..forms import AnswerForm, ModerationForm, OfficeFilterForm, ParticipationForm
from ..models import Contribution, Participation
from ..rules import CONTRIBUTION, MODERATE, PARTICIPATION


class OfficeMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not CONTRIBUTION.permits(request.user, MODERATE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _filtered(request):
    participations = list(
        Participation.objects.visible_to(request.user)
        .select_related("project")
        .order_by("project__title")
    )
    form = OfficeFilterForm(request.GET or None, participations=participations)
    queryset = CONTRIBUTION.scope(Contribution.objects.all(), request.user, MODERATE)
    queryset = queryset.annotate(
        support_count=Count("supports", filter=Q(supports__confirmed_at__isnull=False))
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data["project"]:
            queryset = queryset.filter(participation__project__slug=form.cleaned_data["project"])
        if form.cleaned_data["status"]:
            queryset = queryset.filter(status=form.cleaned_data["status"])
    return form, participations, queryset.select_related("participation__project")


class OfficeListView(OfficeMixin, ListView):
    template_name = "participation/office_list.html"
    context_object_name = "contributions"
    paginate_by = 50
    http_method_names = ["get", "head"]

    def get_queryset(self):
        self.filter_form, self.participations, queryset = _filtered(self.request)
        return queryset.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with_participation = {p.project_id for p in self.participations}
        context.update(
            filter_form=self.filter_form,
            participations=self.participations,
            public_projects=PROJECT.scope(Project.objects.filter(is_public=True), self.request.user)
            .exclude(pk__in=with_participation)
            .order_by("title"),
            query=self.request.GET.urlencode(),
        )
        return context


class OfficeExportView(OfficeMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, fmt):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        _form, _participations, queryset = _filtered(request)
        queryset = queryset.exclude(status=Contribution.Status.UNCONFIRMED).order_by(
            "participation__project__title", "pk"
        )
        audit_record(
            kind=AuditEvent.Kind.EXPORT,
            request=request,
            target=_("Bürgerbeiträge"),
            details={"format": fmt, "anzahl": queryset.count()},
            area="beteiligung",
        )
        stamp = timezone.localdate().isoformat()
        if fmt == "csv":
            return csv_response(
                exports.HEADER, exports.rows(queryset), filename=f"buergerbeitraege-{stamp}.csv"
            )
        return xlsx_response(
            exports.write_xlsx(queryset), filename=f"buergerbeitraege-{stamp}.xlsx"
        )


class OfficeDetailView(OfficeMixin, View):
    http_method_names = ["get", "head", "post"]

    def _get(self, request, pk):
        queryset = Contribution.objects.select_related(
            "participation__project", "contact", "consent_text", "merged_into", "moderated_by"
        ).annotate(support_count=Count("supports", filter=Q(supports__confirmed_at__isnull=False)))
        return CONTRIBUTION.get_object(request.user, queryset, MODERATE, pk=pk)

    def _render(self, request, contribution, moderation=None, answer=None, error="", status=200):
        moderation = moderation or ModerationForm(contribution=contribution)
        answer = answer or AnswerForm(
            initial={
                "answer_status": contribution.answer_status,
                "answer_text": contribution.answer_text,
            }
        )
        return render(
            request,
            "participation/office_detail.html",
            {
                "contribution": contribution,
                "moderation": moderation,
                "answer": answer,
                "error": error,
                "can_moderate": contribution.status == Contribution.Status.PENDING,
                "can_answer": contribution.status == Contribution.Status.ACCEPTED,
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self._get(request, pk))

    def post(self, request, pk):
        contribution = self._get(request, pk)
        try:
            if request.POST.get("step") == "answer":
                answer = AnswerForm(request.POST)
                if not answer.is_valid():
                    return self._render(request, contribution, answer=answer, status=400)
                services.contribution_answer(
                    contribution=contribution,
                    status=answer.cleaned_data["answer_status"],
                    text=answer.cleaned_data["answer_text"],
                    user=request.user,
                )
            else:
                moderation = ModerationForm(request.POST, contribution=contribution)
                if not moderation.is_valid():
                    return self._render(request, contribution, moderation=moderation, status=400)
                services.contribution_moderate(
                    contribution=contribution,
                    action=moderation.cleaned_data["action"],
                    user=request.user,
                    reason=moderation.cleaned_data.get("reason") or "",
                    merge_into=moderation.cleaned_data.get("merge_into"),
                )
        except services.ModerationError as exc:
            return self._render(request, contribution, error=str(exc), status=409)
        return redirect("participation:office_detail", pk=contribution.pk)


def _participation_or_404(user, slug) -> Participation:
    queryset = Participation.objects.select_related("project")
    return PARTICIPATION.get_object(user, queryset, project__slug=slug)


class OfficeSummaryView(OfficeMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, slug):
        participation = _participation_or_404(request.user, slug)
        statuses = selectors.with_bars(selectors.status_counts(participation))
        categories = selectors.with_bars(selectors.category_counts(participation))
        return render(
            request,
            "participation/office_summary.html",
            {
                "participation": participation,
                "project": participation.project,
                "statuses": statuses,
                "categories": categories,
                "total": sum(r["n"] for r in statuses),
            },
        )


class OfficeSettingsView(OfficeMixin, View):
    """Switch participation on for a public project (created here) or change it."""

    http_method_names = ["get", "head", "post"]

    def _objects(self, request, slug):
        project = PROJECT.get_object(request.user, slug=slug)
        participation = Participation.objects.filter(project=project).first()
        if participation is not None:
            PARTICIPATION.get_object(request.user, verb=CHANGE, pk=participation.pk)
        elif not PARTICIPATION.permits(request.user, CHANGE):
            raise PermissionDenied
        return project, participation

    def _page(self, request, project, form, status=200):
        return render(
            request,
            "participation/office_settings.html",
            {"project": project, "form": form},
            status=status,
        )

    def get(self, request, slug):
        project, participation = self._objects(request, slug)
        form = ParticipationForm(instance=participation)
        if participation is None:
            today = timezone.localdate()
            form.initial.update(starts_on=today, ends_on=today + datetime.timedelta(days=42))
        return self._page(request, project, form)

    def post(self, request, slug):
        project, participation = self._objects(request, slug)
        form = ParticipationForm(request.POST, instance=participation)
        if form.is_valid() and form.cleaned_data["enabled"] and not project.is_public:
            form.add_error("enabled", _("Beteiligung gibt es nur für öffentliche Projekte."))
        if not form.is_valid():
            return self._page(request, project, form, status=400)
        participation = form.save(commit=False)
        participation.project = project
        participation.save()
        return redirect("participation:office_summary", slug=project.slug)
