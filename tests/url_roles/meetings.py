"""Rows of the meetings app: the sample meeting is not confidential (every role reads it),
the sample action item belongs to Soest (its partner sets the status, Lippstadt's may not);
everything else that changes a meeting is the office's."""

from .expect import LOGIN, NOT_SCOPED, OFFICE_ONLY_403, POST_ONLY, PUBLIC, READ, E, same

OFFICE_FORM = E(LOGIN, 200, 403, 403, 403, 403, post_other=403)

# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
MEETINGS = {
    "meetings:body_list": READ,
    "meetings:body_detail": READ,
    # A series page: every role reads it; moving, cancelling, preparing is the office's.
    "meetings:series_detail": READ,
    # Creating and editing a series is the office's (SERIES rule); the edge columns default:
    # a partner without municipality as the other partner (403), a deactivated account as
    # the anonymous visitor (login).
    "meetings:series_create": OFFICE_FORM,
    "meetings:series_edit": OFFICE_FORM,
    "meetings:occurrence_action": POST_ONLY._replace(post_other=403),
    "meetings:list": READ,
    "meetings:meeting_create": OFFICE_ONLY_403,
    "meetings:action_list": READ,
    "meetings:action_status": POST_ONLY._replace(post_other=403),
    "meetings:paper_download": READ,
    # The signed attendance link of the mail; the sample token is tampered: 400 for all.
    "meetings:respond_link": same(400, anonymous=400, post_other=NOT_SCOPED),
    # GET: every role reads; POST answers the invitation, members only (Lippstadt is none).
    "meetings:meeting_detail": READ._replace(post_other=403),
    "meetings:meeting_edit": OFFICE_FORM,
    "meetings:minutes_pdf": READ,
    "meetings:meeting_action": POST_ONLY._replace(post_other=403),
    "meetings:agenda_item_create": OFFICE_FORM,
    "meetings:agenda_item_edit": OFFICE_FORM,
    "meetings:minutes_edit": OFFICE_FORM,
    "meetings:paper_create": OFFICE_FORM,
    "meetings:decision_create": OFFICE_FORM,
    "meetings:action_item_create": OFFICE_FORM,
    "meetings:attendance": POST_ONLY._replace(post_other=403),
    # OParl 1.1: public, read-only, the samples are a meeting marked public.
    **{
        f"meetings:oparl_{name}": PUBLIC
        for name in (
            "system",
            "body_list",
            "body",
            "organization_list",
            "person_list",
            "meeting_list",
            "paper_list",
            "organization",
            "person",
            "meeting",
            "agenda_item",
            "paper",
            "consultation",
            "file",
            "file_content",
        )
    },
}
