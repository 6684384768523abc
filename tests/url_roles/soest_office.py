"""Rows of the kernel's pages: dashboard, accounts, search, legal pages, audit log, exports."""

from .expect import LOGIN, NOT_SCOPED, OFFICE_ONLY_404, PUBLIC, READ, E, same

# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
SOEST_OFFICE = {
    "soest_office:home": same(200),
    "soest_office:healthz": PUBLIC,
    "soest_office:sitemap": PUBLIC,
    # A logged-in user at the login page is sent home.
    "soest_office:login": same(302, anonymous=200),
    "soest_office:logout": same(405),
    "soest_office:password_change": same(200),
    "soest_office:password_change_done": same(200),
    "soest_office:password_reset": PUBLIC,
    "soest_office:password_reset_done": PUBLIC,
    # The sample is an invalid link: "Link ungültig" for everybody; the link is the credential.
    "soest_office:password_reset_confirm": same(200, anonymous=200, post_other=NOT_SCOPED),
    "soest_office:password_reset_complete": PUBLIC,
    # Search covers what each role may see; a login without a role may see nothing.
    "soest_office:search": READ,
    "soest_office:search_suggest": READ,
    "soest_office:impressum": PUBLIC,
    "soest_office:datenschutz": PUBLIC,
    "soest_office:barrierefreiheit": PUBLIC,
    "soest_office:feedback": PUBLIC,
    "soest_office:feedback_thanks": PUBLIC,
    "soest_office:feedback_list": OFFICE_ONLY_404,
    "soest_office:leichte_sprache": PUBLIC,
    "soest_office:audit_log": OFFICE_ONLY_404,
    "soest_office:retention": OFFICE_ONLY_404,
    "soest_office:two_factor": OFFICE_ONLY_404,
    # Only meaningful between password and code; everybody else is sent to the login.
    "soest_office:otp_verify": same(LOGIN),
    "soest_office:admin_login": same(LOGIN),
    # Background exports (soest_office.exports): the sample is the office's own job; every
    # other user, whatever the role, gets 404 (a job belongs to whoever asked for it).
    "soest_office:export_job": OFFICE_ONLY_404,
    "soest_office:export_download": OFFICE_ONLY_404,
    "soest_office:feedback_answered": E(LOGIN, 405, 405, 405, 405, 405, post_other=404),
    # The one inbox: every role has one; a login without a role has no intranet.
    "soest_office:inbox": READ,
    # Accounts (docs/konten.md): office only. The invitation form is the partners' too when
    # the office allows it (off by default, so 404 here; tests/test_accounts.py covers on).
    "soest_office:account_list": OFFICE_ONLY_404,
    "soest_office:account_invite": OFFICE_ONLY_404,
    "soest_office:account_settings": E(LOGIN, 405, 405, 405, 405, 405),
    "soest_office:account_detail": E(LOGIN, 200, 404, 404, 404, 404, post_other=404),
    "soest_office:account_deactivate": same(405, post_other=404),
    "soest_office:account_second_factor_reset": same(405, post_other=404),
    "soest_office:invitation_resend": same(405, post_other=404),
    # A forged sample link: the page explains it to everybody; the link is the credential.
    "soest_office:invitation_accept": same(200, anonymous=200, post_other=NOT_SCOPED),
}
