"""The form renderer: Django's templates, but <select> elements built in Python.

Django renders every <option> through three template includes; a filter form with a few
selects of 40 municipalities and 20 office users spent 40 % of a list page's time there
(cProfile of the project list at benchmark scale). The HTML is the same, character for
character, as the templates' (`soest_office/tests/test_forms_renderer.py` compares both);
widgets with their own option template still go through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """What `{{ value }}` writes: localized, then escaped (unless already safe)."""
    return conditional_escape(localize(value))


def _attribute_value(value) -> str:
    """What `{{ value|stringformat:'s' }}` writes: str(), escaped unless safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_attribute_value(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict) -> str | None:
    """django/forms/widgets/select.html for the context `widget`; None when an option has a
    template of its own."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            # The option template ends with a line break, which the include keeps.
            parts.append(
                f'\n  <option value="{_attribute_value(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
