"""Who may see the public subscriptions: the office only (DESIGN.md). Subscribers manage
their own subscription through the signed link in their mails: the link is the credential,
not a role."""

from django.utils.translation import gettext_lazy as _

from soest_office.access import CHANGE, EVERYTHING, VIEW, Role, Rule
from soest_office.plugins import RULES

SUBSCRIPTION = RULES.register(
    Rule(
        model="subscriptions.Subscription",
        label=_("Abonnements"),
        position=60,
        grants={VIEW: {Role.OFFICE: EVERYTHING}, CHANGE: {Role.OFFICE: EVERYTHING}},
        note=_("Abonnentinnen und Abonnenten ändern ihr Abo über den signierten Link."),
    )
)
