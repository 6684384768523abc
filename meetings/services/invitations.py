"""Invitations by mail with an iCalendar attachment, per recipient, idempotent, safe under a
killed worker (the pattern of news.mailing):

- one Invitation row per (meeting, member) under a unique constraint; inviting again only
  queues the rows whose member has not received the meeting's current SEQUENCE;
- a change of time or place raises the meeting's SEQUENCE and queues an update for everyone
  invited; a cancellation sends METHOD:CANCEL with a higher SEQUENCE;
- a batch claims its rows (queued -> sending) in one transaction (rows locked by another
  worker are skipped) and marks each row sent by its own UPDATE right after the SMTP server
  took the mail; `invitations_reconcile` hands rows left in "sending" back (that one mail may
  go out twice; none is lost);
- a member without e-mail address gets the status "keine E-Mail-Adresse", said on the page.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soest_office import access
from soest_office.access import CHANGE

from ..models import Invitation, Meeting
from ..rules import MEETING
from .ical import build_ical

RESPOND_SALT = "meetings.respond"
# Fields whose change is news for the calendars of the invited.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "video_url")
STALE_AFTER = timedelta(minutes=10)


def respond_token(meeting_id: int, user_id: int) -> str:
    return signing.dumps({"m": meeting_id, "u": user_id}, salt=RESPOND_SALT)


def respond_url(meeting_id: int, user_id: int) -> str:
    token = respond_token(meeting_id, user_id)
    return settings.SITE_URL + reverse("meetings:respond_link", kwargs={"token": token})


def read_respond_token(token: str) -> tuple[int, int]:
    """(meeting id, user id) of a signed attendance link; ValidationError when tampered."""
    try:
        data = signing.loads(token, salt=RESPOND_SALT, max_age=timedelta(days=365))
        return int(data["m"]), int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            _(
                "Dieser Antwort-Link ist ungültig oder beschädigt. Bitte antworten Sie auf der "
                "Seite der Sitzung im Intranet."
            )
        ) from error


@dataclass
class InviteResult:
    queued: int = 0
    unchanged: int = 0
    without_email: list = field(default_factory=list)

    def message(self) -> str:
        return ngettext(
            "%(n)d Einladung wird versandt.", "%(n)d Einladungen werden versandt.", self.queued
        ) % {"n": self.queued}

    def warnings(self) -> list[str]:
        return [
            _("%(name)s hat keine E-Mail-Adresse und wird nicht per Mail eingeladen.")
            % {"name": user.get_full_name() or user.get_username()}
            for user in self.without_email
        ]


def _queue(meeting, users, method) -> InviteResult:
    result = InviteResult()
    users = list(users)
    # One row per (meeting, member) under the unique constraint: create the missing ones
    # (a concurrent invite may have made some), then lock them all in one query.
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, user=user) for user in users], ignore_conflicts=True
    )
    rows = {
        row.user_id: row
        for row in Invitation.objects.select_for_update().filter(
            meeting=meeting, user_id__in=[user.pk for user in users]
        )
    }
    for user in users:
        row = rows[user.pk]
        if not user.email:
            row.status = Invitation.Status.NO_EMAIL
            row.save(update_fields=["status"])
            result.without_email.append(user)
            continue
        if (
            row.sent_sequence == meeting.sequence
            and row.method == method
            and row.status in (Invitation.Status.SENT, Invitation.Status.SENDING)
        ):
            result.unchanged += 1
            continue
        row.status = Invitation.Status.QUEUED
        row.method = method
        row.sequence = meeting.sequence
        row.error = ""
        row.save(update_fields=["status", "method", "sequence", "error"])
        result.queued += 1
    if result.queued:
        send_on_commit(meeting.pk)
    return result


def _members(meeting):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(meeting_memberships__body_id=meeting.body_id, is_active=True)
        .order_by("pk")
    )


@transaction.atomic
def meeting_invite(user, meeting) -> InviteResult:
    meeting = _locked(user, meeting)
    if meeting.starts_at <= timezone.now():
        raise ValidationError(
            _("Die Sitzung liegt in der Vergangenheit; es wird nicht eingeladen.")
        )
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.INVITED):
        raise ValidationError(_("Zu dieser Sitzung kann nicht mehr eingeladen werden."))
    meeting.status = Meeting.Status.INVITED
    meeting.save(update_fields=["status", "updated_at"])
    return _queue(meeting, _members(meeting), Invitation.Method.REQUEST)


def _locked(user, meeting) -> Meeting:
    """The meeting's current row, locked, if the user may change it (404/403 otherwise)."""
    return MEETING.get_object(
        user, Meeting.objects.select_for_update(of=("self",)), CHANGE, pk=meeting.pk
    )


def _save_announced(meeting, save, *, news: bool) -> Meeting:
    """Save a change of an already locked meeting through `save()`; when the change is news
    for the calendars (`news`) and the meeting is invited, raise its SEQUENCE first and queue
    an iCalendar REQUEST update (same UID) for everyone invited after the save. The one path
    of every change of time or place: the meeting form and a moved series occurrence."""
    announce = news and meeting.status == Meeting.Status.INVITED
    if announce:
        meeting.sequence += 1
    meeting = save()
    if announce:
        invited = [row.user for row in meeting.invitations.select_related("user")]
        _queue(meeting, invited, Invitation.Method.REQUEST)
    return meeting


@transaction.atomic
def meeting_save(user, form) -> Meeting:
    """Save the meeting form; a change of time or place of an invited meeting raises SEQUENCE
    and sends everyone invited an update."""
    meeting = form.instance
    if meeting.pk is None:
        access.require(MEETING.permits(user, "create"))
        return form.save()
    current = _locked(user, meeting)
    # The form's instance may be older than the row: keep the row's workflow fields.
    for name in ("status", "sequence", "minutes_approved_at", "minutes_approved_in_id"):
        setattr(meeting, name, getattr(current, name))
    news = any(name in form.changed_data for name in CALENDAR_FIELDS)
    return _save_announced(meeting, form.save, news=news)


@transaction.atomic
def meeting_move(user, meeting, *, starts_at) -> Meeting:
    """Move the meeting to a new start, keeping its length. Atomic; an invited meeting's
    members get a calendar update (higher SEQUENCE, same UID); moving to the same start sends
    nothing. Refused for a meeting that took place or was cancelled."""
    meeting = _locked(user, meeting)
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.INVITED):
        raise ValidationError(_("Diese Sitzung kann nicht mehr verschoben werden."))
    length = meeting.ends_at - meeting.starts_at
    news = starts_at != meeting.starts_at
    meeting.starts_at, meeting.ends_at = starts_at, starts_at + length

    def save():
        meeting.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
        return meeting

    return _save_announced(meeting, save, news=news)


@transaction.atomic
def meeting_cancel(user, meeting) -> Meeting:
    """Cancel the meeting (atomic): SEQUENCE rises and everyone who received an invitation
    gets METHOD:CANCEL. Refused once the meeting took place or was cancelled."""
    meeting = _locked(user, meeting)
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.APPROVED, Meeting.Status.CANCELLED):
        raise ValidationError(_("Diese Sitzung kann nicht mehr abgesagt werden."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    invited = [
        row.user
        for row in meeting.invitations.filter(sent_sequence__isnull=False).select_related("user")
    ]
    _queue(meeting, invited, Invitation.Method.CANCEL)
    return meeting


def send_on_commit(meeting_id: int) -> None:
    from ..tasks import send_invitations

    transaction.on_commit(lambda: send_invitations.delay(meeting_id))


def _claim(meeting_id: int) -> list[Invitation]:
    with transaction.atomic():
        rows = list(
            Invitation.objects.select_for_update(skip_locked=True)
            .filter(meeting_id=meeting_id, status=Invitation.Status.QUEUED)
            .order_by("pk")
        )
        Invitation.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=Invitation.Status.SENDING, claimed_at=timezone.now()
        )
    return rows


def build_message(meeting, invitation) -> EmailMultiAlternatives:
    user = invitation.user
    method = invitation.method
    context = {
        "meeting": meeting,
        "user": user,
        "cancel": method == Invitation.Method.CANCEL,
        "update": invitation.sequence > 0,
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
        "respond_url": respond_url(meeting.pk, user.pk),
    }
    subject = render_to_string("meetings/email/invitation_subject.txt", context).strip()
    body = render_to_string("meetings/email/invitation.txt", context)
    message = EmailMultiAlternatives(subject, body, to=[user.email])
    ics = build_ical(meeting, method=method, sequence=invitation.sequence, attendees=[user])
    message.attach("einladung.ics", ics, f"text/calendar; method={method}; charset=UTF-8")
    return message


def invitations_send(meeting_id: int) -> dict:
    """Send the queued invitations of a meeting (the task). Idempotent."""
    rows = _claim(meeting_id)
    if not rows:
        return {"sent": 0, "failed": 0}
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    users = {
        u.pk: u for u in _members(meeting).model.objects.filter(pk__in=[r.user_id for r in rows])
    }
    sent = failed = 0
    for row in rows:
        row.user = users[row.user_id]
        try:
            build_message(meeting, row).send()
        except Exception as error:
            Invitation.objects.filter(pk=row.pk).update(
                status=Invitation.Status.FAILED, error=str(error)[:300]
            )
            failed += 1
            continue
        Invitation.objects.filter(pk=row.pk, status=Invitation.Status.SENDING).update(
            status=Invitation.Status.SENT, sent_sequence=row.sequence, sent_at=timezone.now()
        )
        sent += 1
    return {"sent": sent, "failed": failed}


def invitations_reconcile(now=None) -> int:
    """Queue again what a killed worker left in "sending" (older than STALE_AFTER)."""
    now = now or timezone.now()
    stale = Invitation.objects.filter(
        status=Invitation.Status.SENDING, claimed_at__lt=now - STALE_AFTER
    )
    meeting_ids = set(stale.values_list("meeting_id", flat=True))
    count = stale.update(status=Invitation.Status.QUEUED)
    for meeting_id in meeting_ids:
        send_on_commit(meeting_id)
    return count
