"""Fixtures shared by every app's tests: one user per role of DESIGN.md's table.

office, office2 (Projektbüro), partner_soest, partner_lippstadt, partner_iserlohn (Kommune),
steering (Lenkungskreis), and a user without a role.
"""

import os

import pytest

from soest_office.access import Role
from soest_office.tests.factories import UserFactory, municipality

# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
