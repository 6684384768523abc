"""The contact history (Kontakthistorie): entries by hand and for sent press mailings."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.utils.translation import gettext as _

from soest_office import caching
from soest_office.search.indexing import search_index_bulk

from ..apps import GENERATION
from ..models import Contact, Interaction


def interaction_log(
    *, contact: Contact, channel: str, occurred_at, summary: str = "", project=None, user=None
) -> Interaction:
    """Add an entry to the contact history."""
    return Interaction.objects.create(
        contact=contact,
        channel=channel,
        occurred_at=occurred_at,
        summary=summary,
        project=project,
        recorded_by=user,
    )


def _mailing_summary(subject: str) -> str:
    """The Kontakthistorie's text for a sent press mailing (also its idempotency key)."""
    return _("Pressemitteilung versandt: %(subject)s") % {"subject": subject}


def interaction_record_mailing(
    *, contact: Contact, subject: str, sent_at, project=None
) -> Interaction:
    """Make a press mailing sent to `contact` appear in its Kontakthistorie. Idempotent per
    (contact, subject, sent_at): a retried delivery does not log twice."""
    summary = _mailing_summary(subject)
    interaction, _created = Interaction.objects.get_or_create(
        contact=contact,
        channel=Interaction.Channel.MAILING,
        occurred_at=sent_at,
        summary=summary,
        defaults={"project": project},
    )
    return interaction


class MailingRecord(NamedTuple):
    """One sent mailing for `interactions_record_mailings`."""

    contact_id: int
    subject: str
    sent_at: datetime
    project_id: int | None = None


def interactions_record_mailings(*, mailings: list[MailingRecord]) -> list[int]:
    """The batch form of `interaction_record_mailing`: one query to find the entries that
    already exist (idempotent per contact, subject and time, like the single form), one
    bulk insert for the rest, and their search index entries written in bulk (bulk_create
    sends no signals). Runs in the caller's transaction. Returns the ids of new entries."""
    wanted = {}
    for m in mailings:
        key = (m.contact_id, _mailing_summary(m.subject), m.sent_at)
        wanted.setdefault(key, m.project_id)
    if not wanted:
        return []
    existing = Interaction.objects.filter(
        contact_id__in={key[0] for key in wanted},
        channel=Interaction.Channel.MAILING,
        occurred_at__in={key[2] for key in wanted},
    ).values_list("contact_id", "summary", "occurred_at")
    for key in existing:
        wanted.pop(key, None)
    created = Interaction.objects.bulk_create(
        Interaction(
            contact_id=contact_id,
            channel=Interaction.Channel.MAILING,
            occurred_at=sent_at,
            summary=summary,
            project_id=project_id,
        )
        for (contact_id, summary, sent_at), project_id in wanted.items()
    )
    # PostgreSQL and SQLite (3.35+) return the ids of bulk-inserted rows.
    ids = [i.pk for i in created]
    search_index_bulk(Interaction, ids)
    if ids:
        # bulk_create sends no signal; the contact page shows them.
        caching.bump_written(GENERATION)
    return ids
