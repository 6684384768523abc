"""The expected answer of every URL pattern for every role: DESIGN.md's role table, page by page.

One row per named URL pattern (tests/test_url_roles.py walks the resolver and fails for a
pattern without a row, printing the line to add). Columns, for a GET unless stated:

    anonymous  not logged in
    office     Projektbüro
    own        Kommune: partner of the sample object's municipality (Soest)
    other      Kommune: partner of another municipality (Lippstadt): horizontal access
    steering   Lenkungskreis
    no_role    logged in, but in no group
    no_municipality (keyword) a partner account without a municipality: reads what every
               partner reads, owns nothing. Defaults to the `other` column.
    deactivated (keyword) a deactivated office account: Django ends its session, so it is
               the anonymous visitor. Defaults to the `anonymous` column.
    post_other (keyword) POST by the partner of the other municipality on a URL that changes
               a Soest object. The test also asserts that no row of the project's tables
               changed. NOT_SCOPED: the URL is not bound to a municipality (its token is
               the credential).

Values: a status code, or LOGIN for "302 to the login" (/konto/anmelden/?next=…, or the
admin's login, which forwards there). DESIGN.md: who may not see an object gets 404, who may
see but not change it gets 403; partners read all projects (so changes are 403) but only
their own municipality's contacts and organisations (so everything else is 404).

The sample objects come from tests/url_samples.py and belong to Soest. VARIANTS repeats a
pattern with another sample where the role table says more (a municipality's drafts).

Adding a page is one line in its app's section, e.g.

    "projects:report_list": E(LOGIN, 200, 200, 200, 200, 403),

and, for a URL that changes an object, `post_other=` at its end. When a pattern has no row,
the test prints that line with the statuses it observed: check them against DESIGN.md, do
not paste them blindly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from tests.url_samples import SampleWorld

LOGIN = "LOGIN"
NOT_SCOPED = "NOT_SCOPED"

# Column -> the fixture of the root conftest.py that plays the role (None: anonymous).
ROLE_FIXTURES = {
    "anonymous": None,
    "office": "office",
    "own": "partner_soest",
    "other": "partner_lippstadt",
    "steering": "steering",
    "no_role": "no_role_user",
    "no_municipality": "partner_without_municipality",
    "deactivated": "deactivated_user",
}
ROLES = tuple(ROLE_FIXTURES)
POSITIONAL_ROLES = ROLES[:6]


class Expect(NamedTuple):
    anonymous: int | str
    office: int | str
    own: int | str
    other: int | str
    steering: int | str
    no_role: int | str
    post_other: int | str | None = None
    no_municipality: int | str | None = None
    deactivated: int | str | None = None

    def expected(self, role: str) -> int | str:
        """The status for `role`, the two edge columns defaulting as documented above."""
        value = getattr(self, role)
        if value is None and role == "no_municipality":
            return self.other
        if value is None and role == "deactivated":
            return self.anonymous
        return value

    def line(self, key: str) -> str:
        """The row as it is written in this file."""
        values = ", ".join(_literal(getattr(self, role)) for role in POSITIONAL_ROLES)
        extra = ""
        for name in ("post_other", "no_municipality", "deactivated"):
            value = getattr(self, name)
            if value is not None and (name == "post_other" or value != self.expected(name)):
                extra += f", {name}={_literal(value)}"
        return f'"{key}": E({values}{extra}),'


def _literal(value) -> str:
    return value if isinstance(value, str) else str(value)


def E(
    anonymous,
    office,
    own,
    other,
    steering,
    no_role,
    *,
    post_other=None,
    no_municipality=None,
    deactivated=None,
) -> Expect:
    return Expect(
        anonymous, office, own, other, steering, no_role, post_other, no_municipality, deactivated
    )


def same(status, *, anonymous=LOGIN, post_other=None) -> Expect:
    """Every logged-in role gets the same answer."""
    return E(anonymous, status, status, status, status, status, post_other=post_other)


PUBLIC = same(200, anonymous=200)
# Pages of the intranet every role may read; a login without a role has no intranet.
READ = E(LOGIN, 200, 200, 200, 200, 403)
OFFICE_ONLY_404 = E(LOGIN, 200, 404, 404, 404, 404)
OFFICE_ONLY_403 = E(LOGIN, 200, 403, 403, 403, 403)


# --- soest_office: dashboard, accounts, search, legal pages, audit log ------------------------
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
SOEST_OFFICE = {
    "soest_office:home": same(200),
    "soest_office:healthz": PUBLIC,
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
    "soest_office:two_factor": OFFICE_ONLY_404,
    # Only meaningful between password and code; everybody else is sent to the login.
    "soest_office:otp_verify": same(LOGIN),
    "soest_office:admin_login": same(LOGIN),
    # Background exports (soest_office.exports): the sample is the office's own job; every
    # other user, whatever the role, gets 404 (a job belongs to whoever asked for it).
    "soest_office:export_job": OFFICE_ONLY_404,
    "soest_office:export_download": OFFICE_ONLY_404,
}

# --- projects: the sample project is led by Soest -----------------------------------------------
# Partners read every project (DESIGN.md), so the other municipality gets 403 on changes, not
# 404. Reports, milestones, documents: the own municipality's partner may log reports, tick
# milestones and upload documents; creating and editing milestones is the office's
# (docs/projekte.md narrows DESIGN.md's "reports, milestones: create/edit" there).
PROJECT_FORM_OFFICE = E(LOGIN, 200, 403, 403, 403, 404)
PROJECT_FORM_OWN = E(LOGIN, 200, 200, 403, 403, 404)
PROJECT_READ = E(LOGIN, 200, 200, 200, 200, 404)
POST_ONLY = same(405)
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
PROJECTS = {
    "projects:list": READ,
    # All reports each role may see (drafts only of projects it may edit): projects.views.
    "projects:report_list": READ,
    "projects:create": OFFICE_ONLY_403,
    "projects:export_csv": READ,
    "projects:export_xlsx": READ,
    "projects:funder_report": READ,
    "projects:settings": READ,
    "projects:calendar_token": POST_ONLY,
    # The secret token is the credential; the sample token is unknown.
    "projects:calendar_feed": same(404, anonymous=404),
    "projects:transparency_json": PUBLIC,
    "projects:transparency_csv": PUBLIC,
    "projects:detail": PROJECT_READ,
    "projects:history": PROJECT_READ,
    "projects:project_reports": READ,
    "projects:edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:archive": POST_ONLY._replace(post_other=403),
    "projects:report_create": PROJECT_FORM_OWN._replace(post_other=403),
    "projects:report_detail": PROJECT_READ,
    # The sample report is submitted: nobody edits it any more (drafts: VARIANTS).
    "projects:report_edit": E(LOGIN, 403, 403, 403, 403, 404, post_other=403),
    "projects:report_submit": POST_ONLY._replace(post_other=403),
    "projects:report_accept": POST_ONLY._replace(post_other=403),
    "projects:report_return": POST_ONLY._replace(post_other=403),
    "projects:milestone_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:milestone_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:milestone_done": POST_ONLY._replace(post_other=403),
    "projects:milestone_delete": POST_ONLY._replace(post_other=403),
    "projects:document_create": PROJECT_FORM_OWN._replace(post_other=403),
    "projects:document_download": PROJECT_READ,
    "projects:document_delete": POST_ONLY._replace(post_other=403),
    "projects:funding_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:funding_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:funding_delete": POST_ONLY._replace(post_other=403),
    "projects:budget_line_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:budget_line_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:budget_line_delete": POST_ONLY._replace(post_other=403),
    "projects:drawdown_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:drawdown_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:drawdown_delete": POST_ONLY._replace(post_other=403),
    "projects:contact_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:contact_delete": POST_ONLY._replace(post_other=403),
}

# --- stakeholders: the sample contact and organisation belong to Soest ------------------------
# Office and partners of a municipality only (steering group, logins without a role and a
# partner account without a municipality, which may see no contact: 403); a partner sees and
# edits the contacts and organisations of their own municipality only, so the other
# municipality gets 404. Lists, import, merge and DSGVO actions: the office only.
STAKEHOLDERS_READ = E(LOGIN, 200, 200, 200, 403, 403, no_municipality=403)
OWN_CONTACT = E(LOGIN, 200, 200, 404, 403, 403, no_municipality=403)
OWN_CONTACT_POST = E(LOGIN, 405, 405, 405, 403, 403, post_other=404, no_municipality=403)
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
STAKEHOLDERS = {
    "stakeholders:contact_list": STAKEHOLDERS_READ,
    "stakeholders:contact_create": STAKEHOLDERS_READ,
    "stakeholders:contact_bulk": E(
        LOGIN, 405, 405, 405, 403, 403, post_other=302, no_municipality=403
    ),
    "stakeholders:export_csv": STAKEHOLDERS_READ,
    "stakeholders:export_xlsx": STAKEHOLDERS_READ,
    "stakeholders:export_vcard": STAKEHOLDERS_READ,
    "stakeholders:contact_detail": OWN_CONTACT,
    "stakeholders:interaction_list": OWN_CONTACT,
    "stakeholders:contact_update": OWN_CONTACT._replace(post_other=404),
    "stakeholders:contact_vcard": OWN_CONTACT,
    "stakeholders:interaction_create": OWN_CONTACT_POST,
    "stakeholders:legal_basis_create": OWN_CONTACT_POST,
    "stakeholders:involvement_create": OWN_CONTACT_POST,
    # DSGVO: Auskunft and erasure are the office's (403 for every partner, whoever's contact).
    "stakeholders:auskunft_json": OFFICE_ONLY_403,
    # GET shows the request form; the POST starts a background job (soest_office.exports).
    "stakeholders:auskunft_pdf": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:contact_erase": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:duplicates": OFFICE_ONLY_403,
    "stakeholders:merge": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:retention": OFFICE_ONLY_403,
    "stakeholders:audit_log": OFFICE_ONLY_403,
    "stakeholders:organisation_list": STAKEHOLDERS_READ,
    "stakeholders:organisation_create": STAKEHOLDERS_READ,
    "stakeholders:organisation_detail": OWN_CONTACT,
    "stakeholders:organisation_update": OWN_CONTACT._replace(post_other=404),
    "stakeholders:organisation_involvement_create": OWN_CONTACT_POST,
    "stakeholders:list_list": OFFICE_ONLY_403,
    "stakeholders:list_create": OFFICE_ONLY_403,
    "stakeholders:list_detail": OFFICE_ONLY_403,
    "stakeholders:list_update": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:list_vcard": OFFICE_ONLY_403,
    "stakeholders:list_member_remove": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:import_upload": OFFICE_ONLY_403,
    "stakeholders:import_status": OFFICE_ONLY_403,
    "stakeholders:import_mapping": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:import_preview": OFFICE_ONLY_403,
    "stakeholders:import_replace": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:import_fix_row": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:import_commit": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
}

# --- news: the sample release is published (by a user without role) -------------------------
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
    # Distribution is the office's: 403 for every other role, whichever release.
    "news:distribution_create": E(LOGIN, 200, 403, 403, 403, 404, post_other=403),
    "news:distribution_progress": E(LOGIN, 200, 403, 403, 403, 404),
    "news:distribution_status": E(LOGIN, 200, 403, 403, 403, 404),
    "news:delivery_bounce": POST_ONLY._replace(post_other=403),
}

# --- subscriptions: public double opt-in; the subscriber administration is the office's --------
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

# --- admin: see NAMESPACE_RULES below; rows here override the rule ----------------------------
ADMIN = {
    # The admin sends a logged-in non-staff user from its logout to its index (then login).
    "admin:logout": same(302),
}

SECTIONS = {
    "admin": ADMIN,
    "soest_office": SOEST_OFFICE,
    "projects": PROJECTS,
    "stakeholders": STAKEHOLDERS,
    "news": NEWS,
    "subscriptions": SUBSCRIPTIONS,
}
TABLE: dict[str, Expect] = {
    key: row for section in SECTIONS.values() for key, row in section.items()
}

# Whole namespaces with one rule. The Django admin is for staff (superusers); no role of
# DESIGN.md is staff, so every role is sent to the (admin's) login, on every admin URL.
NAMESPACE_RULES: dict[str, Expect] = {
    "admin": same(LOGIN),
}


def expected_for(key: str) -> Expect | None:
    if key in TABLE:
        return TABLE[key]
    return NAMESPACE_RULES.get(key.split(":", 1)[0])


# --- Variants: the same pattern with another sample object ------------------------------------


class RoleWorld(SampleWorld):
    """The sample world plus the municipality-bound drafts the variants need."""

    def _partner_soest(self):
        from soest_office.access import Role
        from soest_office.tests.factories import UserFactory, municipality

        return self.users.get("partner_soest") or UserFactory(
            role=Role.PARTNER, municipality=municipality("soest")
        )

    @cached_property
    def draft_report(self):
        """Soest's working copy of a progress report: invisible to other municipalities."""
        from projects.models import ProgressReport
        from projects.tests.factories import ProgressReportFactory

        return ProgressReportFactory(
            project=self.project,
            author=self._partner_soest(),
            status=ProgressReport.Status.DRAFT,
            achieved=SOEST_ONLY_DRAFT_REPORT,
        )

    @cached_property
    def partner_draft(self):
        """A press release draft proposed by the partner of Soest."""
        from news.tests.factories import PressReleaseFactory

        return PressReleaseFactory(author=self._partner_soest(), title=SOEST_ONLY_PRESS_DRAFT)

    @cached_property
    def involvement(self):
        """Soest's contact takes part in the sample project, whose page every role reads."""
        from stakeholders.models import Involvement

        return Involvement.objects.create(
            project=self.project, contact=self.contact, role=Involvement.Role.values[0]
        )

    @cached_property
    def homeless_involvement(self):
        """A contact without a municipality takes part in the sample project: only the office
        sees it (a partner account without a municipality must not: the leak of the kernel
        issue, where such links answered 404 when followed)."""
        from stakeholders.models import Contact, Involvement

        contact, _ = Contact.objects.get_or_create(
            last_name=OFFICE_ONLY_CONTACT, defaults={"first_name": "Lea"}
        )
        return Involvement.objects.create(
            project=self.project, contact=contact, role=Involvement.Role.values[0]
        )

    @cached_property
    def public_project(self):
        """A project marked public, with a milestone and a document: intranet material that a
        login without a role must not see on the project page (the other leak)."""
        from projects.tests.factories import DocumentFactory, MilestoneFactory, ProjectFactory
        from soest_office.tests.factories import municipality

        project = ProjectFactory(
            slug="beispiel-oeffentlich",
            title="Beispiel: öffentliches Projekt",
            lead_municipality=municipality("soest"),
            is_public=True,
        )
        MilestoneFactory(project=project, title=INTRANET_ONLY_MILESTONE)
        DocumentFactory(project=project, title=INTRANET_ONLY_DOCUMENT)
        return project

    def prepare(self):
        """Create every object the variants and the leak check rely on."""
        _ = self.draft_report, self.partner_draft, self.involvement
        _ = self.homeless_involvement, self.public_project

    def office_only_texts(self) -> list[str]:
        """Text only the office may read: no other role's page may contain it."""
        return [OFFICE_ONLY_CONTACT]

    def intranet_only_texts(self) -> list[str]:
        """Text of a public project that only the roles of the intranet may read."""
        return [INTRANET_ONLY_MILESTONE, INTRANET_ONLY_DOCUMENT]

    def soest_only_texts(self) -> list[str]:
        """Text that only the office and Soest's partner may read: no other role's page may
        contain it (HTML, CSV, JSON, vCard; compressed formats like XLSX and PDF are not
        searched)."""
        return [
            self.contact.email,
            self.contact.last_name,
            "Sparkasse SoestWerl",  # the sample organisation (Soest)
            SOEST_ONLY_DRAFT_REPORT,
            SOEST_ONLY_PRESS_DRAFT,
        ]


SOEST_ONLY_DRAFT_REPORT = "Entwurfsvermerk Soest: Vergabe noch offen"
OFFICE_ONLY_CONTACT = "Ohnekommune-Landesagentur"
INTRANET_ONLY_MILESTONE = "Meilenstein nur fürs Intranet"
INTRANET_ONLY_DOCUMENT = "Dokument nur fürs Intranet"
SOEST_ONLY_PRESS_DRAFT = "Vorschlag Soest: Glasfaser im Bördeviertel"


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    kwargs: Callable[[RoleWorld], dict]
    expect: Expect

    @property
    def id(self) -> str:
        return f"{self.key} [{self.label}]"


def _draft_report(world):
    return {"slug": world.project.slug, "pk": world.draft_report.pk}


def _partner_draft(world):
    return {"pk": world.partner_draft.pk, "action": "einreichen"}


# Soest's draft progress report is its working copy: the office and Soest only (the
# projects app's decision within DESIGN.md's "reports: own projects").
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
DRAFT_REPORT = {
    "projects:report_detail": E(LOGIN, 200, 200, 404, 404, 404),
    "projects:report_edit": E(LOGIN, 200, 200, 404, 404, 404, post_other=404),
    "projects:report_submit": E(LOGIN, 405, 405, 405, 405, 405, post_other=404),
}
# A press release draft proposed by the partner of Soest ("own" is its author): the author
# and the office only.
PARTNER_DRAFT = {
    "news:editorial_detail": E(LOGIN, 200, 200, 404, 404, 404),
    "news:editorial_update": E(LOGIN, 200, 200, 404, 404, 404, post_other=404),
    "news:editorial_history": E(LOGIN, 200, 200, 404, 404, 404),
    "news:editorial_action": E(LOGIN, 405, 405, 405, 405, 405, post_other=404),
}
# A project marked public: every logged-in role opens its intranet page (the public only
# its master data; the leak check makes sure of that), the public itself is sent to the login.
PUBLIC_PROJECT = {
    "projects:detail": E(LOGIN, 200, 200, 200, 200, 200),
    # Its history shows milestones' and reports' changes: intranet roles only.
    "projects:history": E(LOGIN, 200, 200, 200, 200, 403),
}


def _public_project(world):
    return {"slug": world.public_project.slug}


VARIANTS = [
    *(Variant(k, "öffentliches Projekt", _public_project, e) for k, e in PUBLIC_PROJECT.items()),
    *(Variant(k, "Berichtsentwurf Soest", _draft_report, e) for k, e in DRAFT_REPORT.items()),
    *(Variant(k, "Presseentwurf Soest", _partner_draft, e) for k, e in PARTNER_DRAFT.items()),
]

# POST bodies for the horizontal check where an empty body would prove nothing: the other
# municipality names Soest's objects in the body. (Form pages get the office's own form,
# filled in and changed, see tests/test_url_roles.py.)
POST_DATA: dict[str, Callable[[RoleWorld], dict]] = {
    "stakeholders:contact_bulk": lambda world: {
        "action": "tag",
        "tag": "von-aussen",
        "contacts": [world.contact.pk],
    },
    "projects:milestone_done": lambda world: {"done": "1"},
    "projects:report_return": lambda world: {"comment": "Bitte ergänzen."},
}
