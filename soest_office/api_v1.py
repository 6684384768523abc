"""The open-data API /api/v1/ (django-ninja): read-only JSON of what the public may see.

The kernel owns the API object, the pagination, the error answers and the DCAT-AP.de
catalogue; the apps bring their routes as `opendata.ApiSection`s from their `api.py`
(registry `plugins.OPEN_DATA`), each answering only what its rules let the anonymous visitor
see. Every answer names the licence: list bodies carry `license`, errors too, and every
response of /api/ has a `Link: <…>; rel="license"` header (middleware.OpenDataMiddleware).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase

from .opendata import LICENCE, LICENCE_URL
from .plugins import OPEN_DATA

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# DCAT-AP.de's URI for the licence (https://www.dcat-ap.de/def/licenses/).
DCAT_LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"


class LicenceOut(Schema):
    name: str
    id: str
    url: str
    attribution: str


class Page(PaginationBase):
    """Page-number pagination with a capped page size and the licence in the body. A page
    size over the cap or below 1 is a 400 with a German message, never silently clamped."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="Seite, ab 1")
        page_size: int = Field(
            PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Einträge je Seite, 1 bis {MAX_PAGE_SIZE}",
        )

    class Output(Schema):
        license: LicenceOut
        count: int
        page: int
        page_size: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params):
        count = queryset.count()
        size, number = pagination.page_size, pagination.page
        start = (number - 1) * size

        def link(to: int) -> str:
            query = request.GET.copy()
            query["page"] = str(to)
            query["page_size"] = str(size)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "license": LICENCE,
            "count": count,
            "page": number,
            "page_size": size,
            "next": link(number + 1) if start + size < count else None,
            "previous": link(number - 1) if number > 1 and start - size < count else None,
            "results": list(queryset[start : start + size]),
        }


_MESSAGES = {
    "less_than_equal": "ist zu groß (höchstens {le})",
    "greater_than_equal": "ist zu klein (mindestens {ge})",
    "int_parsing": "ist keine ganze Zahl",
    "bool_parsing": "ist kein Wahrheitswert (true oder false)",
    "date_from_datetime_parsing": "ist kein Datum (JJJJ-MM-TT)",
    "date_parsing": "ist kein Datum (JJJJ-MM-TT)",
    "string_too_long": "ist zu lang (höchstens {max_length} Zeichen)",
    "missing": "fehlt",
}


def _german(error: dict) -> str:
    name = str(error.get("loc", ["?"])[-1])
    template = _MESSAGES.get(error.get("type", ""), "ist ungültig")
    return f"Parameter „{name}“ {template.format(**(error.get('ctx') or {}))}"


def error_response(status: int, detail: str, errors: list[str] | None = None) -> JsonResponse:
    body = {"detail": detail, "errors": errors or [], "license": LICENCE}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Offene Daten der Digitalen Modellregion Soest",
        version="1",
        description=(
            "Öffentliche Vorhaben, ihre öffentlichen Meilensteine, veröffentlichte "
            "Pressemitteilungen und angenommene Beiträge der Bürgerbeteiligung, nur lesend. "
            f"Lizenz: {LICENCE['name']} ({LICENCE_URL})."
        ),
        urls_namespace="api_v1",
        openapi_url="/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN: not offline-safe
        openapi_extra={"info": {"license": {"name": LICENCE["name"], "url": LICENCE_URL}}},
    )

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request, exc):
        errors = [_german(error) for error in exc.errors]
        return error_response(400, "Ungültige Anfrage: " + "; ".join(errors), errors)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, "Nicht gefunden (oder nicht öffentlich).")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return error_response(exc.status_code, str(exc))

    @api.get("/", url_name="index", summary="Übersicht der Schnittstelle", response={200: dict})
    def index(request):
        def url(name):
            return request.build_absolute_uri(reverse(f"api_v1:{name}"))

        return {
            "title": api.title,
            "license": LICENCE,
            "openapi": url("openapi-json"),
            "catalogue": url("katalog"),
            "datasets": {
                dataset.key: request.build_absolute_uri(url("index") + dataset.path)
                for section in OPEN_DATA
                for dataset in section.datasets
            },
        }

    @api.get(
        "/katalog",
        url_name="katalog",
        summary="DCAT-AP.de-Katalog der Datensätze (JSON-LD)",
        response={200: dict},
    )
    def katalog(request):
        response = JsonResponse(
            catalogue(request), json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
        response["Content-Type"] = "application/ld+json; charset=utf-8"
        return response

    for section in OPEN_DATA:
        api.add_router(section.prefix, section.router)
    return api


def catalogue(request) -> dict:
    """The DCAT-AP.de catalogue of every registered data set, as JSON-LD."""
    base = request.build_absolute_uri(reverse("api_v1:katalog")).rsplit("katalog", 1)[0]
    publisher = {
        "@type": "foaf:Organization",
        "foaf:name": LICENCE["attribution"],
        "foaf:homepage": {"@id": request.build_absolute_uri("/")},
    }
    now = timezone.now().isoformat(timespec="seconds")
    datasets = []
    for section in OPEN_DATA:
        for dataset in section.datasets:
            url = base + dataset.path
            datasets.append(
                {
                    "@id": f"{base}katalog#{dataset.key}",
                    "@type": "dcat:Dataset",
                    "dct:identifier": dataset.key,
                    "dct:title": {"@value": dataset.title, "@language": "de"},
                    "dct:description": {"@value": dataset.description, "@language": "de"},
                    "dcat:keyword": [{"@value": k, "@language": "de"} for k in dataset.keywords],
                    "dcat:theme": {
                        "@id": f"http://publications.europa.eu/resource/authority/data-theme/{dataset.theme}"
                    },
                    "dct:publisher": publisher,
                    "dct:modified": {"@value": now, "@type": "xsd:dateTime"},
                    "dcatde:contributorID": {
                        "@id": "http://dcat-ap.de/def/contributors/modellregionSoest"
                    },
                    "dcat:distribution": {
                        "@id": f"{url}#json",
                        "@type": "dcat:Distribution",
                        "dct:title": {"@value": f"{dataset.title} (JSON)", "@language": "de"},
                        "dcat:accessURL": {"@id": url},
                        "dcat:mediaType": {
                            "@id": "https://www.iana.org/assignments/media-types/application/json"
                        },
                        "dct:format": {
                            "@id": "http://publications.europa.eu/resource/authority/file-type/JSON"
                        },
                        "dct:license": {"@id": DCAT_LICENCE},
                        "dcatde:licenseAttributionByText": LICENCE["attribution"],
                        "dct:conformsTo": {"@id": base + "openapi.json"},
                    },
                }
            )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatde": "http://dcat-ap.de/def/dcatde/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": f"{base}katalog",
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "Offene Daten der Digitalen Modellregion Soest", "@language": "de"},
        "dct:description": {
            "@value": "Daten der Modellregion Soest, Lippstadt, Iserlohn und Kreis Soest.",
            "@language": "de",
        },
        "dct:publisher": publisher,
        "dct:license": {"@id": DCAT_LICENCE},
        "dct:rights": f"{LICENCE['name']}, {LICENCE_URL}",
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/DEU"},
        "dcat:dataset": datasets,
        "license": LICENCE,
    }


def _open_for_reading(view):
    """The API's view, open without login (LoginRequiredMiddleware) and for GET/HEAD only;
    a plain function, so the URL walkers of the tests can read its declared methods."""

    def api_view(request, *args, **kwargs):
        # HEAD is GET without the body (ninja knows only GET): the server drops the body.
        if request.method == "HEAD":
            request.method = "GET"
        return view(request, *args, **kwargs)

    return login_not_required(require_safe(api_view))


def urlpatterns_of(api: NinjaAPI):
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _open_for_reading(pattern.callback)
    return patterns, app_name, namespace
