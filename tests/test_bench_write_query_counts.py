"""Issue 20: the query count of every benchmarked write is the same at two data sizes, and
at most 15 in the request.

The benchmark's generator fills the test database at two tiny scales (as in
tests/test_bench_query_counts.py), and each write of bench.writes is posted through its view
as its role at both sizes: the same object choice (busiest project, its newest report, the
contact with the longest history ...), the same reset before the write, on_commit callbacks
run inside the counted request, Celery tasks only queued (bench.writes.queued_tasks).
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from bench import generate, scenarios, writes
from bench.run import Users
from soest_office.search.indexing import rebuild_search_index

# Every test needs the test database set up (pytest-django sets up only the databases the
# selected tests ask for; the counts themselves come from the module fixture).
pytestmark = pytest.mark.django_db

SMALL, LARGE = 0.001, 0.003
MAX_QUERIES = 15

# Writes allowed above 15 queries: none since the write paths were reworked (search indexing
# and report messages after the commit, notifications in one bulk insert). The count excludes
# savepoint statements (bench.writes.is_transaction_control); they are asserted the same at
# both sizes and reported in `make bench` beside the count.
ABOVE_TARGET: dict[str, str] = {}

NAMES = [
    "project_save",
    "report_submit",
    "report_accept",
    "report_return",
    "milestone_done",
    "contact_save",
    "release_publish",
]


def _counts(scale):
    counts = {}
    with transaction.atomic():
        generate.generate(scale=scale, seed=generate.DEFAULT_SEED, stdout=lambda *_: None)
        rebuild_search_index()
        users = Users()
        for w in writes.build(scenarios.Context(), users):
            counts[w.name] = writes.count(w, users.client(w.role))
        transaction.set_rollback(True)
    return counts


@pytest.fixture(scope="module")
def write_counts(django_db_blocker, django_db_setup):
    with (
        django_db_blocker.unblock(),
        override_settings(ROOT_URLCONF="bench.urls"),
        transaction.atomic(),
    ):
        cache.clear()  # nothing cached by earlier tests of the process for the same ids
        small = _counts(SMALL)
        cache.clear()
        large = _counts(LARGE)
        transaction.set_rollback(True)
    return small, large


@pytest.mark.urls("bench.urls")
@pytest.mark.parametrize("name", NAMES)
def test_write_query_count_does_not_grow_with_rows(write_counts, name):
    small, large = write_counts
    (s_status, s_queries, s_tasks, s_applied, s_savepoints) = small[name]
    (l_status, l_queries, l_tasks, l_applied, l_savepoints) = large[name]
    assert (s_status, l_status) == (302, 302), f"{name}: HTTP {s_status} / {l_status}"
    assert s_applied, f"{name}: the write did not take effect (small data)"
    assert l_applied, f"{name}: the write did not take effect (larger data)"
    print(
        f"{name}: {s_queries} / {l_queries} queries"
        f" (+{s_savepoints} / +{l_savepoints} savepoint statements), queued {s_tasks}"
    )
    assert s_queries == l_queries, (
        f"{name}: {s_queries} Abfragen bei kleinen, {l_queries} bei größeren Daten"
    )
    assert s_tasks == l_tasks
    assert s_savepoints == l_savepoints


@pytest.mark.urls("bench.urls")
@pytest.mark.parametrize("name", [n for n in NAMES if n not in ABOVE_TARGET])
def test_write_runs_at_most_15_queries(write_counts, name):
    small, large = write_counts
    assert small[name][1] <= MAX_QUERIES, f"{name}: {small[name][1]} Abfragen"
    assert large[name][1] <= MAX_QUERIES, f"{name}: {large[name][1]} Abfragen"


def test_every_write_is_counted(write_counts):
    """NAMES and bench.writes stay in step (a new write gets a count test)."""
    small, large = write_counts
    assert list(small) == NAMES
    assert list(large) == NAMES
    assert set(ABOVE_TARGET) <= set(NAMES)


def _accept_count(users):
    accept = next(w for w in writes.build(scenarios.Context(), users) if w.name == "report_accept")
    return writes.count(accept, users.client("office"))


@pytest.mark.urls("bench.urls")
def test_accept_count_does_not_grow_with_the_office_users(django_db_blocker):
    """The light-change notification goes to every office user: the accept's query count
    must not follow their number (the generated datasets above hold the same few)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from soest_office.access import Role

    with (
        django_db_blocker.unblock(),
        override_settings(ROOT_URLCONF="bench.urls"),
        transaction.atomic(),
    ):
        generate.generate(scale=SMALL, seed=generate.DEFAULT_SEED, stdout=lambda *_: None)
        users = Users()
        before = _accept_count(users)
        office = Group.objects.get(name=Role.OFFICE.value)
        for i in range(4):
            user = get_user_model().objects.create(
                username=f"buero-extra-{i}", email=f"buero-extra-{i}@soest.de"
            )
            user.groups.add(office)
        after = _accept_count(users)
        transaction.set_rollback(True)
    assert before[0] == after[0] == 302
    assert before[1] == after[1], f"{before[1]} Abfragen, mit 4 Büro-Konten mehr {after[1]}"
