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
