"""Rows of the participation app: public pages and signed links for everyone; the
moderation, export, summary and settings are the office's (participation/rules.py)."""

from .expect import NOT_SCOPED, OFFICE_ONLY_403, PUBLIC

PARTICIPATION = {
    # Public forms: anyone may contribute or support; no municipality owns them.
    "participation:public_list": PUBLIC._replace(post_other=NOT_SCOPED),
    "participation:submitted": PUBLIC,
    "participation:support": PUBLIC._replace(post_other=NOT_SCOPED),
    # Signed links from the author's or supporter's mailbox: the token is the credential.
    "participation:confirm": PUBLIC._replace(post_other=NOT_SCOPED),
    "participation:support_confirm": PUBLIC._replace(post_other=NOT_SCOPED),
    "participation:withdraw": PUBLIC._replace(post_other=NOT_SCOPED),
    "participation:office_list": OFFICE_ONLY_403,
    "participation:office_export": OFFICE_ONLY_403,
    "participation:office_summary": OFFICE_ONLY_403,
    "participation:office_detail": OFFICE_ONLY_403._replace(post_other=403),
    "participation:office_settings": OFFICE_ONLY_403._replace(post_other=403),
}
