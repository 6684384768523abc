"""The authentication backend: Django's ModelBackend, giving the request's user the role
and municipality every page asks for without a query of its own."""

from django.contrib.auth import backends, get_user_model

from . import access, caching

# The cache generation of the accounts: every write to a user (but a login's last_login),
# their groups (the role), a group, a municipality or the account settings starts a new
# one (connected in SoestOfficeConfig.ready).
GENERATION = "accounts"
# How long a role and municipality are kept: a role changed without a signal (raw SQL on
# the group table; the project's code always goes through the ORM) counts after this long.
ACCOUNT_SECONDS = 300


def connect_generation() -> None:
    from django.contrib.auth.models import Group

    from .accounts.models import AccountSettings
    from .models import Municipality

    # The account settings too: the rules read them (whether partners may invite), and
    # the home page keeps what the rules gave in this generation.
    caching.bump_on_writes(
        GENERATION,
        [get_user_model(), Group, Municipality, AccountSettings],
        ignore_fields={"last_login"},
    )


def _with_role_and_municipality(user):
    """Put the user's role and municipality on `user` (read by `access.role_of` and
    `user.municipality`), from the cache in the accounts' generation: on every page, reading
    them with the row (a join and an EXISTS per role) took a third of a cached page's
    time. The key holds the municipality id of the row just read, so a row changed in any
    way never meets a municipality it no longer names."""
    key = f"account:{user.pk}:{user.municipality_id or '-'}"
    state, kept = caching.read_in_generations(key, [GENERATION])
    if kept is None:
        role = access.role_of(user)
        kept = (role.value if role else None, user.municipality if user.municipality_id else None)
        caching.keep_in_generations(key, state, kept, ACCOUNT_SECONDS)
        return
    role_value, municipality = kept
    access.remember_role(user, access.Role(role_value) if role_value else None)
    if municipality is not None:
        user.municipality = municipality


class ModelBackend(backends.ModelBackend):
    """`get_user` (once per request, from the session) reads the user row itself from the
    database on every request, so a deactivated account or a changed password counts from
    the next request on, however it was written. The role and the municipality come from
    the cache (`_with_role_and_municipality`): a role given or taken away is a write, which
    starts a new generation, so it too counts from the next request on."""

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            _with_role_and_municipality(user)
        return user
