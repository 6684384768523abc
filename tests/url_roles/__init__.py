"""The expected answer of every URL pattern for every role: DESIGN.md's role table, page by page.

One row per named URL pattern (test_table.py beside it walks the resolver and fails for a
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

The sample objects come from tests/url_samples/ and belong to Soest. VARIANTS repeats a
pattern with another sample where the role table says more (a municipality's drafts).

Adding a page is one line in its app's module (tests/url_roles/<app>.py), e.g.

    "projects:report_list": E(LOGIN, 200, 200, 200, 200, 403),

and, for a URL that changes an object, `post_other=` at its end. When a pattern has no row,
the test prints that line with the statuses it observed: check them against DESIGN.md, do
not paste them blindly.

The parts: `expect` (columns and rows), one module per app, `variants`; the tests beside them
ask every pattern as every role (`probe`): `test_table`, `test_get`, `test_post`.
"""

from __future__ import annotations

from .admin import ADMIN, NAMESPACE_RULES
from .expect import (
    LOGIN,
    NOT_SCOPED,
    OFFICE_ONLY_403,
    OFFICE_ONLY_404,
    POSITIONAL_ROLES,
    POST_ONLY,
    PUBLIC,
    READ,
    ROLE_FIXTURES,
    ROLES,
    E,
    Expect,
    same,
)
from .meetings import MEETINGS
from .news import NEWS
from .open_data import OPEN_DATA
from .participation import PARTICIPATION
from .projects import PROJECTS
from .soest_office import SOEST_OFFICE
from .stakeholders import STAKEHOLDERS
from .subscriptions import SUBSCRIPTIONS
from .variants import POST_DATA, VARIANTS, RoleWorld, Variant

__all__ = [
    "LOGIN",
    "NAMESPACE_RULES",
    "NOT_SCOPED",
    "OFFICE_ONLY_403",
    "OFFICE_ONLY_404",
    "POSITIONAL_ROLES",
    "POST_DATA",
    "POST_ONLY",
    "PUBLIC",
    "READ",
    "ROLES",
    "ROLE_FIXTURES",
    "SECTIONS",
    "TABLE",
    "VARIANTS",
    "E",
    "Expect",
    "RoleWorld",
    "Variant",
    "expected_for",
    "same",
]

SECTIONS = {
    "admin": ADMIN,
    "soest_office": SOEST_OFFICE,
    "projects": PROJECTS,
    "stakeholders": STAKEHOLDERS,
    "news": NEWS,
    "subscriptions": SUBSCRIPTIONS,
    "participation": PARTICIPATION,
    "api_v1": OPEN_DATA,
    "meetings": MEETINGS,
}
TABLE: dict[str, Expect] = {
    key: row for section in SECTIONS.values() for key, row in section.items()
}


def expected_for(key: str) -> Expect | None:
    if key in TABLE:
        return TABLE[key]
    return NAMESPACE_RULES.get(key.split(":", 1)[0])
