import contextvars
import logging
import uuid

from django.conf import settings

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
