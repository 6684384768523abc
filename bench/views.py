"""The "limit" reference: a bare view that runs one query and renders a small template
(like TechEmpower's "fortunes" test). Mounted only by bench.urls."""

from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.views.decorators.http import require_safe

from soest_office.models import Municipality

_TEMPLATE = engines["django"].from_string(
    (Path(__file__).resolve().parent / "limit.html").read_text(encoding="utf-8")
)


@login_not_required
@require_safe
def limit(request):
    rows = list(Municipality.objects.order_by("name").values_list("name", "slug"))
    return HttpResponse(_TEMPLATE.render({"rows": rows}))
