"""The list pages ask the database a fixed number of times, however many contributions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import ContributionFactory, ParticipationFactory, support_for
from .helpers import list_url

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add(participation, n):
    for _ in range(n):
        contribution = ContributionFactory(
            participation=participation, answer_status="reviewing", answer_text="Wir prüfen."
        )
        support_for(contribution, confirmed=True)


def test_public_list_and_office_list_do_not_grow_with_rows(client, client_for, office):
    participation = ParticipationFactory()
    _add(participation, 2)
    public_few = _queries(client, list_url(participation))
    _add(participation, 10)
    assert _queries(client, list_url(participation)) == public_few

    staff = client_for(office)
    office_url = reverse("participation:office_list")
    staff.get(office_url)  # the navigation's inbox count is counted once, then cached
    office_few = _queries(staff, office_url)
    _add(participation, 10)
    assert _queries(staff, office_url) == office_few


def test_public_list_query_count(client, django_assert_max_num_queries):
    participation = ParticipationFactory()
    _add(participation, 5)
    # participation, consent text, page count, the page of contributions (+ session/cache)
    with django_assert_max_num_queries(6):
        client.get(list_url(participation))
