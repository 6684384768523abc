import pytest

from .factories import ProjectFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads of a test land in a temporary directory, never in the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def soest_project(db):
    """Led by Soest, Lippstadt takes part; Iserlohn is an outsider."""
    return ProjectFactory(title="3D-Stadtmodell", slug="3d-stadtmodell", participants=["lippstadt"])


# The browser plumbing of tests/conftest.py (Debian's Chromium, console-error check) for the
# browser tests of this app.
from tests.conftest import (  # noqa: E402, F401
    browser_context_args,
    browser_type_launch_args,
    page,
)
