import functools

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from soest_office.access import VIEW

from ..dashboard import dashboard_html
from ..rules import PROJECT

register = template.Library()


@register.simple_tag(takes_context=True)
def projects_dashboard(context):
    """The projects panel of the home page, for whoever the project rule lets read the
    intranet's projects (not the public's: they have /vorhaben/)."""
    user = context["request"].user
    if not user.is_authenticated or not PROJECT.permits(user, VIEW):
        return ""
    return dashboard_html(user)


@register.simple_tag
def projects_light(obj):
    """The traffic light of a project or report, with its name for screen readers. A tag,
    not an include: lists draw one per row."""
    return format_html(
        '<span class="ampel ampel-{}"><span class="visually-hidden">{} </span>{}</span>',
        obj.light_css,
        _("Ampel:"),
        obj.get_traffic_light_display(),
    )


@register.simple_tag
def projects_bar(kind, value):
    """A decorative bar (aria-hidden: the tables carry the figures). A tag, not an include:
    the dashboard draws about a hundred of them. SVG attributes need a decimal point, so the
    value is written without localisation."""
    return format_html(
        '<svg class="projects-bar" viewBox="0 0 100 6" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect class="projects-bar-track" x="0" y="0" '
        'width="100" height="6"/><rect class="projects-bar-{}" x="0" y="0" width="{}" '
        'height="6"/></svg>',
        kind,
        str(value),
    )


@register.simple_tag
def projects_matrix_cell(cell):
    """One cell of the municipality × field matrix: the number of projects and their lights.
    A tag: the matrix has hundreds of cells, each a handful of template nodes otherwise."""
    return _matrix_cell(cell.total_text, cell.parts)


@functools.lru_cache(maxsize=1024)
def _matrix_cell(total_text: str, parts: tuple) -> str:
    """The cell's HTML, made once per distinct content: many cells of the matrix read
    alike, and their text is already translated and formatted (`dashboard.Cell.finish`)."""
    if not parts:
        return mark_safe('<span class="text-body-secondary">–</span>')
    return format_html(
        '<strong>{}</strong> <span class="d-block small">{}</span>',
        total_text,
        format_html_join("", '<span class="ampel ampel-{}">{} {}</span> ', parts),
    )
