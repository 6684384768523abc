"""Exports that run in the background: one job model, one task, one status page, one download.

Slow files (the funder report, the Auskunft as PDF) are not rendered in the web request: the
request records an `ExportJob` and queues the Celery task `export_job_run` after commit; the
user lands on the job's page, which refreshes itself while the job runs and then offers the
download. With eager tasks (embedded default) the job is done before that page is shown.

An app registers each kind of export in its own `exports.py` (found at start-up, see
soest_office.plugins):

    EXPORT_KINDS.register(ExportKind(
        key="funder_report",
        check_access=...,   # (user, params) -> None; raises PermissionDenied or Http404
        render=...,         # (user, params) -> ExportFile; runs in the worker
        on_download=...,    # optional (request, job) -> None, e.g. the audit log
        back_url=...,       # optional (params) -> str: the page the job came from
        back_label=...,     # the link text for it
    ))

Rules every kind gets here, in one place: only the requester sees a job (anyone else: 404);
the kind's access rule is checked when the job starts, when it runs and at every view and
download (so a user who lost the right gets nothing); files go through Django's storage under
a generated name; jobs and files are deleted after settings.EXPORT_JOB_MAX_AGE by the beat
task `export_jobs_cleanup`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ExportJob
from .plugins import EXPORT_KINDS
from .rules import EXPORT_JOB

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class ExportKind:
    key: str
    check_access: Callable
    render: Callable
    on_download: Callable | None = None
    back_url: Callable | None = None
    back_label: str = ""


def kind_of(job: ExportJob) -> ExportKind:
    kind = EXPORT_KINDS.get(job.kind)
    if kind is None:
        raise Http404  # a kind no app registers (any more)
    return kind


# --- Reading -------------------------------------------------------------------------------


def get_job_for_user(user, token: str) -> ExportJob:
    """The user's own job or 404 (another user's job does not exist for them); 403 or 404
    from the kind's rule when the user may no longer have the file."""
    job = EXPORT_JOB.get_object(user, ExportJob.objects.select_related("requested_by"), token=token)
    kind_of(job).check_access(user, job.params)
    return job


# --- Writing -------------------------------------------------------------------------------


def export_job_start(*, user, kind: str, title: str, params: dict) -> ExportJob:
    """Record a job for `user` and queue its rendering after commit.

    Checks the kind's access rule first (raises like a view would). `params` must be JSON
    (ids, ISO dates). Atomic: the task is queued only once the job row is committed; with
    eager tasks it has run when the surrounding transaction (or this one) commits.
    """
    from .tasks import export_job_run as run_task

    export_kind = EXPORT_KINDS[kind]
    export_kind.check_access(user, params)
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind, title=title[:200], params=params, requested_by=user
        )
        transaction.on_commit(lambda: run_task.delay(job.pk))
    return job


def export_job_run(*, job_id: int) -> str:
    """Render one job and store its file. Idempotent: a job that is done or failed (or
    gone) is left alone; a job left "running" by a killed worker is rendered again, and a
    second run that finishes last keeps the first file. Never raises for a failed render:
    the job is marked failed with a message for the user (the error goes to the log).
    """
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .select_related("requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            return "skipped"
        job.status = ExportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    kind = EXPORT_KINDS.get(job.kind)
    user = job.requested_by
    try:
        if kind is None or not user.is_active:
            raise PermissionDenied
        kind.check_access(user, job.params)
        result = kind.render(user, job.params)
    except (PermissionDenied, Http404):
        _finish_failed(job_id, _("Sie haben keinen Zugriff (mehr) auf diese Daten."))
        return "denied"
    except Exception:
        # Rendering code of any app: whatever goes wrong, the user learns it on the page.
        logger.exception("Export %s (%s) fehlgeschlagen", job_id, job.kind)
        _finish_failed(
            job_id, _("Die Datei konnte nicht erstellt werden. Bitte versuchen Sie es erneut.")
        )
        return "failed"
    storage_name = job.file.field.generate_filename(job, result.filename)
    stored = job.file.storage.save(storage_name, ContentFile(result.content))
    with transaction.atomic():
        current = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if current is None or current.status != ExportJob.Status.RUNNING:
            # Gone meanwhile, or another run finished first: keep what is there.
            transaction.on_commit(lambda: job.file.storage.delete(stored))
            return "skipped"
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.DONE,
            file=stored,
            filename=result.filename[:200],
            content_type=result.content_type[:100],
            size=len(result.content),
            finished_at=timezone.now(),
        )
    return "done"


def _finish_failed(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )


def export_jobs_delete(jobs) -> int:
    """Delete these jobs; their files go after commit (`_delete_file`, also when a job goes
    with its user)."""
    deleted, _per_model = jobs.delete()
    return deleted


def _delete_file(sender, instance, **kwargs):
    """post_delete of ExportJob, however it is deleted (cleanup, erasure, cascade from its
    user): remove the file once the deletion is committed, so a rollback keeps both."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


def connect_signals() -> None:
    """Called from SoestOfficeConfig.ready."""
    from django.db.models.signals import post_delete

    post_delete.connect(_delete_file, sender=ExportJob, dispatch_uid="soest_export_job_file")


def export_jobs_cleanup(*, now=None) -> int:
    """Delete jobs (and files) older than settings.EXPORT_JOB_MAX_AGE. Idempotent."""
    cutoff = (now or timezone.now()) - settings.EXPORT_JOB_MAX_AGE
    with transaction.atomic():
        return export_jobs_delete(ExportJob.objects.filter(created_at__lt=cutoff))
