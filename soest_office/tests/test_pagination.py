import datetime as dt

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from soest_office.models import AuditEvent
from soest_office.pagination import KeysetPaginator

pytestmark = pytest.mark.django_db

KINDS = ["export", "import", "login", "logout"]


@pytest.fixture
def events():
    """23 events with many ties in `kind` and in `created_at`, so the pk must break them."""
    base = timezone.make_aware(dt.datetime(2026, 3, 1, 9, 0))
    rows = [
        AuditEvent(kind=KINDS[i % 4], actor_name=f"user{i}", ip_address="127.0.0.1")
        for i in range(23)
    ]
    AuditEvent.objects.bulk_create(rows)
    for i, event in enumerate(AuditEvent.objects.order_by("pk")):
        AuditEvent.objects.filter(pk=event.pk).update(created_at=base + dt.timedelta(hours=i // 3))
    return AuditEvent.objects.all()


def walk_forward(paginator):
    seen, params, pages = [], {}, 0
    while True:
        page = paginator.page(params)
        pages += 1
        seen.extend(page.object_list)
        if not page.has_next:
            return seen, page, pages
        params = {"nach": page.next_cursor}


@pytest.mark.parametrize(
    "ordering",
    [
        ("kind", "pk"),
        ("-kind", "pk"),
        ("kind", "-pk"),
        ("-created_at", "-pk"),
        ("created_at", "pk"),
    ],
)
def test_walking_forward_and_back_visits_every_row_once_in_order(events, ordering):
    paginator = KeysetPaginator(events, ordering, per_page=5)
    expected = list(events.order_by(*ordering))

    seen, last, pages = walk_forward(paginator)

    assert seen == expected
    assert pages == 5
    # And back from the last page to the first, page by page.
    back, page = list(last.object_list), last
    while page.has_previous:
        page = paginator.page({"vor": page.previous_cursor})
        back = list(page.object_list) + back
    assert back == expected
    assert page.object_list == expected[:5]


def test_first_page_has_no_previous_and_last_page_no_next(events):
    paginator = KeysetPaginator(events, ("kind", "pk"), per_page=10)
    first = paginator.page({})
    assert first.has_next
    assert not first.has_previous
    assert first.previous_cursor is None
    _seen, last, _pages = walk_forward(paginator)
    assert last.has_previous
    assert not last.has_next
    assert last.next_cursor is None


def test_cursor_at_opens_the_page_at_that_row(events):
    paginator = KeysetPaginator(events, ("-created_at", "-pk"), per_page=5)
    expected = list(events.order_by("-created_at", "-pk"))
    page = paginator.page({"nach": paginator.cursor_at(12)})
    assert page.object_list == expected[12:17]
    assert paginator.cursor_at(0) is None


def test_a_page_costs_one_query_however_deep(events, django_assert_num_queries):
    paginator = KeysetPaginator(events, ("kind", "pk"), per_page=5)
    cursor = paginator.cursor_at(15)
    with django_assert_num_queries(1):
        paginator.page({"nach": cursor})
    with django_assert_num_queries(1):
        paginator.page({})


@pytest.mark.parametrize(
    "cursor",
    ["kaputt", "%%%", "W10", "WyJ4Il0", "WyJsb2dpbiIsIm5vIG51bWJlciJd", "\x00", "a" * 5000],
)
def test_an_unusable_cursor_shows_the_first_page_with_a_german_note(events, cursor):
    paginator = KeysetPaginator(events, ("kind", "pk"), per_page=5)
    for param in ("nach", "vor"):
        page = paginator.page({param: cursor})
        assert page.object_list == list(events.order_by("kind", "pk")[:5])
        assert page.error == (
            "Die angeforderte Seite ist ungültig; es wird die erste Seite angezeigt."
        )


def test_a_cursor_cannot_widen_the_queryset(events):
    only_exports = events.filter(kind="export")
    paginator = KeysetPaginator(only_exports, ("kind", "pk"), per_page=50)
    cursor = KeysetPaginator(events, ("kind", "pk")).cursor_for(events.order_by("pk").first())
    page = paginator.page({"nach": cursor})
    assert {e.kind for e in page.object_list} <= {"export"}


def test_ordering_must_be_total_and_local():
    with pytest.raises(ValueError, match="end in the primary key"):
        KeysetPaginator(AuditEvent.objects.all(), ("kind",))
    with pytest.raises(ValueError, match="local non-null column"):
        KeysetPaginator(AuditEvent.objects.all(), ("actor", "pk"))


def test_the_links_keep_the_other_filters(events):
    paginator = KeysetPaginator(events, ("kind", "pk"), per_page=5)
    page = paginator.page({"nach": paginator.cursor_at(5)})
    request = RequestFactory().get("/liste/", {"q": "a&b", "nach": "alt"})
    html = render_to_string("soest_office/_keyset_pagination.html", {"page": page}, request=request)
    assert f"?q=a%26b&amp;nach={page.next_cursor}" in html
    assert f"?q=a%26b&amp;vor={page.previous_cursor}" in html
    assert 'href="?q=a%26b"' in html  # "Anfang"
    assert QueryDict("nach=" + page.next_cursor)["nach"] == page.next_cursor
