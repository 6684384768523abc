"""The organisation list's deep pages (soest_office.pagination.DeepPagePaginator) show the
same rows, page numbers and count as plain OFFSET pagination, in as many queries."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soest_office.pagination import DeepPagePaginator
from stakeholders.models import Organisation
from stakeholders.views.organisations import OrganisationListView

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    # Namesakes: only the primary key orders them.
    return [OrganisationFactory(name=f"Verein {n // 3:02d}") for n in range(23)]


def test_every_page_holds_the_rows_of_plain_offset_pagination(organisations):
    queryset = Organisation.objects.order_by("name", "pk")
    plain = Paginator(queryset, 5, orphans=1)
    deep = DeepPagePaginator(queryset, 5, orphans=1)
    deep.deep_from = 0

    assert deep.num_pages == plain.num_pages == 5
    for number in plain.page_range:
        assert list(deep.page(number)) == list(plain.page(number)), number
        assert deep.page(number).has_next() == plain.page(number).has_next()


def test_a_deep_page_of_the_list_shows_the_rows_of_plain_offset_in_as_many_queries(
    client_for, office, organisations, monkeypatch
):
    monkeypatch.setattr(OrganisationListView, "paginate_by", 10)
    client = client_for(office)
    url = reverse("stakeholders:organisation_list")
    ordered = list(Organisation.objects.order_by("name", "pk").values_list("pk", flat=True))
    client.get(url)  # the session and the layout's caches are warm for both

    monkeypatch.setattr(DeepPagePaginator, "deep_from", 10**9)
    plain, plain_queries = _get(client, url, {"page": "last"})
    monkeypatch.setattr(DeepPagePaginator, "deep_from", 0)
    deep, deep_queries = _get(client, url, {"page": "last"})

    assert [o.pk for o in deep.context["organisations"]] == ordered[20:]
    assert [o.pk for o in plain.context["organisations"]] == ordered[20:]
    assert "Seite 3 von 3" in deep.content.decode()
    assert deep_queries == plain_queries


def _get(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return response, len(captured.captured_queries)
