"""The office's side: accept, reject with a reason (mailed to the author), merge a duplicate
into a published contribution, answer publicly. Who decided when stays on the row."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stakeholders.models import Contact, Interaction

from ..models import Contribution

MODERATABLE = (Contribution.Status.PENDING,)


class ModerationError(ValueError):
    pass


def _mail_author(contribution: Contribution, event: str) -> None:
    from ..tasks import send_decision

    if contribution.email and contribution.confirmed_at:
        transaction.on_commit(lambda: send_decision.delay(contribution.pk, event))


def _lock(contribution: Contribution) -> Contribution:
    locked = Contribution.objects.select_for_update().select_related("participation__project")
    return locked.get(pk=contribution.pk)


def _link_contact(contribution: Contribution, user) -> None:
    """Only with the author's consent: the contribution goes to the history of the contact
    with this address (no new contact is created)."""
    if not (contribution.contact_consent and contribution.email):
        return
    contact = Contact.objects.filter(email__iexact=contribution.email).order_by("pk").first()
    if contact is None:
        return
    contribution.contact = contact
    Interaction.objects.create(
        contact=contact,
        occurred_at=contribution.created_at,
        channel=Interaction.Channel.EMAIL,
        summary=_("Bürgerbeitrag (Online-Beteiligung): %(title)s") % {"title": contribution.title},
        project=contribution.participation.project,
        recorded_by=user,
    )


@transaction.atomic
def contribution_moderate(
    *, contribution: Contribution, action: str, user, reason="", merge_into=None
) -> Contribution:
    contribution = _lock(contribution)
    if contribution.status not in MODERATABLE:
        raise ModerationError(
            _("Dieser Beitrag wurde bereits moderiert oder ist noch nicht bestätigt.")
        )
    contribution.moderated_at = timezone.now()
    contribution.moderated_by = user
    if action == "accept":
        contribution.status = Contribution.Status.ACCEPTED
        _link_contact(contribution, user)
    elif action == "reject":
        contribution.status = Contribution.Status.REJECTED
        contribution.reject_reason = reason.strip()
    elif action == "merge":
        if merge_into is None or merge_into.status != Contribution.Status.ACCEPTED:
            raise ModerationError(_("Zusammenführen geht nur mit einem veröffentlichten Beitrag."))
        if merge_into.participation_id != contribution.participation_id:
            raise ModerationError(_("Der Beitrag gehört zu einer anderen Beteiligung."))
        contribution.status = Contribution.Status.MERGED
        contribution.merged_into = merge_into
    else:
        raise ModerationError(_("Unbekannte Entscheidung."))
    contribution.save()
    _mail_author(
        contribution, {"accept": "accepted", "reject": "rejected", "merge": "merged"}[action]
    )
    return contribution


@transaction.atomic
def contribution_answer(
    *, contribution: Contribution, status: str, text: str, user
) -> Contribution:
    contribution = _lock(contribution)
    if contribution.status != Contribution.Status.ACCEPTED:
        raise ModerationError(_("Antworten kann man nur auf veröffentlichte Beiträge."))
    contribution.answer_status = status
    contribution.answer_text = text.strip()
    contribution.answered_at = timezone.now()
    contribution.save(update_fields=["answer_status", "answer_text", "answered_at"])
    _mail_author(contribution, "answered")
    return contribution
