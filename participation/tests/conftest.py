import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache_and_fast_form(settings):
    """Rate-limit counters live in the cache: every test starts from zero. The minimum fill
    time is tested on its own."""
    cache.clear()
    settings.PARTICIPATION_MIN_FILL_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    cache.clear()
