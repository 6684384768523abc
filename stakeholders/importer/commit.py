"""The all-or-nothing commit of an import, written in bulk.

Rules that no import can break: "do not contact" is never lifted, and a current withdrawal
for a purpose is never replaced by an imported consent."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from soest_office.audit import audit_record
from soest_office.locking import versioned_bulk_fields
from soest_office.models import AuditEvent

from .. import audit
from ..models import (
    Contact,
    ImportJob,
    LegalBasisRecord,
    Organisation,
    Purpose,
    Tag,
    latest_basis_subquery,
)
from .columns import BASIS_VALUES, SALUTATIONS, YES
from .validation import Lookups, RowResult, preview


class ImportRowsInvalid(Exception):
    """At least one row has errors; nothing was written."""


PLAIN_FIELDS = [
    "title",
    "first_name",
    "last_name",
    "function",
    "email",
    "email_secondary",
    "phone",
    "mobile",
    "street",
    "postal_code",
    "city",
    "country",
    "notes",
]
ADDRESS_FIELDS = ["street", "postal_code", "city", "country"]
BATCH = 1000


def progress_key(token: str) -> str:
    return f"stakeholders:import-progress:{token}"


def import_commit(*, job: ImportJob, user) -> ImportJob:
    """Validate again and write every row, or nothing (one transaction). Raises
    ImportRowsInvalid when any row has an error. Progress goes to the cache so the status
    page can read it while the transaction is still open.

    The rows are written in bulk (no model signals per contact). The save that marks the job
    done carries `written_contact_ids` and `written_organisation_ids` (the created and
    updated contacts and their organisations) for post_save receivers such as the search
    index."""
    if job.status == ImportJob.Status.DONE:
        return job
    results = preview(job)
    if any(r.errors for r in results):
        raise ImportRowsInvalid
    total = len(results)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ImportJob.Status.DONE:
            return job  # a retried task must not import twice
        lookups = Lookups()
        now = timezone.now()
        org_ids = _ensure_organisations(results, lookups)
        tag_ids = _ensure_tags(results)

        to_create: list[tuple[RowResult, Contact]] = []
        to_update: list[tuple[RowResult, Contact]] = []
        existing = Contact.objects.in_bulk([r.match_id for r in results if r.action == "update"])
        update_fields = set()
        skipped = 0
        for result in results:
            if result.action == "skip":
                skipped += 1
                continue
            if result.action == "update":
                contact = existing[result.match_id]
                update_fields |= _apply(contact, result.values, lookups, org_ids, update=True)
                # As the edit form's save: a new address lifts the undeliverable mark.
                update_fields |= set(contact.lift_undeliverable_for_new_address())
                to_update.append((result, contact))
            else:
                contact = Contact(created_by=user)
                _apply(contact, result.values, lookups, org_ids, update=False)
                to_create.append((result, contact))

        done = skipped
        for start in range(0, len(to_create), BATCH):
            chunk = [c for _r, c in to_create[start : start + BATCH]]
            bulk_create_with_history(chunk, Contact, batch_size=BATCH, default_user=user)
            done += len(chunk)
            cache.set(progress_key(job.token), done, 3600)
        if to_create and to_create[0][1].pk is None:
            # Backends without RETURNING: read the new ids back by e-mail/name order.
            raise RuntimeError("bulk_create lieferte keine IDs")
        if to_update and update_fields:
            updated = [c for _r, c in to_update]
            bulk_update_with_history(
                updated,
                Contact,
                # As a save: the version rises, so a contact form opened before the import
                # is stale and shows what the import changed.
                versioned_bulk_fields(updated, update_fields),
                batch_size=BATCH,
                default_user=user,
            )
        done += len(to_update)
        cache.set(progress_key(job.token), done, 3600)

        written = to_create + to_update
        _write_tags(written, tag_ids)
        _write_bases(written, user, now)

        job.status = ImportJob.Status.DONE
        job.total_rows = total
        job.processed_rows = total
        job.created_count = len(to_create)
        job.updated_count = len(to_update)
        job.skipped_count = skipped
        job.finished_at = timezone.now()
        job.error_message = ""
        # For the receivers of post_save (the search index): what this commit wrote. Not
        # stored, so only the save that finishes the import carries it.
        job.written_contact_ids = [c.pk for _r, c in written]
        job.written_organisation_ids = sorted(
            {c.organisation_id for _r, c in written if c.organisation_id}
        )
        job.save()
        # The upload holds personal data: it is not kept once imported.
        transaction.on_commit(lambda: job.file.delete(save=False))
        audit_record(
            kind=AuditEvent.Kind.IMPORT,
            user=user,
            target=f"Import {job.pk}",
            details={
                "anzahl": len(written),
                "neu": job.created_count,
                "aktualisiert": job.updated_count,
                "übersprungen": skipped,
            },
            area=audit.AREA,
        )
    return job


def _ensure_organisations(results, lookups) -> dict[str, int]:
    names = {}
    addresses = {}
    for r in results:
        name = r.values.get("organisation", "")
        if name and r.action != "skip":
            names.setdefault(name.lower(), name)
            # A new organisation takes the (business) address of its first row that has one.
            if any(r.values.get(f) for f in ADDRESS_FIELDS):
                addresses.setdefault(name.lower(), {f: r.values.get(f, "") for f in ADDRESS_FIELDS})
    missing = [
        Organisation(name=n, **addresses.get(key, {}))
        for key, n in names.items()
        if key not in lookups.organisations
    ]
    Organisation.objects.bulk_create(missing, batch_size=BATCH)
    ids = dict(lookups.organisations)
    if missing:
        for pk, name in Organisation.objects.filter(name__in=[o.name for o in missing]).values_list(
            "pk", "name"
        ):
            ids.setdefault(name.lower(), pk)
    return ids


def _ensure_tags(results) -> dict[str, int]:
    names = set()
    for r in results:
        if r.action != "skip":
            names |= _split_tags(r.values.get("tags", ""))
    existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    Tag.objects.bulk_create(
        [Tag(name=n) for n in names if n not in existing], ignore_conflicts=True
    )
    return dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))


def _split_tags(raw: str) -> set[str]:
    return {t.strip()[:60] for t in re.split(r"[,|]", raw or "") if t.strip()}


def _apply(contact, values, lookups, org_ids, *, update: bool) -> set[str]:
    """Copy mapped values onto the contact; on update, empty cells leave fields alone.
    Returns the names of changed fields."""
    changed = set()

    def put(name, value):
        if update and value in ("", None):
            return
        setattr(contact, name, value)
        changed.add(name)

    for name in PLAIN_FIELDS:
        if name in values:
            put(name, values[name])
    if "salutation" in values:
        put("salutation", SALUTATIONS[values["salutation"].lower()])
    if values.get("organisation"):
        put("organisation_id", org_ids[values["organisation"].lower()])
    if values.get("municipality"):
        put("municipality_id", lookups.municipalities[values["municipality"].lower()])
    if values.get("category"):
        put("category", lookups.categories[values["category"].lower()])
    # "Do not contact" can be set by an import, never lifted.
    if values.get("do_not_contact", "").lower() in YES and not contact.do_not_contact:
        contact.do_not_contact = True
        changed.add("do_not_contact")
    return changed


def _write_tags(written, tag_ids) -> None:
    through = Contact.tags.through
    rows = []
    for result, contact in written:
        for name in _split_tags(result.values.get("tags", "")):
            rows.append(through(contact_id=contact.pk, tag_id=tag_ids[name]))
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _write_bases(written, user, now) -> None:
    wanted = [
        (contact, purpose, BASIS_VALUES[result.values[f"basis_{purpose.value}"].lower()])
        for result, contact in written
        for purpose in Purpose
        if result.values.get(f"basis_{purpose.value}")
    ]
    if not wanted:
        return
    # Current states of the touched contacts, one query per purpose.
    current = {}
    ids = [c.pk for c, _p, _s in wanted]
    for purpose in Purpose:
        for start in range(0, len(ids), BATCH):
            for pk, status in (
                Contact.objects.filter(pk__in=ids[start : start + BATCH])
                .annotate(_b=latest_basis_subquery(purpose.value))
                .values_list("pk", "_b")
            ):
                current[(pk, purpose.value)] = status
    records = []
    for contact, purpose, status in wanted:
        state = current.get((contact.pk, purpose.value))
        if state == status:
            continue
        if state == LegalBasisRecord.Status.WITHDRAWN:
            continue  # a withdrawal survives every import
        records.append(
            LegalBasisRecord(
                contact_id=contact.pk,
                purpose=purpose.value,
                status=status,
                method=LegalBasisRecord.Method.IMPORT,
                source="Import",
                effective_at=now,
                recorded_by=user,
            )
        )
    LegalBasisRecord.objects.bulk_create(records, batch_size=BATCH)
