"""Downloads: the filtered list (CSV streamed, XLSX written row by row), the funder report
(PDF/XLSX, made in the background: soest_office.exports).

The list names each project's responsible person, so its download is a processing of personal
data and goes to the audit log (area "projekte") before the first row leaves. The funder
report names no one but its requester and is not logged."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import FormView

from soest_office import exports as jobs
from soest_office.access import VIEW
from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.spreadsheets import ITERATOR_CHUNK, csv_response, xlsx_response

from .. import exports
from ..filters import ProjectFilter
from ..forms import FunderReportForm
from ..models import FundingDecision, Project
from ..rules import PROJECT
from .projects import scoped_list_queryset

AUDIT_AREA = "projekte"


def _filtered_rows(request, fmt: str):
    """The list's rows, read from the database chunk by chunk while the file is written;
    the export is logged first, with the count of the list at that moment."""
    # The list's own question (ProjectListView): a login the project rule grants nothing.
    if not request.user.is_authenticated or not PROJECT.permits(request.user, VIEW):
        raise PermissionDenied
    filterset = ProjectFilter(request.GET, queryset=scoped_list_queryset(request.user))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    queryset = queryset.order_by(*(queryset.query.order_by or ["title"]), "pk")
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=", ".join(f"{k}={v}" for k, v in request.GET.items() if v)
        or _("alle sichtbaren Projekte"),
        details={"format": fmt, "anzahl": queryset.count()},
        area=AUDIT_AREA,
    )
    return exports.list_rows(queryset.iterator(chunk_size=ITERATOR_CHUNK))


@require_safe
def list_csv(request):
    rows = _filtered_rows(request, "csv")
    return csv_response(
        exports.list_header(),
        (exports.list_csv_cells(row) for row in rows),
        filename=f"projekte-{timezone.localdate():%Y-%m-%d}.csv",
    )


@require_safe
def list_xlsx(request):
    rows = _filtered_rows(request, "xlsx")
    return xlsx_response(
        lambda workbook: exports.write_list_xlsx(workbook, rows),
        filename=f"projekte-{timezone.localdate():%Y-%m-%d}.xlsx",
    )


class FunderReportView(LoginRequiredMixin, FormView):
    """Choose period and projects (GET shows the form, prefilled from a bookmarked query);
    POST starts the report in the background and leads to its page."""

    form_class = FunderReportForm
    template_name = "projects/funder_report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not PROJECT.permits(request.user, VIEW):
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
        kwargs = super().get_form_kwargs()
        kwargs["projects"] = self.projects()
        kwargs["decisions"] = FundingDecision.objects.visible_to(self.request.user)
        return kwargs

    def get_initial(self):
        today = timezone.localdate()
        initial = {"date_from": today.replace(month=1, day=1), "date_to": today, "output": "pdf"}
        # Links and bookmarks of the former GET form only fill in the form.
        query = self.request.GET
        for key in ("date_from", "date_to", "output"):
            if query.get(key):
                initial[key] = query[key]
        if query.get("bescheid", "").isdigit():
            initial["decision"] = query["bescheid"]
        if query.get("programm"):
            initial["programme"] = query["programm"]
        if query.getlist("projects"):
            initial["projects"] = [p for p in query.getlist("projects") if p.isdigit()]
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        job = jobs.export_job_start(
            user=self.request.user,
            kind="funder_report",
            title=exports.funder_report_title(
                date_from=data["date_from"], date_to=data["date_to"], output=data["output"]
            ),
            params={
                "date_from": data["date_from"].isoformat(),
                "date_to": data["date_to"].isoformat(),
                "projects": sorted(p.pk for p in data["projects"]),
                "output": data["output"],
            },
        )
        return redirect(job)
