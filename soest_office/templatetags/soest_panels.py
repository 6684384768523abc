"""`{% panels "slot" obj %}`: the sections other apps add to a page (soest_office.plugins.Panel).

The page names its slot and passes its object; each registered panel of the slot decides
from its own app's rules what the user sees, or leaves itself out.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from soest_office.plugins import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, obj):
    request = context.get("request")
    rendered = []
    for panel in panels_for(slot):
        panel_context = panel.context(request, obj)
        if panel_context is not None:
            rendered.append(
                render_to_string(panel.template_name, {"object": obj, **panel_context}, request)
            )
    # Each part is a template rendered with autoescaping; joining keeps it safe.
    return mark_safe("".join(rendered))
