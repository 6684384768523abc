import contextvars
import logging
import time
import uuid

from django.conf import settings

from . import caching

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The reference of the request being served ("-" outside a request)."""
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request a short reference: the log records carry it (RequestIdFilter), the
    error page shows it, the response has it in `X-Request-ID`. So a user's "Referenz
    3f9a…" finds the log lines of the failure."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex[:12]
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            # Django turns an exception into the 500 page and logs it inside this call,
            # so both still see the reference.
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers.setdefault("X-Request-ID", request_id)
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's reference on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class CacheScopeMiddleware:
    """A request reads the cache generations once, with its first cached part, and every
    other part of the page in the same state (soest_office.caching.request_scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with caching.request_scope():
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header, which Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class OpenDataMiddleware:
    """CORS for reading the open-data API (/api/) from any origin, and the licence link on
    every answer of it. Only GET/HEAD are served (the API has no other operations); a
    preflight OPTIONS is answered here, before the login check."""

    PREFIX = "/api/"
    HEADERS = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Content-Type",
        "Access-Control-Max-Age": "86400",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.PREFIX):
            return self.get_response(request)
        from django.http import HttpResponse

        from .opendata import LICENCE_URL

        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        for name, value in self.HEADERS.items():
            response[name] = value
        response["Link"] = f'<{LICENCE_URL}>; rel="license"'
        response.headers.setdefault("Cache-Control", "public, max-age=60")
        return response


# When the session's expiry was last renewed (seconds since the epoch), kept in the session.
SESSION_RENEWED_KEY = "_soest_renewed_at"


class SessionRenewalMiddleware:
    """The sliding idle timeout, written at most every SESSION_RENEW_SECONDS: Django's
    SESSION_SAVE_EVERY_REQUEST writes the session (and sends its cookie) on every request, a
    write transaction per page view that was a third of a cached page's time under load
    (bench/README.md, issue 20). Here a request renews the expiry only when the last renewal
    is older than that; the session then counts as changed, and Django's SessionMiddleware
    saves it and sends the cookie with the full SESSION_COOKIE_AGE. So a session ends between
    SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS and SESSION_COOKIE_AGE after the last request,
    in the database and in the browser alike. Placed after SessionMiddleware, so its
    response half runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        renewed = session.get(SESSION_RENEWED_KEY, 0)  # reads the session if not yet read
        now = int(time.time())
        # is_empty() again: a cookie naming no valid session reads as empty.
        if not session.is_empty() and now - renewed >= settings.SESSION_RENEW_SECONDS:
            session[SESSION_RENEWED_KEY] = now
        return response
