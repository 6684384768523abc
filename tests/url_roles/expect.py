"""The columns of the role table, a row (`Expect`, written `E(...)`) and the rows many pages
share."""

from __future__ import annotations

from typing import NamedTuple

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
        """The row as it is written in its app's module."""
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
# Actions that take a POST only: a GET is 405 for every logged-in role.
POST_ONLY = same(405)
