"""Writes and domain rules of the stakeholders app.

Contract for other apps (news relies on these names, keyword-only arguments):
- `effective_recipients(distribution_list=...)`
- `recipients_for_purpose(purpose=..., contacts=...)`
- `consent_withdraw(contact=..., purpose=..., source=..., at=None)`
- `interaction_record_mailing(contact=..., subject=..., sent_at=..., project=None)`
- `interactions_record_mailings(mailings=[MailingRecord, ...])` (the batch form of the above)
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.audit import audit_record
from soest_office.models import AuditEvent
from soest_office.search.indexing import search_index_bulk

from . import audit, dsgvo
from .models import (
    Contact,
    DistributionList,
    Interaction,
    Involvement,
    LegalBasisRecord,
    ListMembership,
    Purpose,
    Tag,
)

# --- Recipients -----------------------------------------------------------------------------


def recipients_for_purpose(*, purpose: str, contacts: QuerySet) -> QuerySet:
    """The contacts of `contacts` that may be written to for `purpose` right now: a valid
    e-mail address, a current consent or legitimate interest (the newest record for that
    purpose is not a withdrawal), and not marked "do not contact". Each person once."""
    if purpose not in Purpose.values:
        raise ValueError(f"Unbekannter Zweck: {purpose!r}")
    # A fresh queryset over the given ids: callers may pass contacts reached through joins
    # (e.g. several involvements in related projects) without getting anyone twice.
    unique = Contact.objects.filter(pk__in=contacts.values("pk"))
    return unique.with_valid_email().contactable().with_current_basis(purpose)


def effective_recipients(*, distribution_list: DistributionList) -> QuerySet:
    """Members of the list that `recipients_for_purpose` accepts for the list's purpose."""
    members = Contact.objects.filter(memberships__distribution_list=distribution_list)
    return recipients_for_purpose(purpose=distribution_list.purpose, contacts=members)


# --- Legal basis ----------------------------------------------------------------------------


def current_basis(*, contact: Contact, purpose: str) -> LegalBasisRecord | None:
    return (
        LegalBasisRecord.objects.filter(contact=contact, purpose=purpose)
        .order_by("-effective_at", "-pk")
        .first()
    )


def current_bases(*, contact: Contact) -> dict[str, LegalBasisRecord]:
    """Purpose -> newest record, from one query (records ordered newest first)."""
    result: dict[str, LegalBasisRecord] = {}
    for record in contact.legal_basis_records.select_related("recorded_by").order_by(
        "-effective_at", "-pk"
    ):
        result.setdefault(record.purpose, record)
    return result


@transaction.atomic
def legal_basis_record(
    *,
    contact: Contact,
    purpose: str,
    status: str,
    method: str = LegalBasisRecord.Method.OTHER,
    source: str = "",
    at=None,
    recorded_by=None,
) -> LegalBasisRecord:
    """Append a new legal-basis state for (contact, purpose). Older records stay as history;
    the newest by `effective_at` counts."""
    return LegalBasisRecord.objects.create(
        contact=contact,
        purpose=purpose,
        status=status,
        method=method,
        source=source[:255],
        effective_at=at or timezone.now(),
        recorded_by=recorded_by,
    )


@transaction.atomic
def consent_withdraw(
    *,
    contact: Contact,
    purpose: str,
    source: str,
    at=None,
    method: str = LegalBasisRecord.Method.UNSUBSCRIBE,
    recorded_by=None,
) -> LegalBasisRecord:
    """Record a withdrawal/objection for `purpose`, effective immediately (or at `at`).

    Made for the unsubscribe link of press mails (hence the default method). Idempotent in
    effect: if the newest record already is a withdrawal, it is returned and nothing is added.
    """
    if purpose not in Purpose.values:
        raise ValueError(f"Unbekannter Zweck: {purpose!r}")
    latest = current_basis(contact=contact, purpose=purpose)
    if latest is not None and latest.status == LegalBasisRecord.Status.WITHDRAWN:
        return latest
    return legal_basis_record(
        contact=contact,
        purpose=purpose,
        status=LegalBasisRecord.Status.WITHDRAWN,
        method=method,
        source=source,
        at=at,
        recorded_by=recorded_by,
    )


# --- Contact history ------------------------------------------------------------------------


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
    return ids


# --- Lists and tags -------------------------------------------------------------------------


@transaction.atomic
def list_add_contacts(*, distribution_list: DistributionList, contacts: QuerySet) -> int:
    """Add contacts to a list; already present ones are left alone. Returns how many were
    added."""
    existing = set(
        ListMembership.objects.filter(distribution_list=distribution_list).values_list(
            "contact_id", flat=True
        )
    )
    new = [
        ListMembership(distribution_list=distribution_list, contact_id=pk)
        for pk in contacts.values_list("pk", flat=True)
        if pk not in existing
    ]
    ListMembership.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def contacts_tag(*, contacts: QuerySet, name: str) -> int:
    """Give every contact of `contacts` the tag `name` (created if new)."""
    tag, _created = Tag.objects.get_or_create(name=name.strip()[:60])
    through = Contact.tags.through
    existing = set(through.objects.filter(tag=tag).values_list("contact_id", flat=True))
    new = [
        through(contact_id=pk, tag_id=tag.pk)
        for pk in contacts.values_list("pk", flat=True)
        if pk not in existing
    ]
    through.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# --- Merge ----------------------------------------------------------------------------------

MERGE_FIELDS = [
    "salutation",
    "title",
    "first_name",
    "organisation_id",
    "function",
    "email",
    "email_secondary",
    "phone",
    "mobile",
    "municipality_id",
    "notes",
]


@transaction.atomic
def contact_merge(*, keep: Contact, merge: Contact, user=None) -> Contact:
    """Merge `merge` into `keep` and delete `merge`. Nothing is lost: interactions,
    involvements, legal-basis records, list memberships and tags move over; empty fields of
    `keep` are filled from `merge`; "do not contact" wins; a purpose withdrawn on either side
    stays withdrawn afterwards even if the other side has a newer consent."""
    if keep.pk == merge.pk:
        raise ValueError("Ein Kontakt kann nicht mit sich selbst zusammengeführt werden.")
    purposes_withdrawn = {
        purpose
        for contact in (keep, merge)
        for purpose, record in current_bases(contact=contact).items()
        if record.status == LegalBasisRecord.Status.WITHDRAWN
    }
    for field in MERGE_FIELDS:
        if not getattr(keep, field) and getattr(merge, field):
            setattr(keep, field, getattr(merge, field))
    if merge.email and keep.email and merge.email.lower() != keep.email.lower():
        if not keep.email_secondary:
            keep.email_secondary = merge.email
        else:
            keep.notes = (keep.notes + f"\nWeitere E-Mail: {merge.email}").strip()
    if merge.notes and merge.notes not in keep.notes:
        keep.notes = (keep.notes + "\n" + merge.notes).strip()
    keep.do_not_contact = keep.do_not_contact or merge.do_not_contact
    keep.save()

    Interaction.objects.filter(contact=merge).update(contact=keep)
    LegalBasisRecord.objects.filter(contact=merge).update(contact=keep)
    for involvement in Involvement.objects.filter(contact=merge):
        if Involvement.objects.filter(
            contact=keep, project_id=involvement.project_id, role=involvement.role
        ).exists():
            involvement.delete()
        else:
            involvement.contact = keep
            involvement.save(update_fields=["contact"])
    kept_lists = set(
        ListMembership.objects.filter(contact=keep).values_list("distribution_list_id", flat=True)
    )
    ListMembership.objects.filter(contact=merge).exclude(
        distribution_list_id__in=kept_lists
    ).update(contact=keep)
    keep.tags.add(*merge.tags.all())
    for hook in dsgvo.MERGE_HOOKS:
        hook(keep, merge)

    now = timezone.now()
    for purpose, record in current_bases(contact=keep).items():
        if purpose in purposes_withdrawn and record.status != LegalBasisRecord.Status.WITHDRAWN:
            legal_basis_record(
                contact=keep,
                purpose=purpose,
                status=LegalBasisRecord.Status.WITHDRAWN,
                method=LegalBasisRecord.Method.MERGE,
                source="Widerruf bei Zusammenführung übernommen",
                at=max(now, record.effective_at),
                recorded_by=user,
            )
    merge_pk = merge.pk
    merge.delete()
    # The field history of the merged record moves to `keep` (nothing lost, and an erasure of
    # `keep` later removes it too); only the technical "deleted" entry of the merge goes.
    Contact.history.filter(id=merge_pk, history_type="-").delete()
    Contact.history.filter(id=merge_pk).update(id=keep.pk)
    audit_record(
        kind=AuditEvent.Kind.MERGE,
        user=user,
        target=f"Kontakt {keep.pk}",
        details={"anzahl": 2, "übernommen_aus": f"Kontakt {merge_pk}"},
        area=audit.AREA,
    )
    return keep


# --- Erasure --------------------------------------------------------------------------------


@transaction.atomic
def contact_erase(*, contact: Contact, user=None, _log: bool = True) -> None:
    """Erase a person (Art. 17 DSGVO). Irreversible.

    The contact row, its field history, legal-basis records, involvements and list
    memberships are deleted; contact-history entries stay only as anonymous rows (date,
    channel, project) so the office keeps its counts. Apps registered in
    `dsgvo.ERASURE_HOOKS` anonymise their own rows first. The log says who erased and when,
    never whom."""
    pk = contact.pk
    for hook in dsgvo.ERASURE_HOOKS:
        hook(contact)
    Interaction.objects.filter(contact_id=pk).update(contact=None, summary="", recorded_by=None)
    LegalBasisRecord.objects.filter(contact_id=pk).delete()
    Involvement.objects.filter(contact_id=pk).delete()
    ListMembership.objects.filter(contact_id=pk).delete()
    audit.scrub_person(contact)
    contact.tags.clear()
    contact.delete()
    Contact.history.filter(id=pk).delete()
    if _log:
        _audit_erasure(user=user, count=1)


def _audit_erasure(*, user, count: int) -> None:
    # Who erased, when and how many; never whom (Art. 17: nothing personal left).
    audit_record(
        kind=AuditEvent.Kind.ERASURE, user=user, details={"anzahl": count}, area=audit.AREA
    )


@transaction.atomic
def contacts_erase_bulk(*, contacts: QuerySet, user=None) -> int:
    """Erase every contact of `contacts` (retention review); one log entry with the count."""
    count = 0
    for contact in contacts.order_by("pk"):
        contact_erase(contact=contact, user=user, _log=False)
        count += 1
    if count:
        _audit_erasure(user=user, count=count)
    return count


# --- Retention ------------------------------------------------------------------------------

DEFAULT_RETENTION_MONTHS = 36


def _retention_months(rules: dict, category: str, basis: str) -> int:
    for key in ((category, basis), (category, "any"), ("", basis), ("", "any")):
        if key in rules:
            return rules[key]
    return DEFAULT_RETENTION_MONTHS


@transaction.atomic
def retention_flag_due(*, now=None) -> int:
    """Flag contacts whose last activity (newest interaction, legal-basis change or creation)
    is older than their retention period; unflag those that became active again.
    Idempotent: running it twice flags nothing new. Returns how many are flagged now."""
    from django.db.models import Exists, Max, OuterRef

    from .models import RetentionRule

    now = now or timezone.now()
    rules = {(r.category, r.basis): r.months for r in RetentionRule.objects.all()}
    li = LegalBasisRecord.objects.filter(
        contact=OuterRef("pk"), status=LegalBasisRecord.Status.LEGITIMATE_INTEREST
    )
    rows = Contact.objects.annotate(
        last_interaction=Max("interactions__occurred_at"),
        last_basis=Max("legal_basis_records__effective_at"),
        has_li=Exists(li),
    ).values_list(
        "pk",
        "category",
        "created_at",
        "last_interaction",
        "last_basis",
        "has_li",
        "retention_flagged_at",
    )
    due, not_due = [], []
    for pk, category, created, last_interaction, last_basis, has_li, flagged in rows:
        last = max(d for d in (created, last_interaction, last_basis) if d is not None)
        basis = "legitimate_interest" if has_li else "consent"
        months = _retention_months(rules, category, basis)
        limit = now - timezone.timedelta(days=round(months * 30.44))
        if last < limit:
            if flagged is None:
                due.append(pk)
        elif flagged is not None:
            not_due.append(pk)
    Contact.objects.filter(pk__in=due).update(retention_flagged_at=now)
    Contact.objects.filter(pk__in=not_due).update(retention_flagged_at=None)
    return Contact.objects.filter(retention_flagged_at__isnull=False).count()
