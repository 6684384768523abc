"""The suite-wide N+1 detector really fires (requests and Celery tasks), and its allow-list
works."""

import pytest
from celery import shared_task
from django.contrib.auth import get_user_model
from zeal import NPlusOneError

from soest_office.tests.factories import UserFactory, municipality

pytestmark = pytest.mark.urls("tests.nplusone_urls")


@pytest.fixture
def users(db):
    for slug in ("soest", "lippstadt", "iserlohn"):
        UserFactory(municipality=municipality(slug))


@shared_task
def lazy_names_task():
    return [u.municipality.name for u in get_user_model().objects.order_by("pk")]


def test_a_lazy_relation_in_a_view_fails_the_test(client, users):
    with pytest.raises(NPlusOneError, match="municipality"):
        client.get("/lazy/")


def test_select_related_passes(client, users):
    assert client.get("/eager/").status_code == 200


def test_a_lazy_relation_in_a_celery_task_fails_the_test(users):
    with pytest.raises(NPlusOneError, match="municipality"):
        lazy_names_task.delay()


@pytest.mark.nplusone_allowed({"model": "soest_office.User", "field": "municipality"})
def test_allow_list_marker_accepts_a_known_lazy_load(client, users):
    assert client.get("/lazy/").status_code == 200
