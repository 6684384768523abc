from django import template

from soest_office import access

from ..dashboard import dashboard_data

register = template.Library()


@register.inclusion_tag("projects/_dashboard.html", takes_context=True)
def projects_dashboard(context):
    """The projects panel of the home page, for any user with an intranet role."""
    user = context["request"].user
    if not access.can_read_intranet(user):
        return {"show": False}
    return {"show": True, **dashboard_data(user)}
