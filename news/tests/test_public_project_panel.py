"""The news panel on the public project page (news/panels.py, slot "public_project_detail")."""

import pytest
from django.urls import reverse

from news.tests.factories import PressReleaseFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_related_published_releases_show_through_the_news_panel(client):
    project = ProjectFactory(is_public=True)
    shown = PressReleaseFactory(published=True, title="Veröffentlicht zum Vorhaben")
    draft = PressReleaseFactory(title="Entwurf zum Vorhaben")
    shown.projects.add(project)
    draft.projects.add(project)

    body = client.get(reverse("vorhaben:detail", args=[project.slug])).content.decode()

    assert "Pressemitteilungen zum Vorhaben" in body
    assert shown.title in body
    assert draft.title not in body
