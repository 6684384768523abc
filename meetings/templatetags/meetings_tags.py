from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..models import ActionItem

register = template.Library()


def _status_form_parts(context) -> dict:
    """What every status form of one rendered table shares, worked out once per table: the
    CSRF field, the page to come back to, the texts and the <option>s for each status."""
    parts = context.render_context.get("meetings_action_status")
    if parts is None:
        choices = [(value, str(label)) for value, label in ActionItem.Status.choices]
        parts = {
            "csrf": CsrfTokenNode().render(context),
            "next": context["request"].get_full_path(),
            "label": _("Status von „%(t)s“"),
            "save": _("Speichern"),
            "options": {
                status: format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (value, " selected" if value == status else "", label)
                        for value, label in choices
                    ),
                )
                for status, _label in choices
            },
        }
        context.render_context["meetings_action_status"] = parts
    return parts


@register.simple_tag(takes_context=True)
def action_status(context, item):
    """The status cell of an action item in a table: a small form to change the status for
    those the rule lets (`item.may_update_status`, annotated by `ACTION_ITEM.annotate`),
    else the status as text.

    Built in Python rather than a template included per row: on the action item list (50
    rows) the include with its loop over the statuses was two thirds of the table's
    rendering time (cProfile at benchmark scale). The HTML is the one the template wrote."""
    if not getattr(item, "may_update_status", False):
        return item.get_status_display()
    parts = _status_form_parts(context)
    pk = str(item.pk)
    return format_html(
        '<form method="post" action="{}" class="d-flex gap-1 align-items-center">{}'
        '<input type="hidden" name="next" value="{}#aufgabe-{}">\n'
        '<label class="visually-hidden" for="status-{}">{}</label>\n'
        '<select class="form-select form-select-sm w-auto" name="status" id="status-{}">{}'
        "</select>\n"
        '<button type="submit" class="btn btn-sm btn-outline-primary">{}</button></form>',
        reverse("meetings:action_status", args=[item.pk]),
        parts["csrf"],
        parts["next"],
        pk,
        pk,
        parts["label"] % {"t": item.title},
        pk,
        parts["options"].get(item.status, ""),
        parts["save"],
    )
