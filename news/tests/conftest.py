import pytest

from news.tests.factories import PressReleaseFactory
from stakeholders.models import Purpose
from stakeholders.tests.factories import DistributionListFactory

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
    """Uploaded images go to a temporary directory, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def logged_in_queries(settings):
    """Query count of a logged-in page: the cached_db session backend (production
    configuration, Redis) reads the session from the cache, saving one query. `n` counts
    the user and its role as two queries, as before issue 20; the user now brings its role
    in its own query (soest_office.backends)."""

    def count(n: int) -> int:
        n -= 1  # the role comes with the user
        return n - 1 if settings.SESSION_ENGINE.endswith("cached_db") else n

    return count


# The press mailing tests (test_mailing_*.py): a published release with an embargo note and a
# press list.
@pytest.fixture
def release(office):
    return PressReleaseFactory(
        published=True,
        title="3D-Stadtmodell für Soest",
        embargo_note="Sperrfrist: 26.11.2026, 10:00 Uhr",
        press_contact=office,
    )


@pytest.fixture
def press_list():
    return DistributionListFactory(name="Presse regional", purpose=Purpose.PRESS)
