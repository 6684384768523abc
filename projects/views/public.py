"""The public transparency export (no login): projects marked public, JSON and CSV."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from .. import transparency


def _serve(name: str, content_type: str, renderer) -> HttpResponse:
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    else:
        # Before the first nightly run: build it now (same content as the job's).
        content = renderer(transparency.public_rows())
    response = HttpResponse(content, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
@login_not_required
def transparency_json(request):
    return _serve(
        settings.PROJECTS_TRANSPARENCY_JSON,
        "application/json; charset=utf-8",
        transparency.render_json,
    )


@require_safe
@login_not_required
def transparency_csv(request):
    return _serve(
        settings.PROJECTS_TRANSPARENCY_CSV, "text/csv; charset=utf-8", transparency.render_csv
    )
