from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

# Celery's autodiscovery imports `<app>.tasks` only: the search package's tasks (index
# upkeep, file text extraction) are registered in every worker through this import.
from .search import tasks as search_tasks  # noqa: F401


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_password_reset_email(*, user_id: int) -> bool:
    """Send the password-reset link to one user.

    Takes an id; the token is made here, from the user's current state, so a link is valid
    only until the password changes. Returns False (sends nothing) when the user is gone or
    inactive. Temporary SMTP errors are retried with backoff; the mail is sent at most once
    per successful SMTP handover.
    """
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=user_id, is_active=True)
    except user_model.DoesNotExist:
        return False
    if not user.has_usable_password():
        return False
    path = reverse(
        "soest_office:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "reset_url": f"{settings.SITE_URL}{path}"}
    send_mail(
        subject=render_to_string("registration/password_reset_subject.txt", context).strip(),
        message=render_to_string("registration/password_reset_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_accessibility_feedback(*, feedback_id: int) -> bool:
    """Mail one accessibility report to settings.OFFICE_EMAIL.

    Idempotent: the row is locked and marked `mailed_at` in the same transaction as the
    handover to SMTP, so a second run (redelivery, retry after success) sends nothing.
    Returns False when the report is gone or was already mailed.
    """
    from django.core.mail import EmailMessage
    from django.db import transaction
    from django.utils import timezone

    from .models import AccessibilityFeedback

    with transaction.atomic():
        try:
            feedback = AccessibilityFeedback.objects.select_for_update().get(
                pk=feedback_id, mailed_at__isnull=True
            )
        except AccessibilityFeedback.DoesNotExist:
            return False
        context = {"feedback": feedback, "site_url": settings.SITE_URL}
        EmailMessage(
            subject=f"Barriere gemeldet: {feedback.page_url or 'ohne Seitenangabe'}"[:150],
            body=render_to_string("soest_office/feedback_email.txt", context),
            to=[settings.OFFICE_EMAIL],
            reply_to=[feedback.email] if feedback.email else None,
        ).send()
        feedback.mailed_at = timezone.now()
        feedback.save(update_fields=["mailed_at"])
    return True


@shared_task(acks_late=True)
def export_job_run(job_id: int) -> str:
    """Render one background export (soest_office.exports). Idempotent: a finished job is
    skipped, a job left running by a killed worker is rendered again; never raises for a
    failed render (the job shows the error)."""
    from .exports import export_job_run as run

    return run(job_id=job_id)


@shared_task
def export_jobs_cleanup() -> int:
    """Hourly: delete background exports (rows and files) older than EXPORT_JOB_MAX_AGE.
    Idempotent."""
    from .exports import export_jobs_cleanup as cleanup

    return cleanup()


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_invitation_email(*, invitation_id: int) -> bool:
    """Mail the invitation link (made here from the invitation's current nonce, so a resent
    invitation's older mail never carries a valid link). False when accepted or gone."""
    from datetime import timedelta

    from django.utils import timezone

    from .accounts.models import Invitation
    from .accounts.services import invitation_token

    invitation = Invitation.objects.filter(pk=invitation_id, accepted_at__isnull=True).first()
    if invitation is None:
        return False
    path = reverse("soest_office:invitation_accept", kwargs={"token": invitation_token(invitation)})
    hours = settings.INVITATION_MAX_AGE_HOURS
    context = {
        "invitation": invitation,
        "accept_url": f"{settings.SITE_URL}{path}",
        "hours": hours,
        "valid_until": timezone.localtime(invitation.sent_at or timezone.now())
        + timedelta(hours=hours),
        "office_email": settings.OFFICE_EMAIL,
    }
    send_mail(
        subject="Einladung in das Intranet des Projektbüros Digitale Modellregion Soest",
        message=render_to_string("soest_office/accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


@shared_task
def apply_retention() -> dict[str, int]:
    """Daily (beat): remove or anonymise the personal data whose period is over, for every
    app's retention policy (soest_office.retention). Idempotent."""
    from .retention import retention_apply

    return retention_apply()
