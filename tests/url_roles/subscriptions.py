"""Rows of the subscriptions app: public double opt-in; the subscriber administration is
the office's."""

from .expect import NOT_SCOPED, OFFICE_ONLY_403, PUBLIC

# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
SUBSCRIPTIONS = {
    "subscriptions:subscribe": PUBLIC,
    "subscriptions:requested": PUBLIC,
    # Signed links from the subscriber's mailbox: the token is the credential.
    "subscriptions:confirm": PUBLIC._replace(post_other=NOT_SCOPED),
    "subscriptions:manage": PUBLIC._replace(post_other=NOT_SCOPED),
    "subscriptions:unsubscribe": PUBLIC._replace(post_other=NOT_SCOPED),
    "subscriptions:office_overview": OFFICE_ONLY_403,
    "subscriptions:office_list": OFFICE_ONLY_403,
    "subscriptions:office_subscriber": OFFICE_ONLY_403,
    "subscriptions:office_proof_csv": OFFICE_ONLY_403,
}
