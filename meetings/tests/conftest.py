import pytest

# The browser plumbing of tests/conftest.py (Debian's Chromium, the console-error check),
# for this app's browser tests.
from tests.conftest import (  # noqa: F401
    browser_context_args,
    browser_type_launch_args,
    page,
    pytest_runtest_makereport,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded papers go to a temporary directory, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
