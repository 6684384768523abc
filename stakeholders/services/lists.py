"""The contact list's bulk actions: add contacts to a distribution list, give them a tag."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from soest_office import caching
from soest_office.locking import raise_versions

from ..apps import GENERATION
from ..models import Contact, DistributionList, ListMembership, Tag


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
    # bulk_create sends no signal: the cached contact pages name the lists.
    caching.bump_written(GENERATION)
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
    # bulk_create sends no signal; the contact pages show the tags.
    caching.bump_written(GENERATION)
    # The tags are part of the contact form: a form opened before is stale now.
    ids = [row.contact_id for row in new]
    for start in range(0, len(ids), 1000):
        raise_versions(Contact.objects.filter(pk__in=ids[start : start + 1000]))
    return len(new)
