import pytest

from soest_office.tests.factories import municipality

from .factories import ContactFactory


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded import files never land in the project's media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def soest_contact():
    return ContactFactory(last_name="Sauerland", email="sauerland@example.org")


@pytest.fixture
def lippstadt_contact():
    return ContactFactory(
        last_name="Lippmann", email="lippmann@example.org", municipality=municipality("lippstadt")
    )
