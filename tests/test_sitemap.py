"""/sitemap.xml: every public page the apps register (soest_office.sitemaps), only what the
public may see, asked through the same rules the pages ask, dated by the data."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from news.tests.factories import PressReleaseFactory
from participation.tests.factories import ContributionFactory, ParticipationFactory
from projects.models import Document, Project
from projects.tests.factories import DocumentFactory, ProjectFactory
from soest_office.plugins import SITEMAPS

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
URL = "/sitemap.xml"


def entries(client) -> dict[str, str | None]:
    """Path -> lastmod of every entry of the sitemap."""
    response = client.get(URL)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, no entities
    found = {}
    for url in root.findall("s:url", NS):
        location = url.find("s:loc", NS).text
        lastmod = url.find("s:lastmod", NS)
        path = "/" + location.split("://", 1)[1].split("/", 1)[1]
        found[path] = None if lastmod is None else lastmod.text
    return found


def public_page(project):
    return reverse("vorhaben:detail", args=[project.slug])


def test_sitemap_lists_the_public_pages_and_the_open_data_entry_points(client):
    project = ProjectFactory(is_public=True)
    release = PressReleaseFactory(published=True)

    found = entries(client)

    assert public_page(project) in found
    assert reverse("vorhaben:list") in found
    assert release.get_absolute_url() in found
    assert reverse("api_v1:index") in found
    assert reverse("api_v1:katalog") in found


def test_non_public_project_never_appears(client):
    hidden = ProjectFactory(is_public=False, slug="nur-intern-geheim")
    archived = ProjectFactory(is_public=True, archived_at=timezone.now(), slug="archiviert-alt")
    ProjectFactory(is_public=True)

    body = client.get(URL).content.decode()

    assert hidden.slug not in body
    assert archived.slug not in body


def test_project_made_non_public_disappears(client):
    project = ProjectFactory(is_public=True)
    assert public_page(project) in entries(client)

    project.is_public = False
    project.save()

    assert public_page(project) not in entries(client)
    assert client.get(public_page(project)).status_code == 404  # the page asks the same rule


def test_sitemap_lists_exactly_the_projects_the_rule_lets_the_public_see(client):
    for i in range(6):
        ProjectFactory(is_public=i % 2 == 0, archived_at=timezone.now() if i == 4 else None)
    visible = Project.objects.visible_to(AnonymousUser())

    listed = {
        path for path in entries(client) if path.startswith("/vorhaben/") and path != "/vorhaben/"
    }

    assert listed == {public_page(p) for p in visible}


def test_lastmod_comes_from_the_data(client):
    project = ProjectFactory(is_public=True)
    old = timezone.make_aware(dt.datetime(2025, 3, 1, 12, 0))
    Project.objects.filter(pk=project.pk).update(updated_at=old)

    assert entries(client)[public_page(project)].startswith("2025-03-01")

    # A newer document the public sees dates the page; an internal one does not.
    internal = DocumentFactory(project=project, is_public=False)
    Document.objects.filter(pk=internal.pk).update(
        uploaded_at=timezone.make_aware(dt.datetime(2025, 9, 1, 12, 0))
    )
    assert entries(client)[public_page(project)].startswith("2025-03-01")
    shown = DocumentFactory(project=project, is_public=True)
    Document.objects.filter(pk=shown.pk).update(
        uploaded_at=timezone.make_aware(dt.datetime(2025, 6, 1, 12, 0))
    )
    found = entries(client)
    assert found[public_page(project)].startswith("2025-06-01")
    assert found[reverse("vorhaben:list")].startswith("2025-06-01")


def test_participation_page_listed_only_while_the_public_may_see_it(client):
    participation = ParticipationFactory()
    url = participation.get_absolute_url()
    contribution = ContributionFactory(
        participation=participation,
        moderated_at=timezone.make_aware(dt.datetime(2025, 5, 2, 9, 0)),
    )

    found = entries(client)
    assert found[url].startswith("2025-05-02")

    contribution.answered_at = timezone.make_aware(dt.datetime(2025, 5, 9, 9, 0))
    contribution.save()
    assert entries(client)[url].startswith("2025-05-09")

    participation.enabled = False
    participation.save()
    assert url not in entries(client)


def test_unpublished_release_is_not_listed(client):
    draft = PressReleaseFactory()
    assert draft.slug not in client.get(URL).content.decode()


def test_sitemap_needs_no_login_and_refuses_post(client):
    assert client.get(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_every_app_section_is_registered():
    assert {"vorhaben", "vorhaben-seiten", "beteiligung", "presse", "offene-daten"} <= set(
        SITEMAPS.keys()
    )


def test_query_count_does_not_grow_with_the_projects(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ProjectFactory(is_public=True)
    ParticipationFactory()
    PressReleaseFactory(published=True)
    client.get(URL)  # warm-up (content types, sites)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for _ in range(5):
        ProjectFactory(is_public=True)
        ParticipationFactory()
        PressReleaseFactory(published=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_participation_of_an_archived_project_is_neither_listed_nor_shown(client):
    # The participation rule asks the project rule's "public project" (projects.rules.
    # public_project_q): an archived project's participation leaves the public with it.
    participation = ParticipationFactory()
    ContributionFactory(participation=participation, title="Idee im Archiv")
    url = participation.get_absolute_url()
    assert url in entries(client)

    Project.objects.filter(pk=participation.project_id).update(archived_at=timezone.now())

    assert url not in entries(client)
    assert client.get(url).status_code == 404
    assert "Idee im Archiv" not in client.get("/api/v1/beitraege/").content.decode()
