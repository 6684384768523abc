from django import template

from participation import text

register = template.Library()


@register.filter
def contribution_html(value: str, links: bool = False):
    """The escaped text with line breaks; links clickable only when `links` is true (only
    for accepted contributions)."""
    return text.render(value, links=bool(links))
