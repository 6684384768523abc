"""The open-data API /api/v1/: answers valid against the served OpenAPI description, the
licence in every answer, pagination with a capped page size, CORS for GET, the DCAT-AP.de
catalogue, and nothing non-public ever in it (issue 18)."""

import io
import json

import jsonschema
import pytest
import rdflib
from django.core.management import call_command

from news.models import PressRelease
from projects.models import Milestone, Project

pytestmark = pytest.mark.django_db

LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"
LISTS = [
    "/api/v1/vorhaben/",
    "/api/v1/meilensteine/",
    "/api/v1/pressemitteilungen/",
    "/api/v1/beitraege/",
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def validate(spec, path_template, response):
    """Check a response body against the schema the OpenAPI description gives for it."""
    operation = spec["paths"][path_template]["get"]
    schema = operation["responses"][str(response.status_code)]["content"]["application/json"][
        "schema"
    ]
    jsonschema.validate(
        response.json(),
        {**schema, "components": spec["components"]},
        cls=jsonschema.Draft202012Validator,
    )


def test_lists_validate_against_the_openapi_description_and_name_the_licence(client, demo, spec):
    for path in LISTS:
        response = client.get(path)
        assert response.status_code == 200, path
        validate(spec, path, response)
        body = response.json()
        assert body["license"]["url"] == LICENCE_URL
        assert body["license"]["name"] == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
        assert body["count"] >= 1
        assert response["Link"] == f'<{LICENCE_URL}>; rel="license"'
        assert response["Access-Control-Allow-Origin"] == "*"
    detail = client.get("/api/v1/vorhaben/3d-stadtmodell")
    validate(spec, "/api/v1/vorhaben/{slug}", detail)
    assert detail.json()["license"]["url"] == LICENCE_URL


def test_nothing_non_public_appears(client, demo):
    projects = client.get("/api/v1/vorhaben/?page_size=100").json()["results"]
    assert {p["slug"] for p in projects} == set(
        Project.objects.filter(is_public=True, archived_at__isnull=True).values_list(
            "slug", flat=True
        )
    )
    raw = json.dumps(projects, ensure_ascii=False)
    for project in Project.objects.all():
        if project.traffic_light_reason:
            assert project.traffic_light_reason not in raw
    funding = {p["slug"]: p["funding_granted_eur"] for p in projects}
    assert funding["projektbuero"] == "1250000.00"
    assert funding["3d-stadtmodell"] is None
    assert "total_budget" not in raw
    assert "traffic_light" not in raw

    milestones = client.get("/api/v1/meilensteine/?page_size=100").json()["results"]
    assert {m["id"] for m in milestones} == set(
        Milestone.objects.filter(
            is_public=True, project__is_public=True, project__archived_at__isnull=True
        ).values_list("pk", flat=True)
    )
    releases = client.get("/api/v1/pressemitteilungen/?page_size=100").json()["results"]
    assert {r["slug"] for r in releases} == set(
        PressRelease.objects.published().values_list("slug", flat=True)
    )
    hidden = set(Project.objects.filter(is_public=False).values_list("slug", flat=True))
    assert not hidden & {slug for r in releases for slug in r["projects"]}
    for slug in hidden:
        response = client.get(f"/api/v1/vorhaben/{slug}")
        assert response.status_code == 404
        assert response.json()["license"]["url"] == LICENCE_URL


def test_only_accepted_contributions_without_addresses(client, demo):
    from participation.models import Contribution

    answer = client.get("/api/v1/beitraege/?page_size=100").json()
    published = Contribution.objects.filter(
        status=Contribution.Status.ACCEPTED,
        participation__enabled=True,
        participation__project__is_public=True,
    )
    assert {c["id"] for c in answer["results"]} == set(published.values_list("pk", flat=True))
    assert Contribution.objects.exclude(pk__in=published).exists()
    raw = json.dumps(answer, ensure_ascii=False)
    for contribution in Contribution.objects.all():
        if contribution.email:
            assert contribution.email not in raw
        if contribution.author_name and not contribution.show_name:
            assert contribution.author_name not in raw
        if contribution.reject_reason:
            assert contribution.reject_reason not in raw
    answered = client.get("/api/v1/beitraege/?beantwortet=true").json()["results"]
    assert answered
    assert all(c["answer"]["text"] for c in answered)


def test_pagination_links_and_capped_page_size(client, demo, spec):
    first = client.get("/api/v1/meilensteine/?page_size=2")
    body = first.json()
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    second = client.get(body["next"]).json()
    assert not {m["id"] for m in second["results"]} & {m["id"] for m in body["results"]}

    for query in ("page_size=100000", "page_size=0", "page=0", "page=abc", "page_size=-5"):
        response = client.get(f"/api/v1/vorhaben/?{query}")
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"].startswith("Ungültige Anfrage: Parameter")
        assert response.json()["license"]["url"] == LICENCE_URL
    assert client.get("/api/v1/vorhaben/?page=99").json()["results"] == []


def test_unknown_filters_and_sql_in_parameters_are_harmless(client, demo):
    everything = client.get("/api/v1/vorhaben/").json()["count"]
    assert client.get("/api/v1/vorhaben/?unbekannt=1&order_by=secret").json()["count"] == everything
    for value in ("soest' OR '1'='1", "1; DROP TABLE projects_project; --", "%", "*"):
        response = client.get("/api/v1/vorhaben/", {"kommune": value, "handlungsfeld": value})
        assert response.status_code == 200
        assert response.json()["count"] == 0
    assert client.get("/api/v1/vorhaben/").json()["count"] == everything
    filtered = client.get("/api/v1/vorhaben/", {"kommune": "iserlohn"}).json()["results"]
    assert filtered
    for project in filtered:
        slugs = {project["lead_municipality"]["slug"]} | {
            m["slug"] for m in project["participating_municipalities"]
        }
        assert "iserlohn" in slugs
    response = client.get("/api/v1/pressemitteilungen/", {"seit": "gestern"})
    assert response.status_code == 400
    assert "kein Datum" in response.json()["detail"]


def test_only_reading_with_cors_preflight(client):
    preflight = client.options(
        "/api/v1/vorhaben/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert client.post("/api/v1/vorhaben/", {}).status_code == 405
    head = client.head("/api/v1/vorhaben/")
    assert head.status_code == 200
    assert head["Link"] == f'<{LICENCE_URL}>; rel="license"'


def test_dcat_catalogue_parses_as_json_ld_and_lists_every_dataset(client, demo):
    response = client.get("/api/v1/katalog")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dct = rdflib.namespace.DCTERMS
    (catalog,) = graph.subjects(rdflib.RDF.type, dcat.Catalog)
    datasets = set(graph.objects(catalog, dcat.dataset))
    assert {str(graph.value(d, dct.identifier)) for d in datasets} >= {
        "vorhaben",
        "meilensteine",
        "pressemitteilungen",
    }
    for dataset in datasets:
        distribution = graph.value(dataset, dcat.distribution)
        access_url = str(graph.value(distribution, dcat.accessURL))
        assert access_url.startswith("http://testserver/api/v1/")
        assert client.get(access_url).status_code == 200
        assert str(graph.value(distribution, dct.license)) == (
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        )
    assert LICENCE_URL in str(graph.value(catalog, dct.rights))


def test_list_query_counts_stay_flat(client, demo, django_assert_max_num_queries):
    for path in LISTS:
        with django_assert_max_num_queries(6):
            client.get(f"{path}?page_size=100")
