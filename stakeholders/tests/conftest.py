import pytest


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded import files never land in the project's media directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
