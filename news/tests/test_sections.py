"""Rubriken: one per release, the public filter, "Weitere Meldungen aus dem Bereich …" and
the per-Rubrik feeds."""

import feedparser
import pytest
from django.urls import reverse

from news.models import Section
from news.tests.factories import PressReleaseFactory

pytestmark = pytest.mark.django_db


def published(**kwargs):
    return PressReleaseFactory(published=True, **kwargs)


@pytest.fixture
def sections():
    return (
        Section.objects.create(name="Bildung", slug="bildung"),
        Section.objects.create(name="Mobilität", slug="mobilitaet"),
    )


def test_public_list_filters_by_rubrik(client, sections):
    bildung, mobilitaet = sections
    school = published(title="Tablets für Grundschulen", section=bildung)
    bus = published(title="Neue Busanbindung", section=mobilitaet)
    html = client.get(reverse("news:public_list"), {"rubrik": "bildung"}).content.decode()
    assert school.title in html
    assert bus.title not in html
    assert reverse("news:feed_rss_section", kwargs={"section_slug": "bildung"}) in html


def test_unknown_rubrik_is_a_friendly_notice_not_an_error(client, sections):
    response = client.get(reverse("news:public_list"), {"rubrik": "gibt-es-nicht"})
    assert response.status_code == 200
    assert "Ein Filter war ungültig" in response.content.decode()


def test_release_page_lists_more_from_the_same_rubrik(client, sections):
    bildung, mobilitaet = sections
    release = published(title="Tablets für Grundschulen", section=bildung)
    sibling = published(title="Medienkompetenz an der Volkshochschule", section=bildung)
    other = published(title="Neue Busanbindung", section=mobilitaet)
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Weitere Meldungen aus dem Bereich Bildung" in html
    section_block = html.split("Weitere Meldungen aus dem Bereich Bildung", 1)[1].split(
        "</section>"
    )[0]
    assert sibling.title in section_block
    assert other.title not in section_block


def test_release_without_rubrik_has_no_rubrik_block(client):
    release = published()
    assert "aus dem Bereich" not in client.get(release.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name", ["news:feed_rss_section", "news:feed_atom_section"])
def test_rubrik_feeds_carry_only_their_rubrik(client, sections, name):
    bildung, mobilitaet = sections
    published(title="Tablets für Grundschulen & Co.", section=bildung)
    published(title="Neue Busanbindung", section=mobilitaet)
    PressReleaseFactory(title="Entwurf Bildung", section=bildung)
    response = client.get(reverse(name, kwargs={"section_slug": "bildung"}))
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Tablets für Grundschulen & Co."]
    assert "Bildung" in feed.feed.title


def test_feed_of_unknown_rubrik_is_404(client):
    response = client.get(reverse("news:feed_rss_section", kwargs={"section_slug": "nichts"}))
    assert response.status_code == 404


def test_editor_saves_the_rubrik(client_for, office, sections):
    bildung, _m = sections
    client = client_for(office)
    response = client.post(
        reverse("news:editorial_create"),
        {"title": "Schul-WLAN", "section": bildung.pk, "teaser": "Vorspann", "body": "Text"},
    )
    assert response.status_code == 302
    from news.models import PressRelease

    assert PressRelease.objects.get(title="Schul-WLAN").section == bildung
