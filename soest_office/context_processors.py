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
    """The inbox count of the navigation: one query, only when a page shows it, once per
    request."""
    user = getattr(request, "user", None)

    def total():
        cached = getattr(request, "_inbox_total", None)
        if cached is None:
            from .inbox import inbox_total

            cached = request._inbox_total = inbox_total(user)
        return cached

    return {"inbox_count": SimpleLazyObject(total)}
