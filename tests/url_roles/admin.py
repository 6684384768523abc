"""Rows of the Django admin: one rule for the whole namespace, and the rows that override it."""

from .expect import LOGIN, Expect, same

ADMIN = {
    # The admin sends a logged-in non-staff user from its logout to its index (then login).
    "admin:logout": same(302),
}

# Whole namespaces with one rule. The Django admin is for staff (superusers); no role of
# DESIGN.md is staff, so every role is sent to the (admin's) login, on every admin URL.
NAMESPACE_RULES: dict[str, Expect] = {
    "admin": same(LOGIN),
}
