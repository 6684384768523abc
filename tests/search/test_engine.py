"""Matching, ranking, freshness and scoping of the engine, on whichever database runs.

The suite runs on SQLite (FTS5) and, with DATABASE_URL, on PostgreSQL (tsvector + pg_trgm):
the same assertions hold for both.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from projects.models import Project
from soest_office.models import Municipality
from soest_office.plugins import SEARCH_SOURCES
from soest_office.search import registry
from soest_office.search.engine import search, suggest
from soest_office.search.indexing import search_index_bulk, search_index_objects
from soest_office.search.models import SearchEntry
from soest_office.tests.search.test_query_parser import BAD_INPUTS


def titles(result):
    if result.page is not None:
        return [hit.title for hit in result.page.object_list]
    return [hit.title for group in result.groups for hit in group.hits]


@pytest.fixture
def corpus(make_project):
    return {
        "buero": make_project(
            "Bürgerbüro Lippstadt digital",
            lead="lippstadt",
            summary="Terminbuchung und Förderbescheid für das neue Bürgerbüro",
            description="Die Kaiserstraße erhält ein Servicezentrum. Ansprechpartner Herr Meyer.",
        ),
        "modell": make_project(
            "3D-Stadtmodell Soest",
            summary="Digitaler Zwilling der Altstadt",
            description="Das Modell zeigt Wälle und Kirchen; Iserlohn prüft die Übernahme.",
            participants=["iserlohn"],
            field="infrastruktur",
        ),
        "schule": make_project(
            "Digitale Schulen im Kreis",
            lead="kreis-soest",
            summary="Tablets und WLAN für Schulen",
            description="Ein 3D-Drucker je Schule; das Stadtmodell dient als Unterrichtsbeispiel.",
            field="bildung",
        ),
        # The phrase "3D-Stadtmodell" without Iserlohn: what '"3D-Stadtmodell" -Iserlohn' finds.
        "laerm": make_project(
            "Lärmaktionsplan",
            lead="kreis-soest",
            summary="Das 3D-Stadtmodell zeigt die Lärmbelastung an den Bundesstraßen.",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Förderbescheide", ["Bürgerbüro Lippstadt digital"]),  # stemming
        ("Buergerbuero", ["Bürgerbüro Lippstadt digital"]),  # umlauts written out
        ("bürgerbüro", ["Bürgerbüro Lippstadt digital"]),
        ("Kaiserstrasse", ["Bürgerbüro Lippstadt digital"]),  # ß written out
        ("Schule", ["Digitale Schulen im Kreis"]),
        ("Waelle", ["3D-Stadtmodell Soest"]),
        ('"3D-Stadtmodell"', ["3D-Stadtmodell Soest", "Lärmaktionsplan"]),
        ('"3D-Stadtmodell" -Iserlohn', ["Lärmaktionsplan"]),  # the phrase, not the exclusion
        ("Stadtmodell -Iserlohn", ["Digitale Schulen im Kreis", "Lärmaktionsplan"]),
        ('"Zwilling der Altstadt"', ["3D-Stadtmodell Soest"]),
        ('"Altstadt Zwilling"', []),
        ("Lippstadt Termin", []),  # "Termin" is not a word of the text (no prefix search)
    ],
)
def test_german_matching(corpus, office, query, expected):
    assert sorted(titles(search(office, query))) == sorted(expected)


def test_typo_in_a_place_name_is_tolerated(corpus, office):
    result = search(office, "Lipstadt")
    assert titles(result) == ["Bürgerbüro Lippstadt digital"]
    assert result.fuzzy
    assert "ähnliche Schreibweisen" in result.hints[-1]


def test_name_spelled_differently_is_found_phonetically(make_project, office):
    make_project("Quartiersbüro Meyer-Hof", summary="Beratung im Meyer-Hof")
    make_project("Radwegenetz", summary="Ausbau der Radwege")
    assert titles(search(office, "Meier")) == ["Quartiersbüro Meyer-Hof"]


def test_exact_hits_never_trigger_fuzzy_matching(corpus, office):
    result = search(office, "Lippstadt")
    assert not result.fuzzy
    assert titles(result) == ["Bürgerbüro Lippstadt digital"]


def test_title_ranks_above_summary_above_body(make_project, office):
    make_project("Breitband Ausbau", description="Glasfaser für Gewerbegebiete")
    make_project("Glasfaser Soest", summary="Leerrohre")
    make_project("Leerrohre", summary="Glasfaser im Summary")
    result = search(office, "Glasfaser")
    assert titles(result) == ["Glasfaser Soest", "Leerrohre", "Breitband Ausbau"]


def test_snippet_marks_matches_and_escapes_everything_else(make_project, office):
    make_project(
        "<b>Fett</b> & Co",
        summary='Der <script>alert("x")</script> Förderbescheid kam am Montag.',
    )
    hit = search(office, "Förderbescheid").groups[0].hits[0]
    assert "<mark>Förderbescheid</mark>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<script>" not in hit.snippet
    assert str(hit.title_html) == "&lt;b&gt;Fett&lt;/b&gt; &amp; Co"


@pytest.mark.parametrize("raw", BAD_INPUTS)
def test_bad_input_gives_results_or_a_hint_never_an_error(corpus, office, raw):
    result = search(office, raw)
    assert result.total >= 0
    assert result.total or result.hints or result.parsed.is_searchable
    assert isinstance(suggest(office, raw), list)


def test_suggestions_complete_the_last_word(corpus, office):
    suggestions = suggest(office, "Bürgerb")
    assert [s["title"] for s in suggestions] == ["Bürgerbüro Lippstadt digital"]
    assert suggestions[0]["type"] == "Projekte"
    assert suggestions[0]["url"] == corpus["buero"].get_absolute_url()
    assert suggest(office, "Bü") == []


# --- Freshness -----------------------------------------------------------------------------


def test_edit_is_findable_after_commit_and_old_text_is_gone(corpus, office, index_now):
    project = corpus["schule"]
    project.title = "Tablets für Grundschulen"
    project.save()
    assert titles(search(office, "Grundschulen")) == []  # not indexed inside the request
    index_now()
    assert titles(search(office, "Grundschulen")) == ["Tablets für Grundschulen"]
    assert titles(search(office, '"Schulen im Kreis"')) == []


def test_delete_removes_the_entry(corpus, office, index_now):
    corpus["schule"].delete()
    index_now()
    assert titles(search(office, "Schule")) == []
    assert not SearchEntry.objects.filter(source="projekte", title__contains="Schulen").exists()


def test_participating_municipalities_change_updates_facets(corpus, office, index_now):
    project = corpus["schule"]
    project.participating_municipalities.add(Municipality.objects.get(slug="iserlohn"))
    index_now()
    result = search(office, "Schule", {"kommune": "iserlohn"})
    assert titles(result) == ["Digitale Schulen im Kreis"]
    Municipality.objects.get(slug="iserlohn").participating_projects.remove(project)
    index_now()
    assert titles(search(office, "Schule", {"kommune": "iserlohn"})) == []


def test_bulk_update_without_signals_is_indexed_by_search_index_bulk(corpus, office):
    Project.objects.filter(pk=corpus["modell"].pk).update(summary="Laserscan der Wallanlagen")
    assert titles(search(office, "Laserscan")) == []
    search_index_bulk(Project, [corpus["modell"].pk])
    assert titles(search(office, "Laserscan")) == ["3D-Stadtmodell Soest"]


def test_rebuild_command_restores_and_prunes(corpus, office):
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(source="projekte", object_id=999_999, title="Geist", url="/x/")
    call_command("rebuild_search_index", stdout=None)
    assert titles(search(office, "Stadtmodell")) == [
        "3D-Stadtmodell Soest",
        "Lärmaktionsplan",
        "Digitale Schulen im Kreis",
    ]
    assert not SearchEntry.objects.filter(object_id=999_999).exists()


def test_rebuild_command_rejects_unknown_sources(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unbekannte Quelle"):
        call_command("rebuild_search_index", "gibtsnicht")


# --- Scoping: nothing hidden leaks through counts, facets, snippets or suggestions ----------


@pytest.fixture
def own_projects_source():
    """A source that shows partners only their own projects (like contacts per municipality),
    the only one registered during the test."""
    base = registry.get_source("projekte")
    restricted = registry.Source(
        key="eigene",
        label="Eigene Projekte",
        model=Project,
        scope=lambda qs, user: qs.editable_by(user),
        document=base.document,
        queryset=base.queryset,
    )
    with SEARCH_SOURCES.replaced(restricted, only=True):
        yield restricted


def test_hidden_objects_leak_nowhere(corpus, own_projects_source, partner_soest, office):
    search_index_objects(own_projects_source, Project.objects.all())
    # "Digital…" is in all three texts; Soest leads only the 3D-Stadtmodell.
    result = search(partner_soest, "digital")
    assert titles(result) == ["3D-Stadtmodell Soest"]
    assert result.total == 1
    assert [(s.key, n) for s, n in result.type_counts] == [("eigene", 1)]
    assert {row["slug"] for row in result.municipality_facet} == {"soest", "iserlohn"}
    assert [row["slug"] for row in result.category_facet] == ["infrastruktur"]
    assert [s["title"] for s in suggest(partner_soest, "digit")] == ["3D-Stadtmodell Soest"]
    assert search(partner_soest, "Lippstadt").total == 0
    assert search(partner_soest, "Lipstadt").total == 0  # nor through typo tolerance
    assert search(office, "digital").total == 3


def test_source_hidden_entirely_is_not_even_listed(corpus, own_projects_source, steering):
    search_index_objects(own_projects_source, Project.objects.all())
    result = search(steering, "digital")
    assert result.total == 0
    assert result.type_counts == []
    assert suggest(steering, "digital") == []


def test_anonymous_sees_only_public_projects(corpus, make_project):
    make_project("Offenes Datenportal", summary="Digitale Daten", is_public=True)
    assert titles(search(AnonymousUser(), "Daten")) == ["Offenes Datenportal"]


@pytest.fixture
def limit_of_three(monkeypatch):
    from soest_office.search import engine

    monkeypatch.setattr(engine, "MATCH_LIMIT", 3)
    return 3


def test_common_word_is_counted_and_ranked_up_to_the_limit(make_project, office, limit_of_three):
    for i in range(5):
        make_project(f"Sensorik Messpunkt {i}", lead="lippstadt")
    make_project("Sensorik", summary="Sensorik im Titel", lead="soest")
    make_project("Schulweg", summary="Sensorik am Schulweg", lead="iserlohn")
    result = search(office, "Sensorik")
    [(source, count)] = result.type_counts
    assert (source.key, count) == ("projekte", 3)
    assert result.capped == {"projekte"}
    assert result.total_capped
    assert result.total == 3
    # Ranked among the matches read: the limit, plus the one that showed there are more.
    assert len(titles(result)) == 4
    assert any("Sehr viele Treffer" in hint for hint in result.hints)
    # A facet narrows the search down before the limit applies: all of Soest's match.
    narrowed = search(office, "Sensorik", {"kommune": "soest"})
    assert titles(narrowed) == ["Sensorik"]
    assert narrowed.capped == set()
    assert not narrowed.total_capped
    assert [(row["slug"], row["count"]) for row in narrowed.municipality_facet] == [("soest", 1)]


def test_few_matches_are_counted_exactly(make_project, office, limit_of_three):
    for i in range(3):
        make_project(f"Sensorik Messpunkt {i}")
    result = search(office, "Sensorik")
    assert result.total == 3
    assert result.capped == set()
    assert not result.total_capped
    assert not any("Sehr viele Treffer" in hint for hint in result.hints)
