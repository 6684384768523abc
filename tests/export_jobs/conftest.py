"""Fixtures of the background export tests: files in a temporary directory, a project."""

import pytest

from projects.tests.factories import ProjectFactory


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project(db):
    return ProjectFactory(title="Digitale Bauakte", slug="digitale-bauakte")
