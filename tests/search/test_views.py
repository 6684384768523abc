"""/suche/ and /suche/vorschlaege/: access, rendering, facets, pagination, query counts."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from projects.models import Project
from soest_office.search.engine import PAGE_SIZE
from soest_office.search.indexing import search_index_bulk

SEARCH = reverse("soest_office:search")
SUGGEST = reverse("soest_office:search_suggest")


@pytest.fixture
def two_projects(make_project):
    make_project(
        "Bürgerbüro Lippstadt digital",
        lead="lippstadt",
        summary="Förderbescheid für das <em>neue</em> Bürgerbüro",
    )
    make_project("3D-Stadtmodell Soest", summary="Digitaler Zwilling", field="infrastruktur")


def test_anonymous_is_sent_to_the_login(client, two_projects):
    response = client.get(SEARCH, {"q": "Bürgerbüro"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("soest_office:login"))
    assert client.get(SUGGEST, {"q": "Bürgerbüro"}).status_code == 302


def test_login_without_role_may_not_search(client_for, no_role_user):
    assert client_for(no_role_user).get(SEARCH, {"q": "x"}).status_code == 403
    assert client_for(no_role_user).get(SUGGEST, {"q": "xyz"}).status_code == 403


def test_post_is_not_allowed(client_for, office):
    client = client_for(office)
    assert client.post(SEARCH, {"q": "x"}).status_code == 405
    assert client.post(SUGGEST, {"q": "xyz"}).status_code == 405


@pytest.mark.parametrize("user_fixture", ["office", "partner_soest", "steering"])
def test_every_role_finds_projects(request, client_for, two_projects, user_fixture):
    response = client_for(request.getfixturevalue(user_fixture)).get(SEARCH, {"q": "Bürgerbüro"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 Treffer für „Bürgerbüro“" in html
    assert '<a href="/projekte/projekt-1/"><mark>Bürgerbüro</mark> Lippstadt digital</a>' in html
    assert "&lt;em&gt;neue&lt;/em&gt; <mark>Bürgerbüro</mark>" in html
    assert "<em>neue</em>" not in html


def test_page_without_query_shows_only_the_form(client_for, office):
    response = client_for(office).get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Bitte geben Sie" not in html


@pytest.mark.parametrize(
    "query", ["'&|!:*()\\", '"offen', "\x00", "x" * 500, "-Iserlohn", "a", "Привет 東京"]
)
def test_bad_input_renders_a_page_with_a_hint(client_for, office, two_projects, query):
    response = client_for(office).get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert 'class="alert alert-info"' in response.content.decode() or b"Keine Treffer" in (
        response.content
    )


@pytest.mark.parametrize(
    "params",
    [{"typ": "gibtsnicht"}, {"kommune": "x" * 80}, {"jahr": "20x5"}, {"seite": "-1"}],
)
def test_bad_filters_are_ignored_with_a_hint(client_for, office, two_projects, params):
    response = client_for(office).get(SEARCH, {"q": "digital", **params})
    assert response.status_code == 200
    assert "Treffer für „digital“" in response.content.decode()


def test_facets_link_and_filter(client_for, office, two_projects):
    client = client_for(office)
    html = client.get(SEARCH, {"q": "digital"}).content.decode()
    assert "Projekte (2)" in html
    assert 'href="?q=digital&amp;kommune=lippstadt"' in html
    assert 'href="?q=digital&amp;handlungsfeld=infrastruktur"' in html
    filtered = client.get(SEARCH, {"q": "digital", "handlungsfeld": "infrastruktur"})
    assert "1 Treffer für „digital“" in filtered.content.decode()
    assert "3D-Stadtmodell Soest" in filtered.content.decode()
    assert "Bürgerbüro Lippstadt" not in filtered.content.decode()


def test_year_facet_links_with_counts_and_filters(client_for, office, two_projects, make_project):
    make_project("Digitale Akte", summary="E-Akte für die Kreisverwaltung")
    # The year of a project's entry is the year it was created (sources.project_document).
    old = Project.objects.get(title="3D-Stadtmodell Soest")
    Project.objects.filter(pk=old.pk).update(created_at=datetime(2023, 6, 15, tzinfo=UTC))
    search_index_bulk(Project, [old.pk])
    this_year = Project.objects.get(title="Digitale Akte").created_at.year
    assert this_year != 2023

    client = client_for(office)
    html = client.get(SEARCH, {"q": "digital"}).content.decode()
    assert "3 Treffer für „digital“" in html
    assert f'<a href="?q=digital&amp;jahr={this_year}">{this_year} (2)</a>' in html
    link = re.search(r'<a href="(\?q=digital&amp;jahr=2023)">2023 \(1\)</a>', html)
    assert link

    filtered = client.get(SEARCH + unescape(link.group(1))).content.decode()
    assert "1 Treffer für „digital“" in filtered
    assert filtered.count('class="search-hit"') == 1
    assert "3D-Stadtmodell Soest" in filtered
    assert "Bürgerbüro Lippstadt" not in filtered
    assert "Akte" not in filtered
    assert '<strong aria-current="true">2023 (1)</strong>' in filtered


def test_type_filter_paginates(client_for, office, make_project):
    for i in range(PAGE_SIZE + 3):
        make_project(f"Sensorik Messpunkt {i:02d}")
    client = client_for(office)
    overview = client.get(SEARCH, {"q": "Sensorik"}).content.decode()
    assert f"Alle {PAGE_SIZE + 3} Treffer unter Projekte anzeigen" in overview
    page2 = client.get(SEARCH, {"q": "Sensorik", "typ": "projekte", "seite": 2})
    html = page2.content.decode()
    assert "Seite 2 von 2" in html
    assert html.count('class="search-hit"') == 3


def test_suggestions_json(client_for, office, two_projects):
    data = client_for(office).get(SUGGEST, {"q": "Bürgerb"}).json()
    assert data["suggestions"] == [
        {"title": "Bürgerbüro Lippstadt digital", "type": "Projekte", "url": "/projekte/projekt-1/"}
    ]
    assert data["status"] == "1 Vorschlag verfügbar."
    assert client_for(office).get(SUGGEST, {"q": "Bü"}).json()["suggestions"] == []


def test_header_box_is_on_intranet_pages_only_for_roles(client_for, office, no_role_user):
    html = client_for(office).get(reverse("soest_office:home")).content.decode()
    assert 'role="combobox"' in html
    assert 'action="/suche/"' in html
    html = client_for(no_role_user).get(reverse("soest_office:home")).content.decode()
    assert 'role="combobox"' not in html


@pytest.mark.parametrize("extra", [0, 30])
def test_query_count_does_not_grow_with_data(
    client_for, office, make_project, django_assert_num_queries, extra
):
    for i in range(3 + extra):
        make_project(f"Glasfaser Abschnitt {i}", participants=["iserlohn"])
    client = client_for(office)
    client.get(SEARCH, {"q": "Breitband"})  # warm the session (another query: not cached)
    # Session read (none with the Redis-cached sessions of production), the user with its
    # role (one query), then one pass over the matches (type counts, 3 facets, ids of the
    # grouped hits) and the hits' texts; the sliding session is saved (3 statements).
    request_overhead = 4 if "cache" in settings.SESSION_ENGINE else 5
    with django_assert_num_queries(request_overhead + 2):
        client.get(SEARCH, {"q": "Glasfaser"})
    # the chosen type's page instead of the groups (and the chosen type, 1 query)
    with django_assert_num_queries(request_overhead + 2):
        client.get(SEARCH, {"q": "Glasfaser", "typ": "projekte"})
    with django_assert_num_queries(request_overhead + 1):
        client.get(SUGGEST, {"q": "Glasf"})
    # Asked again with nothing written in between: the answers come from the cache.
    with django_assert_num_queries(request_overhead):
        client.get(SEARCH, {"q": "Glasfaser"})
    with django_assert_num_queries(request_overhead):
        client.get(SUGGEST, {"q": "Glasf"})


def test_capped_counts_are_shown_as_lower_bounds(client_for, office, make_project, monkeypatch):
    from soest_office.search import engine

    monkeypatch.setattr(engine, "MATCH_LIMIT", 3)
    for i in range(5):
        make_project(f"Sensorik Messpunkt {i}", participants=["iserlohn"])
    client = client_for(office)
    html = client.get(SEARCH, {"q": "Sensorik"}).content.decode()
    assert "Mehr als 3 Treffer für „Sensorik“" in html
    assert "Projekte (3+)" in html
    assert "Mehr als 3 Treffer unter Projekte anzeigen" in html
    assert "Sehr viele Treffer: Je Art werden höchstens 3 davon gezählt" in html
    # Facet counts of a capped set would count only the matches read: names only.
    assert 'kommune=iserlohn">Stadt Iserlohn</a>' in html
    assert "Stadt Iserlohn (" not in html
    page = client.get(SEARCH, {"q": "Sensorik", "typ": "projekte"}).content.decode()
    assert page.count('class="search-hit"') == 3
