"""Who may be written to: the one rule for recipients of lists and mailings."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Contact, DistributionList, Purpose


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
