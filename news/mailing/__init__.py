"""The service API of press mailings: recipients, distribution and dispatch, per-recipient
delivery with retries, reconciliation, bounces, unsubscribe and progress. Views, tasks, the
subscriptions app and tests call these names from here; the modules of this package import
each other directly.

Guarantees (see docs/presse.md):
- one Delivery row per (distribution, contact) under a unique constraint; sending a release
  again only adds recipients who have none;
- a batch claims its rows (queued → sending) in one transaction before any mail goes out
  (rows locked by another worker are skipped), and marks each row sent by its own UPDATE
  right after the SMTP server took the mail; a worker killed mid-batch leaves at most the
  one mail in flight unmarked. The reconciler hands the rows left in "sending" back: that
  one mail may go out twice (SMTP has no exactly-once), no mail is lost;
- a sent row keeps its claim time until the batch has logged it in the Kontakthistorie
  (in bulk, after the batch); the reconciler logs what a killed worker left unlogged, and
  the row lock taken while logging keeps both from logging a mail twice;
- consent is checked again when the batch starts, for the whole batch in one query: a
  withdrawal counts from the next batch on (and a running batch takes seconds);
- tasks are queued on commit only.

The DSGVO hooks for deliveries live in news.personal_data.
"""

from .bounces import delivery_mark_bounced
from .dispatch import (
    distribution_dispatch,
    distribution_dispatch_on_commit,
    distribution_send,
    embargo_send,
    publication_lists_set,
    send_at_publication,
)
from .messages import ReleaseParts, build_message, personal_links
from .progress import distribution_progress
from .recipients import (
    effective_recipients,
    excluded_members,
    lists_for_choice,
    salutation_for,
    suggested_contacts,
    undeliverable_members,
)
from .reconcile import deliveries_reconcile
from .sending import TEMPORARY_ERRORS, deliveries_send
from .unsubscribe import (
    UNSUBSCRIBE_SALT,
    delivery_from_token,
    delivery_unsubscribe,
    unsubscribe_token,
    unsubscribe_url,
)

__all__ = [
    "TEMPORARY_ERRORS",
    "UNSUBSCRIBE_SALT",
    "ReleaseParts",
    "build_message",
    "deliveries_reconcile",
    "deliveries_send",
    "delivery_from_token",
    "delivery_mark_bounced",
    "delivery_unsubscribe",
    "distribution_dispatch",
    "distribution_dispatch_on_commit",
    "distribution_progress",
    "distribution_send",
    "effective_recipients",
    "embargo_send",
    "excluded_members",
    "lists_for_choice",
    "personal_links",
    "publication_lists_set",
    "salutation_for",
    "send_at_publication",
    "suggested_contacts",
    "undeliverable_members",
    "unsubscribe_token",
    "unsubscribe_url",
]
