import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from ..forms import ImportUploadForm
from ..importer import (
    TARGETS,
    ImportFileError,
    ImportRowsInvalid,
    guess_mapping,
    import_commit,
    job_table,
    max_bytes,
    preview,
    progress_key,
    read_table,
    table_fix_row,
    table_to_csv,
)
from ..models import ImportJob
from ..tasks import import_run
from .common import OfficeMixin

PREVIEW_ROWS = 50
MAX_ERRORS_SHOWN = 200
MAX_FIXABLE_ROWS = 20


def _fix_fields(row, columns):
    """A broken row with its cells as (field name, label, value) for the inline form."""
    return {
        "line": row.line,
        "errors": row.errors,
        "fields": [(key, label, row.values.get(key, "")) for key, label in columns],
    }


def sync_limit() -> int:
    """Files with more rows go to a Celery worker and show a progress page."""
    return getattr(settings, "STAKEHOLDERS_IMPORT_SYNC_ROWS", 2000)


def _read_upload(upload):
    if upload.size > max_bytes():
        raise ImportFileError(
            f"Die Datei ist zu groß ({upload.size / 1024 / 1024:.1f} MB). Erlaubt sind "
            f"höchstens {max_bytes() / 1024 / 1024:.0f} MB."
        )
    data = upload.read()
    return data, read_table(data, upload.name)


class ImportUploadView(OfficeMixin, View):
    http_method_names = ["get", "post"]

    def get(self, request):
        recent = ImportJob.objects.select_related("uploaded_by")[:10]
        return render(
            request,
            "stakeholders/import_upload.html",
            {"form": ImportUploadForm(), "recent": recent},
        )

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data, table = _read_upload(upload)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                job = ImportJob(
                    token=secrets.token_hex(16),
                    original_name=upload.name[:255],
                    file_format=table["format"],
                    encoding=table["encoding"],
                    delimiter=table["delimiter"],
                    headers=table["headers"],
                    mapping=guess_mapping(table["headers"]),
                    total_rows=len(table["rows"]),
                    uploaded_by=request.user,
                )
                job.file.save("upload", ContentFile(data), save=False)
                job.save()
                return redirect("stakeholders:import_mapping", token=job.token)
        recent = ImportJob.objects.select_related("uploaded_by")[:10]
        return render(
            request,
            "stakeholders/import_upload.html",
            {"form": form, "recent": recent},
            status=400,
        )


def mapping_form_class(headers):
    choices = [("", _("– nicht importieren –")), *list(TARGETS.items())]
    fields = {
        f"col_{i}": forms.ChoiceField(label=header, choices=choices, required=False)
        for i, header in enumerate(headers)
    }
    fields["duplicate_mode"] = forms.ChoiceField(
        label=_(
            "Wenn ein Kontakt schon existiert (gleiche E-Mail oder gleicher Name in "
            "derselben Organisation)"
        ),
        choices=ImportJob.DuplicateMode.choices,
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = forms.Form.clean(self)
        targets = [v for k, v in cleaned.items() if k.startswith("col_") and v]
        if len(targets) != len(set(targets)):
            raise forms.ValidationError(_("Jedes Feld darf nur einer Spalte zugeordnet werden."))
        if "last_name" not in targets:
            raise forms.ValidationError(_("Bitte ordnen Sie eine Spalte dem Nachnamen zu."))
        return cleaned

    return type("MappingForm", (forms.Form,), {**fields, "clean": clean})


def _get_job(token, editable=True):
    job = get_object_or_404(ImportJob, token=token)
    return job


class ImportMappingView(OfficeMixin, View):
    http_method_names = ["get", "post"]

    def get(self, request, token):
        job = _get_job(token)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.RUNNING, ImportJob.Status.QUEUED):
            return redirect("stakeholders:import_status", token=job.token)
        initial = {"duplicate_mode": job.duplicate_mode}
        for i, header in enumerate(job.headers):
            initial[f"col_{i}"] = job.mapping.get(header, "")
        form = mapping_form_class(job.headers)(initial=initial)
        return render(request, "stakeholders/import_mapping.html", {"job": job, "form": form})

    def post(self, request, token):
        job = _get_job(token)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.RUNNING, ImportJob.Status.QUEUED):
            return redirect("stakeholders:import_status", token=job.token)
        form = mapping_form_class(job.headers)(request.POST)
        if not form.is_valid():
            return render(
                request, "stakeholders/import_mapping.html", {"job": job, "form": form}, status=400
            )
        job.mapping = {
            header: form.cleaned_data[f"col_{i}"]
            for i, header in enumerate(job.headers)
            if form.cleaned_data[f"col_{i}"]
        }
        job.duplicate_mode = form.cleaned_data["duplicate_mode"]
        job.status = ImportJob.Status.UPLOADED
        job.save(update_fields=["mapping", "duplicate_mode", "status"])
        return redirect("stakeholders:import_preview", token=job.token)


class ImportPreviewView(OfficeMixin, View):
    http_method_names = ["get"]

    def get(self, request, token):
        job = _get_job(token)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.RUNNING, ImportJob.Status.QUEUED):
            return redirect("stakeholders:import_status", token=job.token)
        try:
            results = preview(job)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("stakeholders:import_upload")
        errors = [r for r in results if r.errors]
        counts = {"create": 0, "update": 0, "skip": 0}
        for r in results:
            if not r.errors:
                counts[r.action] += 1
        columns = [(target, TARGETS[target]) for target in job.mapping.values()]
        return render(
            request,
            "stakeholders/import_preview.html",
            {
                "job": job,
                "rows": results[:PREVIEW_ROWS],
                "errors": errors[:MAX_ERRORS_SHOWN],
                "fixable": [_fix_fields(r, columns) for r in errors[:MAX_FIXABLE_ROWS]],
                "error_count": len(errors),
                "counts": counts,
                "columns": columns,
                "total": len(results),
                "upload_form": ImportUploadForm(),
                "async": len(results) > sync_limit(),
            },
        )


class ImportReplaceFileView(OfficeMixin, View):
    """Upload a corrected file into the same import: the mapping stays."""

    http_method_names = ["post"]

    def post(self, request, token):
        job = _get_job(token)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.RUNNING, ImportJob.Status.QUEUED):
            return redirect("stakeholders:import_status", token=job.token)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Bitte wählen Sie eine Datei aus."))
            return redirect("stakeholders:import_preview", token=job.token)
        upload = form.cleaned_data["file"]
        try:
            data, table = _read_upload(upload)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("stakeholders:import_preview", token=job.token)
        if table["headers"] != job.headers:
            job.headers = table["headers"]
            job.mapping = {
                h: t for h, t in job.mapping.items() if h in table["headers"]
            } or guess_mapping(table["headers"])
            redirect_to = "stakeholders:import_mapping"
        else:
            redirect_to = "stakeholders:import_preview"
        job.file.delete(save=False)
        job.file.save("upload", ContentFile(data), save=False)
        job.original_name = upload.name[:255]
        job.file_format = table["format"]
        job.encoding = table["encoding"]
        job.delimiter = table["delimiter"]
        job.total_rows = len(table["rows"])
        job.status = ImportJob.Status.UPLOADED
        job.save()
        messages.success(request, _("Die korrigierte Datei wurde übernommen und neu geprüft."))
        return redirect(redirect_to, token=job.token)


class ImportFixRowView(OfficeMixin, View):
    """Correct one broken row in the browser; the stored file is rewritten as UTF-8 CSV."""

    http_method_names = ["post"]

    def post(self, request, token, line):
        job = _get_job(token)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.RUNNING, ImportJob.Status.QUEUED):
            return redirect("stakeholders:import_status", token=job.token)
        values = {
            target: request.POST.get(f"f_{target}", "")[:500]
            for target in job.mapping.values()
            if f"f_{target}" in request.POST
        }
        try:
            table = table_fix_row(job_table(job), line=line, values=values, mapping=job.mapping)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("stakeholders:import_preview", token=job.token)
        job.file.delete(save=False)
        job.file.save("upload", ContentFile(table_to_csv(table)), save=False)
        if not job.original_name.lower().endswith(".csv"):
            job.original_name = f"{job.original_name[:250]}.csv"
        job.file_format = "csv"
        job.encoding = "utf-8"
        job.delimiter = ";"
        job.save()
        messages.success(
            request, _("Zeile %(line)d wurde übernommen und neu geprüft.") % {"line": line}
        )
        return redirect("stakeholders:import_preview", token=job.token)


class ImportCommitView(OfficeMixin, View):
    http_method_names = ["post"]

    def post(self, request, token):
        job = _get_job(token)
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.RUNNING, ImportJob.Status.QUEUED):
            return redirect("stakeholders:import_status", token=job.token)
        try:
            rows = len(job_table(job)["rows"])
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("stakeholders:import_upload")
        if rows > sync_limit():
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.QUEUED, total_rows=rows, processed_rows=0
            )
            cache.set(progress_key(job.token), 0, 3600)
            transaction.on_commit(lambda: import_run.delay(job.pk, request.user.pk))
            return redirect("stakeholders:import_status", token=job.token)
        try:
            import_commit(job=job, user=request.user)
        except ImportRowsInvalid:
            messages.error(
                request,
                _("Die Datei enthält fehlerhafte Zeilen. Es wurde nichts importiert."),
            )
            return redirect("stakeholders:import_preview", token=job.token)
        return redirect("stakeholders:import_status", token=job.token)


class ImportStatusView(OfficeMixin, View):
    http_method_names = ["get"]

    def get(self, request, token):
        job = _get_job(token)
        running = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
        if running:
            job.processed_rows = cache.get(progress_key(job.token), job.processed_rows) or 0
        return render(request, "stakeholders/import_status.html", {"job": job, "running": running})
