"""Downloads: the filtered list (CSV/XLSX), the funder report (PDF/XLSX)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import FormView

from soest_office import access

from .. import exports
from ..filters import ProjectFilter
from ..forms import FunderReportForm
from ..models import Project
from .projects import scoped_list_queryset

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _filtered_rows(request):
    if not access.can_read_intranet(request.user):
        raise PermissionDenied
    filterset = ProjectFilter(request.GET, queryset=scoped_list_queryset(request.user))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return exports.list_rows(queryset.order_by(*(queryset.query.order_by or ["title"]), "pk"))


@require_safe
def list_csv(request):
    rows = _filtered_rows(request)
    return _attachment(
        exports.render_list_csv(rows),
        content_type="text/csv; charset=utf-8",
        filename=f"projekte-{timezone.localdate():%Y-%m-%d}.csv",
    )


@require_safe
def list_xlsx(request):
    rows = _filtered_rows(request)
    return _attachment(
        exports.render_list_xlsx(rows),
        content_type=XLSX,
        filename=f"projekte-{timezone.localdate():%Y-%m-%d}.xlsx",
    )


class FunderReportView(LoginRequiredMixin, FormView):
    """Choose period and projects; the result is a download (GET form: bookmarkable)."""

    form_class = FunderReportForm
    template_name = "projects/funder_report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can_read_intranet(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def projects(self):
        return (
            Project.objects.visible_to(self.request.user)
            .active()
            .select_related("lead_municipality")
            .order_by("title")
        )

    def get_form_kwargs(self):
        kwargs = {"initial": self.get_initial(), "projects": self.projects()}
        if "date_from" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get_initial(self):
        today = timezone.localdate()
        start = today.replace(month=1, day=1)
        return {"date_from": start, "date_to": today, "output": "pdf"}

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        data = form.cleaned_data
        selected = self.projects().filter(pk__in=[p.pk for p in data["projects"]])
        sections = exports.funder_report_sections(
            selected, date_from=data["date_from"], date_to=data["date_to"]
        )
        context = exports.funder_report_context(
            sections, date_from=data["date_from"], date_to=data["date_to"], user=self.request.user
        )
        stem = f"sachstandsbericht-{data['date_from']:%Y-%m-%d}-bis-{data['date_to']:%Y-%m-%d}"
        if data["output"] == "xlsx":
            return _attachment(
                exports.render_funder_xlsx(context), content_type=XLSX, filename=f"{stem}.xlsx"
            )
        return _attachment(
            exports.render_funder_pdf(context),
            content_type="application/pdf",
            filename=f"{stem}.pdf",
        )
