"""The page of a background export and its download (see soest_office.exports)."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views import View

from . import exports


class OwnExportJobMixin(LoginRequiredMixin):
    """Loads `self.job`: the user's own job of that token, else 404 (never another user's)."""

    http_method_names = ["get"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.job = exports.get_job_for_user(request.user, kwargs["token"])
        return super().dispatch(request, *args, **kwargs)


class ExportJobView(OwnExportJobMixin, View):
    """Status of one export of the user: refreshes itself (static JS) while it runs, then
    offers the download. Another user's job is 404."""

    def get(self, request, token):
        job = self.job
        kind = exports.kind_of(job)
        response = render(
            request,
            "soest_office/export_job.html",
            {
                "job": job,
                "back_url": kind.back_url(job.params) if kind.back_url else "",
                "back_label": kind.back_label,
                "max_age_hours": int(settings.EXPORT_JOB_MAX_AGE.total_seconds() // 3600),
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ExportJobDownloadView(OwnExportJobMixin, View):
    """The finished file, to its requester only, while the requester still has the right."""

    def get(self, request, token):
        job = self.job
        if job.status != job.Status.DONE or not job.file:
            raise Http404
        try:
            handle = job.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        kind = exports.kind_of(job)
        if kind.on_download is not None:
            kind.on_download(request, job)
        response = FileResponse(
            handle, as_attachment=True, filename=job.filename, content_type=job.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
