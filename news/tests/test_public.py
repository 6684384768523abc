"""The public pages: list, release page, PDF, feeds, sitemap; nothing unpublished leaks."""

import datetime as dt
import io

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from news.models import PressRelease
from news.tests.factories import PressReleaseFactory, TagFactory, image_bytes
from soest_office.search.signals import pending
from soest_office.tests.factories import municipality
from soest_office.tests.test_pdf import assert_tagged_pdf

S = PressRelease.Status
pytestmark = pytest.mark.django_db


def published(**kwargs):
    return PressReleaseFactory(published=True, **kwargs)


def test_public_list_shows_published_newest_first_without_login(client):
    older = published(title="Ältere Meldung", published_at=timezone.now() - dt.timedelta(days=3))
    newer = published(title="Neuere Meldung")
    PressReleaseFactory(title="Geheimer Entwurf")
    PressReleaseFactory(title="Geplante Meldung", scheduled=True)
    PressReleaseFactory(title="Archivierte Meldung", status=S.ARCHIVED, published_at=timezone.now())
    response = client.get(reverse("news:public_list"))
    assert response.status_code == 200
    assert list(response.context["releases"]) == [newer, older]
    html = response.content.decode()
    for hidden in ("Geheimer Entwurf", "Geplante Meldung", "Archivierte Meldung"):
        assert hidden not in html


def test_public_list_searches_and_filters(client):
    soest_tag = TagFactory(name="Smart City", slug="smart-city")
    a = published(title="3D-Stadtmodell für Soest", tags=[soest_tag])
    a.municipalities.add(municipality("soest"))
    b = published(
        title="Bürgerbüro in Lippstadt",
        published_at=dt.datetime(2024, 6, 1, 10, 0, tzinfo=dt.UTC),
    )
    b.municipalities.add(municipality("lippstadt"))
    url = reverse("news:public_list")

    def titles(**params):
        pending.flush()  # index what the test wrote, as the task queued after commit does
        return [r.title for r in client.get(url, params).context["releases"]]

    assert titles(q="stadtmodell") == [a.title]
    assert titles(stichwort="smart-city") == [a.title]
    assert titles(kommune="lippstadt") == [b.title]
    assert titles(jahr="2024") == [b.title]
    # An invalid filter value is ignored with a notice, never a 500.
    response = client.get(url, {"stichwort": "gibt-es-nicht", "jahr": "abc"})
    assert response.status_code == 200
    assert "ungültig" in response.content.decode()


def test_public_list_paginates(client, settings):
    for i in range(12):
        published(title=f"Meldung {i:02d}", published_at=timezone.now() - dt.timedelta(hours=i + 1))
    response = client.get(reverse("news:public_list"), {"page": 2})
    assert response.status_code == 200
    assert len(response.context["releases"]) == 2
    assert client.get(reverse("news:public_list"), {"page": 99}).status_code == 404


@pytest.mark.parametrize("count", [3, 15])
def test_public_list_query_count_is_constant(client, django_assert_num_queries, count):
    tag = TagFactory()
    for _ in range(count):
        published(tags=[tag])
    # one more than before the Rubriken: the Rubrik choices of the filter form
    with django_assert_num_queries(7):
        client.get(reverse("news:public_list"))


def test_release_page_has_everything(client, office):
    tag = TagFactory(name="E-Government", slug="e-government")
    release = published(
        title="Digitales Bürgerbüro eröffnet",
        tags=[tag],
        press_contact=office,
        press_contact_phone="02921 103-0",
    )
    other = published(title="Noch eine Meldung", tags=[tag])
    response = client.get(release.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<meta property="og:title" content="Digitales Bürgerbüro eröffnet">' in html
    assert 'name="twitter:card"' in html
    assert "<strong>Stadt Soest</strong>" in html
    assert "E-Government" in html
    assert "02921 103-0" in html
    assert "Weitere Meldungen" in html
    assert other.title in html
    assert "mailto:?subject=Digitales%20B%C3%BCrgerb%C3%BCro%20er%C3%B6ffnet" in html
    assert reverse("news:public_pdf", kwargs={"slug": release.slug}) in html
    assert 'media="print"' in html


@pytest.mark.parametrize("count", [1, 6])
def test_release_page_query_count_is_constant(client, django_assert_num_queries, count):
    tag = TagFactory()
    release = published(tags=[tag])
    for _ in range(count):
        published(tags=[tag])
    with django_assert_num_queries(4):
        client.get(release.get_absolute_url())


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"status": S.SUBMITTED},
        {"status": S.APPROVED},
        {"scheduled": True},
        {"status": S.ARCHIVED, "published_at": timezone.now()},
        {"status": S.PUBLISHED, "published_at": timezone.now() + dt.timedelta(hours=2)},
    ],
)
def test_unpublished_releases_are_404_for_the_public(client, kwargs):
    release = PressReleaseFactory(**kwargs)
    for name in ("public_detail", "public_pdf", "public_image"):
        assert client.get(reverse(f"news:{name}", kwargs={"slug": release.slug})).status_code == 404


def test_public_pages_refuse_post(client):
    release = published()
    assert client.post(release.get_absolute_url()).status_code == 405
    assert client.post(reverse("news:public_list")).status_code == 405


def test_pdf_contains_the_release_text(client):
    release = published(title="Förderbescheid für das Projektbüro übergeben", dateline="Düsseldorf")
    response = client.get(reverse("news:public_pdf", kwargs={"slug": release.slug}))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Förderbescheid für das Projektbüro übergeben" in text
    assert "Stadt Soest" in text
    assert "Düsseldorf" in text


def test_image_shows_with_credit_and_disappears_when_rights_expire(client):
    release = published(image_alt="Übergabe im Rathaus", image_credit="Foto: Stadt Soest")
    release.image.save("foto.jpg", ContentFile(image_bytes()), save=True)
    html = client.get(release.get_absolute_url()).content.decode()
    assert 'alt="Übergabe im Rathaus"' in html
    assert "Foto: Stadt Soest" in html
    assert 'property="og:image"' in html
    image_url = reverse("news:public_image", kwargs={"slug": release.slug})
    assert client.get(image_url).status_code == 200
    release.image_rights_until = timezone.localdate() - dt.timedelta(days=1)
    release.save()
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Übergabe im Rathaus" not in html
    assert client.get(image_url).status_code == 404


def test_rss_feed_parses_and_lists_published_only(client):
    tag = TagFactory(name="Smart City", slug="smart-city")
    release = published(title="Sensoren & Daten <für> alle", tags=[tag])
    PressReleaseFactory(title="Entwurf im Feed?")
    response = client.get(reverse("news:feed_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == ["Sensoren & Daten <für> alle"]
    entry = feed.entries[0]
    assert entry.link.endswith(release.get_absolute_url())
    assert "Smart City" in [t.term for t in entry.tags]
    assert "<strong>Stadt Soest</strong>" in entry.description


def test_atom_feed_parses(client):
    published(title="Atom-Meldung")
    feed = feedparser.parse(client.get(reverse("news:feed_atom")).content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.entries[0].title == "Atom-Meldung"


def test_feed_per_stichwort(client):
    tag = TagFactory(name="E-Government", slug="e-government")
    published(title="Mit Stichwort", tags=[tag])
    published(title="Ohne Stichwort")
    for name in ("news:feed_rss_tag", "news:feed_atom_tag"):
        feed = feedparser.parse(
            client.get(reverse(name, kwargs={"tag_slug": "e-government"})).content
        )
        assert not feed.bozo
        assert [e.title for e in feed.entries] == ["Mit Stichwort"]
    assert (
        client.get(reverse("news:feed_rss_tag", kwargs={"tag_slug": "unbekannt"})).status_code
        == 404
    )


def test_sitemap_lists_published_only(client):
    release = published()
    draft = PressReleaseFactory()
    xml = client.get(reverse("news:sitemap")).content.decode()
    assert release.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml


def test_feeds_and_sitemap_refuse_post(client):
    for name in ("news:feed_rss", "news:feed_atom", "news:sitemap"):
        assert client.post(reverse(name)).status_code == 405


def test_pdf_embeds_the_image_without_fetching_anything(client):
    release = published(image_alt="Stadtmodell", image_credit="Grafik: Stadt Soest")
    release.image.save("modell.png", ContentFile(image_bytes("PNG")), save=True)
    response = client.get(reverse("news:public_pdf", kwargs={"slug": release.slug}))
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Grafik: Stadt Soest" in text
    assert any(page.images for page in reader.pages)
    tags = assert_tagged_pdf(response.content, title=release.title, figures=["Stadtmodell"])
    assert ("/H1", None) in tags
