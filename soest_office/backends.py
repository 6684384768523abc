"""The authentication backend: Django's ModelBackend, loading the request's user with
what every page asks of it in the same query."""

from django.contrib.auth import backends, get_user_model

from . import access


class ModelBackend(backends.ModelBackend):
    """`get_user` (once per request, from the session) reads the user's role (EXISTS per
    role group, `access.with_roles`) and municipality (joined) with the user row: every
    intranet page asks for the role, and a partner's pages name the municipality. Both come
    from the database on every request, so a role taken away or an account deactivated
    counts from the next request on, as before."""

    def get_user(self, user_id):
        User = get_user_model()
        users = access.with_roles(User._default_manager.select_related("municipality"))
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
