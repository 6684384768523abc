"""Background jobs of the stakeholders app. They take ids, never objects."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .importer import ImportRowsInvalid, import_cleanup_stale, import_commit
from .models import ImportJob
from .services import retention_flag_due


@shared_task(acks_late=True)
def import_run(job_id: int, user_id: int | None) -> str:
    """Commit an import job. Idempotent: a job already done is left alone (the commit checks
    the status under a row lock), and a failed commit writes nothing."""
    try:
        job = ImportJob.objects.get(pk=job_id)
    except ImportJob.DoesNotExist:
        return "skipped"
    if job.status == ImportJob.Status.DONE:
        return "skipped"
    user = get_user_model().objects.filter(pk=user_id).order_by("pk").first() if user_id else None
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)
    try:
        import_commit(job=job, user=user)
    except ImportRowsInvalid:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error_message="Die Datei enthält fehlerhafte Zeilen; es wurde nichts importiert.",
        )
        return "invalid"
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error_message="Der Import ist unerwartet abgebrochen; es wurde nichts importiert.",
        )
        raise
    return "done"


@shared_task
def flag_retention_due() -> int:
    """Daily: flag contacts past their retention period for review, and delete import
    uploads never committed within a week (both idempotent)."""
    import_cleanup_stale()
    return retention_flag_due()
