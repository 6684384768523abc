"""The site's URLs plus views that fail, for the error page tests (DEBUG off)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.urls import path

from soest_office.urls import (  # noqa: F401 (the handlers are looked up in this module)
    handler400,
    handler403,
    handler404,
    handler500,
)
from soest_office.urls import (
    urlpatterns as site_patterns,
)


@login_not_required
def boom(request):
    raise RuntimeError("kaputt")


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("bad input")


urlpatterns = [
    path("test-fehler/500/", boom),
    path("test-fehler/400/", suspicious),
    *site_patterns,
]
