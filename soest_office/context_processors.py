from django.utils.functional import SimpleLazyObject

from . import access


def roles(request):
    """The current user's role for navigation and page furniture."""
    user = getattr(request, "user", None)
    role = access.role_of(user)
    return {
        "user_role": role,
        "is_office": role is access.Role.OFFICE,
        "is_partner": role is access.Role.PARTNER,
        "is_steering": role is access.Role.STEERING,
    }


def inbox(request):
    """The inbox count of the navigation: computed only when a page shows it, in one query
    (soest_office.inbox.inbox_total), kept for the request and, per user, in the cache
    until a row it counts is written (soest_office.inbox.cached_inbox_total; the /aufgaben/
    page itself is always current and refreshes the kept count)."""
    user = getattr(request, "user", None)

    def total():
        cached = getattr(request, "_inbox_total", None)
        if cached is None:
            from .inbox import cached_inbox_total

            cached = request._inbox_total = cached_inbox_total(user)
        return cached

    return {"inbox_count": SimpleLazyObject(total)}
