"""The public transparency list (no login): projects marked public, JSON and CSV, built on
each request (always current)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from soest_office.opendata import LICENCE

from .. import transparency


def _serve(content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    response["Link"] = f'<{LICENCE["url"]}>; rel="license"'
    return response


@require_safe
@login_not_required
def transparency_json(request):
    rows = transparency.public_rows()
    return _serve(transparency.render_json(rows), "application/json; charset=utf-8")


@require_safe
@login_not_required
def transparency_csv(request):
    rows = transparency.public_rows()
    return _serve(transparency.render_csv(rows), "text/csv; charset=utf-8")
