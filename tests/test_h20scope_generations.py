"""A request reads the cache generations once (soest_office.caching.request_scope), and
each process keeps its own copy of content kept in a state of the generations (issue 20).
Neither may hide a write: the request's own write is read at once, another's from the
next request on, and a copy in one process never outlives the shared entry."""

import time

import pytest
from django.core.cache import cache, caches
from django.urls import reverse
from django.utils import timezone

from soest_office import caching
from soest_office.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db

NAMES = ("projects", "news")


def _written_elsewhere(name):
    """What another web process's write does to the shared cache."""
    cache.set(f"generation:{name}", "elsewhere", timeout=None)


def test_a_request_reads_every_generation_once_and_its_own_writes_at_once():
    with caching.request_scope():
        first = caching.current_generations(NAMES)
        _written_elsewhere("projects")
        assert caching.current_generations(NAMES) == first  # one snapshot per request
        caching.bump("news")  # the request's own write
        projects, news = caching.current_generations(NAMES)
        assert news != first[1]
        assert projects == "elsewhere"  # read again together with the bumped one
    with caching.request_scope():
        assert caching.current_generations(["projects"]) == ["elsewhere"]


def test_outside_a_request_every_lookup_reads_the_cache():
    first = caching.current_generations(NAMES)
    _written_elsewhere("projects")
    assert caching.current_generations(NAMES) == ["elsewhere", first[1]]


def test_a_state_kept_elsewhere_is_read_and_a_new_state_is_not():
    state = caching.current_state(NAMES)
    caching.keep_in_generations("k", state, "inhalt", timeout=60)
    caches["fragments"].clear()  # another process: nothing of its own yet
    assert caching.read_in_generations("k", NAMES) == (state, "inhalt")
    caching.bump("projects")
    new_state, kept = caching.read_in_generations("k", NAMES)
    assert new_state != state
    assert kept is None


def test_a_process_copy_never_outlives_the_shared_entry():
    state = caching.current_state(NAMES)
    caching.keep_in_generations("k", state, "inhalt", timeout=3)
    caches["fragments"].clear()  # another process reads it a second later ...
    time.sleep(1.2)
    assert caching.read_in_generations("k", NAMES)[1] == "inhalt"
    time.sleep(2)  # ... and keeps its copy only as long as the shared entry lives
    assert caching.read_in_generations("k", NAMES)[1] is None


def test_a_users_keys_come_with_the_generations_and_its_own_writes_count():
    cache.set("inbox-total:7", 3, 60)
    with caching.request_scope():
        caching.read_for_user(7)
        cache.set("inbox-total:7", 5, 60)  # written elsewhere after the request's read
        assert caching.user_value("inbox-total:7") == 3  # the request's snapshot
        caching.set_user_value("inbox-total:7", 0, 60)  # the request's own write
        assert caching.user_value("inbox-total:7") == 0
    assert caching.user_value("inbox-total:7") == 0


def test_the_inbox_count_follows_a_write_at_once(client, office):
    feedback = AccessibilityFeedback.objects.create(message="Fokus unsichtbar")
    client.force_login(office)
    badge = 'Aufgaben <span class="badge text-bg-light">1<'
    assert badge in client.get(reverse("soest_office:home")).content.decode()
    feedback.answered_at = timezone.now()
    feedback.save()
    assert badge not in client.get(reverse("soest_office:home")).content.decode()
