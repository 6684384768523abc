import re

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache_and_fast_form(settings):
    """Rate-limit counters live in the cache (Redis db of this worktree in the production
    configuration): every test starts from zero. The minimum fill time is tested on its own."""
    cache.clear()
    settings.SUBSCRIPTIONS_MIN_FILL_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    cache.clear()


@pytest.fixture
def link_in():
    """The first URL of a path prefix found in a mail's text body."""

    def find(message, prefix):
        match = re.search(rf"https?://\S+{re.escape(prefix)}\S+/", message.body)
        assert match, message.body
        return match.group(0)

    return find
