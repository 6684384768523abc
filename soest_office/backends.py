"""The authentication backend: Django's ModelBackend, loading the request's user with
what every page asks of it in the same query."""

import functools

from django.contrib.auth import backends, get_user_model

from . import access


@functools.cache
def _users():
    """The queryset `get_user` starts from, built once per process: resolving its EXISTS
    annotations on every request cost more CPU than the query they save (each `get`
    clones it)."""
    return access.with_roles(get_user_model()._default_manager.select_related("municipality"))


class ModelBackend(backends.ModelBackend):
    """`get_user` (once per request, from the session) reads the user's role (EXISTS per
    role group, `access.with_roles`) and municipality (joined) with the user row: every
    intranet page asks for the role, and a partner's pages name the municipality. Both come
    from the database on every request, so a role taken away or an account deactivated
    counts from the next request on, as before."""

    def get_user(self, user_id):
        try:
            user = _users().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
