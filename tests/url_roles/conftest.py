"""Fixtures of the role-table tests: every role's user, the sample world, media in a
temporary directory."""

import pytest

from tests.url_roles import ROLE_FIXTURES, RoleWorld


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """The sample documents and images land in a temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def users(request, db):
    return {
        role: request.getfixturevalue(fixture) if fixture else None
        for role, fixture in ROLE_FIXTURES.items()
    }


@pytest.fixture
def world(users):
    return RoleWorld({ROLE_FIXTURES[role]: user for role, user in users.items() if user})
