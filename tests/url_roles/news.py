"""Rows of the news app: the sample release is published (by a user without role)."""

from .expect import LOGIN, NOT_SCOPED, POST_ONLY, PUBLIC, E, same

# Every role reads published releases; partners propose drafts (their own stay theirs, see
# VARIANTS); reviewing, publishing and distributing are the office's.
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
NEWS = {
    "news:public_list": PUBLIC,
    "news:feed_rss": PUBLIC,
    "news:feed_atom": PUBLIC,
    "news:feed_rss_section": PUBLIC,
    "news:feed_atom_section": PUBLIC,
    "news:feed_rss_tag": PUBLIC,
    "news:feed_atom_tag": PUBLIC,
    "news:sitemap": PUBLIC,
    "news:public_detail": PUBLIC,
    "news:public_image": PUBLIC,
    "news:public_pdf": PUBLIC,
    # The unsubscribe link of a press mail: its signed token is the credential.
    "news:unsubscribe": same(200, anonymous=200, post_other=NOT_SCOPED),
    "news:editorial_list": E(LOGIN, 200, 200, 200, 200, 404),
    "news:editorial_create": E(LOGIN, 200, 200, 200, 403, 404),
    "news:editorial_preview": POST_ONLY,
    "news:editorial_detail": E(LOGIN, 200, 200, 200, 200, 404),
    # Published: visible to every role, changeable by the office only.
    "news:editorial_update": E(LOGIN, 200, 403, 403, 403, 404, post_other=403),
    "news:editorial_history": E(LOGIN, 200, 200, 200, 200, 404),
    "news:editorial_image": E(LOGIN, 200, 200, 200, 200, 404),
    "news:editorial_action": POST_ONLY._replace(post_other=403),
    "news:editorial_one_person_office": POST_ONLY._replace(post_other=403),
    # Distribution is the office's: 403 for every other role, whichever release.
    "news:distribution_create": E(LOGIN, 200, 403, 403, 403, 404, post_other=403),
    "news:distribution_progress": E(LOGIN, 200, 403, 403, 403, 404),
    "news:distribution_status": E(LOGIN, 200, 403, 403, 403, 404),
    "news:delivery_bounce": POST_ONLY._replace(post_other=403),
    "news:distribution_scheduled": POST_ONLY._replace(post_other=403),
}
