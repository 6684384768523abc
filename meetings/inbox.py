"""The meetings app's entries of the one inbox (soest_office.inbox): the open action items the
user or the user's municipality owns, as far as the action item rule lets them see them."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from soest_office.inbox import INBOX, InboxItem, InboxSource

from .selectors import open_action_items_for


def _action_item(item) -> InboxItem:
    url = item.meeting.get_absolute_url() if item.meeting_id else item.body.get_absolute_url()
    detail = _t("fällig am %(date)s") % {"date": date_format(item.due, "d.m.Y")}
    return InboxItem(title=item.title, url=url, detail=detail, due=item.due)


INBOX.register(
    InboxSource(
        key="meeting_actions",
        label=_("Aufgaben aus Sitzungen"),
        pending=open_action_items_for,
        item=_action_item,
        position=45,
    )
)
