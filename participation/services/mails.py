"""The mails of participation, each sent by a task from ids (see tasks.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from .. import tokens
from ..models import Contribution, Support


def _send(template: str, to: str, context: dict) -> None:
    subject = render_to_string(f"participation/mail/{template}_subject.txt", context).strip()
    body = render_to_string(f"participation/mail/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])


def _context(contribution: Contribution) -> dict:
    project = contribution.participation.project
    return {
        "contribution": contribution,
        "project": project,
        "page_url": tokens.absolute(contribution.participation.get_absolute_url()),
        "withdraw_url": tokens.withdraw_url(contribution),
    }


def _contribution(contribution_id: int) -> Contribution | None:
    """The row, locked for the rest of the caller's transaction."""
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("participation__project")
        .filter(pk=contribution_id)
        .first()
    )


def _once(contribution: Contribution, key: str) -> bool:
    """Mark `key` as sent; False when it was sent before. The caller sends inside the same
    transaction, so a failed send leaves the mark unset and a retry sends again."""
    if key in contribution.mails_sent:
        return False
    contribution.mails_sent = [*contribution.mails_sent, key]
    contribution.save(update_fields=["mails_sent"])
    return True


@transaction.atomic
def confirmation_send(*, contribution_id: int) -> bool:
    contribution = _contribution(contribution_id)
    if contribution is None or contribution.status != Contribution.Status.UNCONFIRMED:
        return False
    if not contribution.email or not _once(contribution, "confirm"):
        return False
    context = _context(contribution) | {"confirm_url": tokens.confirm_url(contribution)}
    _send("confirm", contribution.email, context)
    return True


@transaction.atomic
def decision_send(*, contribution_id: int, event: str) -> bool:
    """Tell the author about the decision (`accepted`, `rejected`, `merged`) or the answer
    (`answered`); only to a confirmed address, only while the state still holds."""
    contribution = _contribution(contribution_id)
    if contribution is None or not contribution.email or contribution.confirmed_at is None:
        return False
    expected = {
        "accepted": Contribution.Status.ACCEPTED,
        "answered": Contribution.Status.ACCEPTED,
        "rejected": Contribution.Status.REJECTED,
        "merged": Contribution.Status.MERGED,
    }[event]
    if contribution.status != expected:
        return False
    stamp = contribution.answered_at if event == "answered" else contribution.moderated_at
    if not _once(contribution, f"{event}:{stamp.isoformat() if stamp else ''}"):
        return False
    _send(event, contribution.email, _context(contribution))
    return True


def support_confirmation_send(*, support_id: int) -> bool:
    support = (
        Support.objects.select_related("contribution__participation__project")
        .filter(pk=support_id, confirmed_at__isnull=True)
        .first()
    )
    if support is None or not support.email:
        return False
    contribution = support.contribution
    context = {
        "contribution": contribution,
        "project": contribution.participation.project,
        "support_url": tokens.support_url(support),
    }
    _send("support", support.email, context)
    return True
