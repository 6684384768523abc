"""The error pages: German, in the site's layout, each saying what happened and where to go.

Wired in soest_office/urls.py (handler400/403/404/500) and settings.CSRF_FAILURE_VIEW. The
4xx pages render with the request (so the navigation shows what the user may see; the public
sees none). The 500 page renders without the request and its context processors: it must
work when the database is what failed. It shows the request's reference (RequestIdMiddleware)
that the log line of the error carries as well.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .middleware import current_request_id


def _context(request, **extra) -> dict:
    return {"office_email": settings.OFFICE_EMAIL, "request_id": current_request_id(), **extra}


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "errors/400.html", _context(request), status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", _context(request), status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", _context(request), status=404)


@requires_csrf_token
def csrf_failure(request, reason=""):
    # The reason is technical English (Django's); it goes to no one but the log.
    return render(request, "errors/403_csrf.html", _context(request), status=403)


def server_error(request):
    # No request in the context: no context processor (user, role, messages) touches the
    # database or the session, which may be what failed.
    html = loader.get_template("errors/500.html").render(
        {"office_email": settings.OFFICE_EMAIL, "request_id": current_request_id()}
    )
    return HttpResponseServerError(html)
