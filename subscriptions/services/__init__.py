"""The service API of the subscriptions app: double opt-in, changes and unsubscribe, release
fan-out and weekly digest, the app's own mails and cleanup. Views, tasks and tests call these
names from here; the modules of this package import each other directly.

Guarantees:
- only the click on a valid confirmation link (signed, single use, 48 h) creates a
  subscription; the consent proof (request and confirmation time, consent text version,
  source) is stored on it and as a consent record of the stakeholders contact;
- the public answer never depends on whether an address is known (no enumeration);
- release mails to "at once" subscribers go through news' delivery pipeline (one Delivery
  row per release and contact, claimed before sending); the weekly digest reserves a Delivery
  row per release it lists, so press list, "at once" and digest never send a release twice.

The DSGVO hooks live in subscriptions.personal_data, the personal links of release mails in
subscriptions.mail_links.
"""

from .cleanup import requests_cleanup
from .consent import PURPOSE, current_consent_text
from .digests import (
    DIGEST_RESERVED,
    DIGEST_SENT,
    digest_compose,
    digest_due,
    digest_send,
    digests_compose_all,
    digests_reconcile,
)
from .fanout import fanout_recent, on_release_saved, release_fanout
from .manage import (
    is_active,
    subscription_from_token,
    subscription_unsubscribe,
    subscription_update,
)
from .matching import matching_subscriptions, matching_subscriptions_ids_for
from .messages import (
    build_confirmation_message,
    build_digest_message,
    build_manage_link_message,
    confirmation_send,
    manage_link_send,
)
from .proof import proof_rows
from .rate_limits import address_rate_exceeded, ip_rate_exceeded
from .subscribe import (
    SUBSCRIBER_TAG,
    ConfirmOutcome,
    active_subscription_for,
    check_confirm_token,
    subscription_confirm,
    subscription_request,
)

__all__ = [
    "DIGEST_RESERVED",
    "DIGEST_SENT",
    "PURPOSE",
    "SUBSCRIBER_TAG",
    "ConfirmOutcome",
    "active_subscription_for",
    "address_rate_exceeded",
    "build_confirmation_message",
    "build_digest_message",
    "build_manage_link_message",
    "check_confirm_token",
    "confirmation_send",
    "current_consent_text",
    "digest_compose",
    "digest_due",
    "digest_send",
    "digests_compose_all",
    "digests_reconcile",
    "fanout_recent",
    "ip_rate_exceeded",
    "is_active",
    "manage_link_send",
    "matching_subscriptions",
    "matching_subscriptions_ids_for",
    "on_release_saved",
    "proof_rows",
    "release_fanout",
    "requests_cleanup",
    "subscription_confirm",
    "subscription_from_token",
    "subscription_request",
    "subscription_unsubscribe",
    "subscription_update",
]
