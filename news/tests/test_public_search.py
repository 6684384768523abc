"""The search of the public press list (/presse/?q=): the intranet's search engine limited to
published releases, combined with the list's other filters and its pagination."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import PressRelease, Section
from news.tests.factories import PressReleaseFactory, TagFactory
from soest_office.search.signals import pending
from soest_office.tests.factories import municipality

S = PressRelease.Status
pytestmark = pytest.mark.django_db
URL = reverse("news:public_list")


def published(**kwargs):
    return PressReleaseFactory(published=True, **kwargs)


def get(client, *args, **kwargs):
    pending.flush()  # index what the test wrote, as the task queued after commit does
    return client.get(*args, **kwargs)


def titles(client, **params):
    response = get(client, URL, params)
    assert response.status_code == 200
    return [r.title for r in response.context["releases"]]


def test_stemming_finds_other_forms_of_a_word(client):
    release = published(title="Land überreicht Förderbescheid für das Glasfasernetz")
    published(title="Neue Radwege in Lippstadt")
    assert titles(client, q="Förderbescheide") == [release.title]
    assert titles(client, q="förderbescheid") == [release.title]


def test_umlauts_may_be_written_out(client):
    release = published(title="Digitales Bürgerbüro eröffnet")
    assert titles(client, q="Buergerbuero") == [release.title]
    assert titles(client, q="bürgerbüro") == [release.title]


def test_a_typo_still_finds_the_release_with_a_hint(client):
    release = published(title="Glasfaserausbau im Kreis Soest")
    response = get(client, URL, {"q": "Glasfaserausbua"})
    assert [r.title for r in response.context["releases"]] == [release.title]
    assert "ähnliche Schreibweisen" in response.content.decode()


def test_text_and_teaser_are_searched_too(client):
    release = published(
        title="Neues aus dem Projektbüro",
        teaser="Der Kreis Soest startet eine Telemedizin-Sprechstunde.",
        body="Auch die **Hebammenversorgung** wird digital.",
    )
    assert titles(client, q="Telemedizin") == [release.title]
    assert titles(client, q="Hebammenversorgung") == [release.title]


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": S.DRAFT},
        {"status": S.SUBMITTED},
        {"status": S.APPROVED},
        {"scheduled": True},
        {"status": S.ARCHIVED, "published_at": timezone.now() - dt.timedelta(days=1)},
        # Published, but only in the future.
        {"status": S.PUBLISHED, "published_at": timezone.now() + dt.timedelta(days=1)},
    ],
    ids=["draft", "submitted", "approved", "scheduled", "archived", "future"],
)
def test_unpublished_releases_are_never_found(client, client_for, office, hidden):
    PressReleaseFactory(title="Geheimes Förderprogramm Quantencomputer", **hidden)
    visible = published(title="Öffentliches Förderprogramm Quantencomputer")
    assert titles(client, q="Quantencomputer") == [visible.title]
    assert titles(client, q="Quantencomputr") == [visible.title]
    assert titles(client, q="Geheimes") == []
    html = get(client, URL, {"q": "Förderprogramm"}).content.decode()
    assert "Geheimes Förderprogramm" not in html
    # Logged in as office staff, the public page still shows published releases only.
    assert titles(client_for(office), q="Geheimes") == []


def test_search_combines_with_section_municipality_year_tag_and_pagination(client, settings):
    settings.NEWS_PAGE_SIZE = 10
    section = Section.objects.create(name="Bildung", slug="bildung")
    tag = TagFactory(name="Schule", slug="schule")
    soest = municipality("soest")
    last_year = dt.datetime(timezone.now().year - 1, 6, 1, 10, 0, tzinfo=dt.UTC)
    match = published(title="Tablets für Schulen in Soest", section=section, tags=[tag])
    match.municipalities.add(soest)
    published(title="Tablets für Schulen in Lippstadt", section=section)
    old = published(title="Tablets für Schulen 2.0", published_at=last_year)
    published(title="Breitband für Schulen")
    assert set(titles(client, q="Tablets")) == {
        match.title,
        "Tablets für Schulen in Lippstadt",
        old.title,
    }
    assert titles(client, q="Tablets", kommune="soest") == [match.title]
    assert titles(client, q="Tablets", stichwort="schule") == [match.title]
    assert set(titles(client, q="Tablets", rubrik="bildung")) == {
        match.title,
        "Tablets für Schulen in Lippstadt",
    }
    assert titles(client, q="Tablets", jahr=str(last_year.year)) == [old.title]


def test_search_results_paginate(client):
    for i in range(13):
        published(
            title=f"Glasfaser Meldung {i:02d}",
            published_at=timezone.now() - dt.timedelta(hours=i + 1),
        )
    published(title="Etwas ganz anderes")
    first = get(client, URL, {"q": "Glasfaser"})
    second = get(client, URL, {"q": "Glasfaser", "page": 2})
    assert first.context["paginator"].count == 13
    assert len(first.context["releases"]) == 10
    assert len(second.context["releases"]) == 3
    shown = [r.title for r in first.context["releases"]] + [
        r.title for r in second.context["releases"]
    ]
    assert len(set(shown)) == 13
    assert "q=Glasfaser" in first.content.decode()  # the page links keep the search


def test_better_matches_come_first(client):
    in_body = published(
        title="Neues aus der Verwaltung",
        body="Am Rande: auch der Hackathon geht weiter.",
        published_at=timezone.now() - dt.timedelta(hours=1),
    )
    in_title = published(
        title="Hackathon in Iserlohn", published_at=timezone.now() - dt.timedelta(days=30)
    )
    assert titles(client, q="Hackathon") == [in_title.title, in_body.title]


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "x",
        "ä",
        "A" * 500,
        "Förderbescheid " * 40,
        "'&|!:*()\\",
        '"unclosed phrase',
        '"',
        "-",
        "--Förderbescheid",
        "Förder\x00bescheid",
        "\x00",
        "der die das",
        "<script>alert(1)</script>",
        "%' OR 1=1 --",
        "Förderbescheid:*",
        "a & b | !c",
    ],
)
def test_bad_input_gets_a_hint_or_results_never_a_500(client, query):
    published(title="Land überreicht Förderbescheid")
    response = get(client, URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if not response.context["releases"]:
        assert response.context["search_hints"] or "Keine Pressemitteilungen gefunden" in html


def test_unusable_input_explains_itself_in_german(client):
    published(title="Land überreicht Förderbescheid")
    response = get(client, URL, {"q": "x"})
    assert "mindestens zwei Zeichen" in response.content.decode()
    response = get(client, URL, {"q": "'&|!:*()\\"})
    assert "keine Buchstaben oder Ziffern" in response.content.decode()
    response = get(client, URL, {"q": "A" * 500})
    assert "gekürzt" in response.content.decode()


@pytest.mark.parametrize("count", [3, 15])
def test_search_query_count_is_constant(client, django_assert_num_queries, count):
    tag = TagFactory()
    for i in range(count):
        published(title=f"Glasfaser für Ortsteil {i}", tags=[tag])
    pending.flush()
    # The list's 7 queries plus one: does anything match exactly (else: similar spellings)?
    with django_assert_num_queries(8):
        client.get(URL, {"q": "Glasfaser"})
