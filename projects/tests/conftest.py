import importlib

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
def reference_data(transactional_db):
    """The flush after each transactional test also removes the rows of the data migrations
    (municipalities, fields of action, role groups); put them back, as `migrate` would.
    (serialized_rollback cannot be relied on here: Playwright's greenlets give the main
    thread a fresh connection object without Django's serialized copy.)"""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from soest_office.roles import sync_group_permissions

    for module in (
        "soest_office.migrations.0002_municipalities_and_groups",
        "projects.migrations.0002_fields_of_action",
    ):
        importlib.import_module(module).create(apps, None)
    sync_group_permissions(Group, Permission)


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
