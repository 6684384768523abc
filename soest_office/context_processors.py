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
