"""The authentication backend: Django's ModelBackend, giving the request's user the role
and municipality every page asks for without a query of its own."""

import functools

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


@functools.cache
def _users_with_roles():
    """The queryset for an account whose role is not kept, built once per process:
    resolving its EXISTS annotations on every request cost more CPU than the query they
    save (each `get` clones it)."""
    return access.with_roles(get_user_model()._default_manager.select_related("municipality"))


class ModelBackend(backends.ModelBackend):
    """`get_user` (once per request, from the session) reads the user row from the database
    on every request, so a deactivated account or a changed password counts from the next
    request on, however it was written. The role and the municipality are kept in the
    cache in the accounts' generation: a role given or taken away is a write, which starts
    a new generation, so it too counts from the next request on. Without them kept, the
    row is read with its role (an EXISTS per role group) and municipality (joined), still
    in one query; with them, the plain row: that join and those EXISTS on every page were
    a third of a cached page's time."""

    def get_user(self, user_id):
        caching.read_for_user(user_id)  # the generations and the user's keys, at once
        key = f"account:{user_id}"
        state, kept = caching.read_in_generations(key, [GENERATION])
        users = _users_with_roles() if kept is None else get_user_model()._default_manager
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        if kept is not None and kept[0] == user.municipality_id:
            _municipality_id, role_value, municipality = kept
            access.remember_role(user, access.Role(role_value) if role_value else None)
            if municipality is not None:
                user.municipality = municipality
            return user
        # Not kept, or the row names another municipality than the one kept (changed
        # without a signal): the role from the row's flags, or the groups if it was not
        # read with them, and the municipality from the join, or read now.
        role = access.role_of(user)
        municipality = user.municipality if user.municipality_id else None
        kept = (user.municipality_id, role.value if role else None, municipality)
        caching.keep_in_generations(key, state, kept, ACCOUNT_SECONDS)
        return user
