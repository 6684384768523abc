"""The news app's entries of the one inbox (soest_office.inbox): press releases waiting for
the office's approval (four eyes: not the ones the user wrote, as the rule says)."""

from django.utils.translation import gettext_lazy as _

from soest_office.inbox import INBOX, InboxItem, InboxSource

from .models import PressRelease
from .rules import APPROVE, PRESS_RELEASE


def _releases_to_approve(user):
    if not PRESS_RELEASE.permits(user, APPROVE):
        return None
    return (
        PressRelease.objects.permitted(user, APPROVE)
        .filter(status=PressRelease.Status.SUBMITTED)
        .order_by("pk")
    )


def _release_item(release) -> InboxItem:
    return InboxItem(title=release.title, url=release.get_editorial_url())


INBOX.register(
    InboxSource(
        key="releases_to_approve",
        label=_("Pressemitteilungen freigeben"),
        pending=_releases_to_approve,
        item=_release_item,
        position=30,
    )
)
