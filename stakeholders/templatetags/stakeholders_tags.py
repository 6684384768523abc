from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.inclusion_tag("stakeholders/_datalists.html")
def datalists(*forms):
    """One <datalist> of suggestions per LookupField kind in these forms (each once)."""
    from stakeholders.lookups import datalists

    return {"datalists": datalists(*forms)}
