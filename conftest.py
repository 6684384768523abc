"""Fixtures shared by every app's tests: one user per role of DESIGN.md's table.

office, office2 (Projektbüro), partner_soest, partner_lippstadt, partner_iserlohn (Kommune),
steering (Lenkungskreis), and the edge accounts: a user without a role, a partner without a
municipality, a deactivated (former office) user.
"""

import contextlib
import os

import pytest

from soest_office.access import Role
from soest_office.tests.factories import UserFactory, municipality

# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a page cached by one test (the dashboard panel)
    must not answer in another, whose database holds other data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _renew_session_every_request(settings):
    """Every request renews the session, as before SESSION_RENEW_SECONDS: the query counts
    the tests pin include that write. soest_office/tests/test_session_renewal.py tests the
    default (at most one renewal a minute)."""
    settings.SESSION_RENEW_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_pending_search_changes():
    """The search notes changed objects and indexes them after commit (soest_office.search
    .signals); a test's transaction never commits, so what one test noted must not reach the
    next. Tests that search what they wrote call `index_now()` (or capture the on-commit
    callbacks) like the commit would."""
    from soest_office.search.signals import pending

    pending.take()
    yield
    pending.take()


@pytest.fixture
def index_now():
    """Index what the test wrote, as the task queued after commit would: `index_now()`."""
    from soest_office.search.signals import pending

    return pending.flush


@pytest.fixture
def office(db):
    return UserFactory(username="buero", role=Role.OFFICE)


@pytest.fixture
def office2(db):
    return UserFactory(username="buero2", role=Role.OFFICE)


@pytest.fixture
def partner_soest(db):
    return UserFactory(username="soest", role=Role.PARTNER, municipality=municipality("soest"))


@pytest.fixture
def partner_lippstadt(db):
    return UserFactory(
        username="lippstadt", role=Role.PARTNER, municipality=municipality("lippstadt")
    )


@pytest.fixture
def partner_iserlohn(db):
    return UserFactory(
        username="iserlohn", role=Role.PARTNER, municipality=municipality("iserlohn")
    )


@pytest.fixture
def steering(db):
    return UserFactory(username="lenkung", role=Role.STEERING)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="ohnerolle")


@pytest.fixture
def partner_without_municipality(db):
    """A partner account the office has not yet given a municipality: it reads what every
    partner reads and owns nothing (no own projects, no contacts)."""
    return UserFactory(username="ohnekommune", role=Role.PARTNER)


@pytest.fixture
def deactivated_user(db):
    """A former office member whose account was deactivated: no more than the public."""
    return UserFactory(username="ehemalig", role=Role.OFFICE, is_active=False)


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Unit tests run tasks in-process even when REDIS_URL is set (production configuration
    of CI); tests marked `integration` talk to the real broker and a real worker."""
    from soest_office.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


# --- N+1 detection (django-zeal) over the whole suite ----------------------------------------
# Zeal raises NPlusOneError when one code line loads the same relation lazily for several
# instances (threshold 2). Detection runs per request (zeal's middleware, put first in
# MIDDLEWARE for tests only) and per Celery task (eager tasks included, via task signals),
# just as in production code paths; test code itself (factories, loops of requests) is not
# checked, because zeal would count a repeated session lookup across requests as an N+1.
# Zeal is patched in here rather than added to INSTALLED_APPS, so production never loads it.
#
# Allow-list: a known, accepted lazy load is listed with a why-comment, either here for the
# whole suite or on one test with
#     @pytest.mark.nplusone_allowed({"model": "projects.Project", "field": "documents"})
# Patterns use fnmatch ("projects.*"). `@pytest.mark.no_nplusone` switches detection off.
NPLUSONE_ALLOWLIST: list[dict] = [
    # Zeal names the first frame outside site-packages as the caller, so two lookups made by
    # Django itself in one request (auth middleware, then login/logout or the session-key
    # cycle on login and password change) look like one line repeating a .get(). Single-object
    # lookups of the framework, not loops over rows.
    {"model": "sessions.Session", "field": "get()"},
    {"model": "soest_office.User", "field": "get()"},
    # django-simple-history re-reads a model with many-to-many history once per save to
    # record its m2m rows; the news workflow saves a release at most twice per request.
    {"model": "news.PressRelease", "field": "get()"},
]

_zeal_patched = False
ZEAL_MIDDLEWARE = "zeal.middleware.zeal_middleware"


def _zeal_task_started(task_id=None, task=None, **kwargs):
    from zeal.listeners import setup

    task.request.zeal_token = setup()


def _zeal_task_finished(task_id=None, task=None, **kwargs):
    from zeal.listeners import teardown

    token = getattr(task.request, "zeal_token", None)
    if token is not None:
        teardown(token)


@pytest.fixture(autouse=True)
def _nplusone_detection(request, settings):
    global _zeal_patched
    if request.node.get_closest_marker("no_nplusone"):
        yield
        return
    from celery.signals import task_postrun, task_prerun
    from zeal import zeal_ignore

    if not _zeal_patched:
        from zeal.constants import initialize_app_registry
        from zeal.patch import patch

        initialize_app_registry()
        patch()
        _zeal_patched = True
    settings.MIDDLEWARE = [ZEAL_MIDDLEWARE, *settings.MIDDLEWARE]
    task_prerun.connect(_zeal_task_started, dispatch_uid="zeal_task_started")
    task_postrun.connect(_zeal_task_finished, dispatch_uid="zeal_task_finished")
    allowlist = list(NPLUSONE_ALLOWLIST)
    for marker in request.node.iter_markers("nplusone_allowed"):
        allowlist.extend(marker.args)
    # zeal reads its setting in every thread (the live server's too); the context below
    # covers code the test calls directly.
    settings.ZEAL_ALLOWLIST = allowlist
    try:
        with contextlib.ExitStack() as stack:
            if allowlist:  # inherited by the contexts that requests and tasks open
                stack.enter_context(zeal_ignore(allowlist))
            yield
    finally:
        task_prerun.disconnect(dispatch_uid="zeal_task_started")
        task_postrun.disconnect(dispatch_uid="zeal_task_finished")


PROJECT_APPS = (
    "soest_office",
    "projects",
    "stakeholders",
    "news",
    "subscriptions",
    "participation",
)


def pytest_collection_modifyitems(items):
    """Transactional tests (browser, worker) flush the database afterwards, which drops the
    rows of the data migrations (municipalities, fields of action). Django's
    `serialized_rollback` cannot bring them back under Playwright (the sync API's event loop
    gives the test another connection object, without the serialized copy), so every such
    test re-runs the project's data migrations first (`reference_data`)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            item.fixturenames.insert(0, "reference_data")


@pytest.fixture
def reference_data(django_db_setup, django_db_blocker):
    """Re-run the RunPython steps of the project's migrations; they must be idempotent
    (update_or_create/get_or_create), which the apps' data migrations are by convention."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    with django_db_blocker.unblock():
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        # Some RunPython steps issue idempotent DDL (the search backends); they need an editor.
        with connection.schema_editor(atomic=False) as schema_editor:
            for app_label, name in _ordered_nodes(loader, loader.graph.leaf_nodes()):
                if app_label not in PROJECT_APPS:
                    continue
                for operation in loader.graph.nodes[(app_label, name)].operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, schema_editor)
        # The groups' permissions come from the post_migrate hook, not a data migration.
        from django.contrib.auth.models import Group, Permission

        from soest_office.roles import sync_group_permissions

        sync_group_permissions(Group, Permission)


def _ordered_nodes(loader, leaves):
    seen, ordered = set(), []
    for leaf in leaves:
        for node in loader.graph.forwards_plan(leaf):
            if node not in seen:
                seen.add(node)
                ordered.append(node)
    return ordered
