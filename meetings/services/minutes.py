"""Minutes per agenda item, attendance, approval (which freezes them) and corrections."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.access import CHANGE
from soest_office.audit import audit_record
from soest_office.models import AuditEvent

from ..models import AgendaItem, Attendance, Meeting, MinutesCorrection
from ..rules import MEETING, RESPOND


class MinutesFrozen(ValidationError):
    pass


@transaction.atomic
def minutes_write(user, item: AgendaItem, text: str) -> AgendaItem:
    meeting = MEETING.get_object(
        user, Meeting.objects.select_for_update(of=("self",)), CHANGE, pk=item.meeting_id
    )
    if meeting.minutes_frozen:
        raise MinutesFrozen(
            _("Das Protokoll ist genehmigt und eingefroren; bitte eine Berichtigung eintragen.")
        )
    item.minutes = text
    item.save(update_fields=["minutes"])
    return item


@transaction.atomic
def minutes_approve(user, meeting: Meeting, *, approved_in: Meeting) -> Meeting:
    """Approve the minutes of `meeting` in the later meeting `approved_in` of the same body.
    Afterwards the minutes, decisions and attendance are frozen."""
    meeting = MEETING.get_object(
        user, Meeting.objects.select_for_update(of=("self",)), CHANGE, pk=meeting.pk
    )
    if meeting.minutes_frozen:
        raise ValidationError(_("Das Protokoll ist bereits genehmigt."))
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(
            _("Nur das Protokoll einer durchgeführten Sitzung kann genehmigt werden.")
        )
    if approved_in.body_id != meeting.body_id or approved_in.starts_at <= meeting.starts_at:
        raise ValidationError(
            _("Das Protokoll wird in einer späteren Sitzung desselben Gremiums genehmigt.")
        )
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_in = approved_in
    meeting.status = Meeting.Status.APPROVED
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_in", "status"])
    audit_record(
        kind=AuditEvent.Kind.MEETING_MINUTES_APPROVED,
        user=user,
        target=str(meeting),
        area="meetings",
    )
    return meeting


@transaction.atomic
def minutes_correct(user, item: AgendaItem, text: str) -> MinutesCorrection:
    """A correction of approved minutes: a new entry beside the frozen text."""
    meeting = MEETING.get_object(user, None, CHANGE, pk=item.meeting_id)
    if not meeting.minutes_frozen:
        raise ValidationError(_("Vor der Genehmigung wird das Protokoll direkt geändert."))
    if not text.strip():
        raise ValidationError(_("Bitte den Text der Berichtigung eingeben."))
    return MinutesCorrection.objects.create(agenda_item=item, text=text.strip(), author=user)


@transaction.atomic
def meeting_mark_held(user, meeting: Meeting) -> Meeting:
    meeting = MEETING.get_object(
        user, Meeting.objects.select_for_update(of=("self",)), CHANGE, pk=meeting.pk
    )
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.INVITED):
        raise ValidationError(_("Diese Sitzung kann nicht als durchgeführt markiert werden."))
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def attendance_set(user, meeting: Meeting, present_user_ids: set[int]) -> None:
    meeting = MEETING.get_object(
        user, Meeting.objects.select_for_update(of=("self",)), CHANGE, pk=meeting.pk
    )
    if meeting.minutes_frozen:
        raise MinutesFrozen(_("Das Protokoll ist genehmigt und eingefroren."))
    for member_id in meeting.body.memberships.values_list("user_id", flat=True):
        Attendance.objects.update_or_create(
            meeting=meeting,
            user_id=member_id,
            defaults={"attended": member_id in present_user_ids},
        )


@transaction.atomic
def attendance_respond(user, meeting: Meeting, response: str) -> Attendance:
    """A member answers the invitation (on the page or by the signed link of the mail)."""
    meeting = MEETING.get_object(user, None, RESPOND, pk=meeting.pk)
    if response not in (r for r in Attendance.Response.values if r):
        raise ValidationError(_("Unbekannte Antwort."))
    if meeting.status in (Meeting.Status.CANCELLED,) or meeting.minutes_frozen:
        raise ValidationError(_("Für diese Sitzung sind keine Antworten mehr möglich."))
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        user=user,
        defaults={"response": response, "responded_at": timezone.now()},
    )
    return attendance
