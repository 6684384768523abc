from django.conf import settings


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
