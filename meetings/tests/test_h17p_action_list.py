"""The action item list at size (issue 17, performance): the project filter is a text field
with suggestions instead of a <select> of every project, the list pages by 50 with its
filters kept, and each row's status form is the same HTML for every role the rule lets."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem
from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory

URL = reverse("meetings:action_list")


def _row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="aufgabe-(\d+)">', response.content.decode())]


def test_filter_form_does_not_grow_with_the_projects(client_for, office):
    ActionItemFactory(owner_user=office, project=ProjectFactory())
    ProjectFactory.create_batch(40)  # more than the 30 suggestions
    client = client_for(office)
    small = client.get(URL).content.decode()
    ProjectFactory.create_batch(60)
    large = client.get(URL).content.decode()
    assert large.count("<option") == small.count("<option")
    assert abs(len(large) - len(small)) < 300
    assert re.search(r'<input type="text" name="project"[^>]* list="vorschlaege-projekte"', large)
    assert '<datalist id="vorschlaege-projekte">' in large


def test_filter_by_project_title_slug_or_id(client_for, office):
    breitband = ProjectFactory(title="Breitband Soest", slug="breitband")
    portal = ProjectFactory(title="Bürgerportal", slug="portal")
    mine = ActionItemFactory(owner_user=office, project=breitband)
    ActionItemFactory(owner_user=office, project=portal)
    ActionItemFactory(owner_user=office)
    client = client_for(office)
    for value in ("Breitband Soest", "breitband", "Breitb", str(breitband.pk)):
        response = client.get(URL, {"project": value})
        assert _row_ids(response) == [mine.pk], value
    # An id from an old link shows as the project's title in the field.
    page = client.get(URL, {"project": str(breitband.pk)}).content.decode()
    assert 'value="Breitband Soest"' in page


def test_unknown_or_ambiguous_project_shows_the_error_and_no_rows(client_for, office):
    ProjectFactory(title="Radweg Nord", slug="radweg-nord")
    ProjectFactory(title="Radweg Süd", slug="radweg-sued")
    ActionItemFactory(owner_user=office, title="Sichtbare Aufgabe")
    client = client_for(office)
    for value, message in (("Radweg", "passt auf mehrere Projekte"), ("Seilbahn", "Kein Projekt")):
        page = client.get(URL, {"project": value}).content.decode()
        assert message in page
        assert "Bitte korrigieren Sie den Filter" in page
        assert "Sichtbare Aufgabe" not in page


def test_partner_filters_by_project(client_for, partner_soest):
    """The lookup runs as the user (Project.objects.visible_to: partners read every project)."""
    project = ProjectFactory(title="Gemeinsames Projekt", slug="gemeinsam")
    item = ActionItemFactory(owner_municipality=municipality("soest"), project=project)
    response = client_for(partner_soest).get(URL, {"project": "gemeinsam"})
    assert _row_ids(response) == [item.pk]


def test_fifty_rows_a_page_in_due_order_with_the_filters_kept(client_for, office):
    today = timezone.localdate()
    items = [
        ActionItemFactory(owner_municipality=municipality("soest"), due=today + timedelta(days=n))
        for n in range(55)
    ]
    ActionItemFactory(owner_municipality=municipality("lippstadt"))
    client = client_for(office)
    query = {"municipality": municipality("soest").pk, "status": "open_any"}
    first = client.get(URL, query)
    assert _row_ids(first) == [i.pk for i in items[:50]]
    page = first.content.decode()
    link = re.search(r'<a class="page-link" href="\?([^"]+)">Nächste Seite', page).group(1)
    link = link.replace("&amp;", "&")
    assert f"municipality={municipality('soest').pk}" in link
    assert "status=open_any" in link
    assert link.endswith("page=2")
    second = client.get(f"{URL}?{link}")
    assert _row_ids(second) == [i.pk for i in items[50:]]


def test_status_form_for_the_owner_and_text_for_others(client_for, partner_soest):
    own = ActionItemFactory(
        owner_municipality=municipality("soest"), status=ActionItem.Status.IN_PROGRESS
    )
    other = ActionItemFactory(owner_municipality=municipality("lippstadt"), title="Fremd")
    page = client_for(partner_soest).get(URL, {"status": "open_any"}).content.decode()
    row = re.search(rf'<tr id="aufgabe-{own.pk}">.*?</tr>', page, re.S).group(0)
    assert f'action="{reverse("meetings:action_status", args=[own.pk])}"' in row
    assert 'name="csrfmiddlewaretoken"' in row
    assert f'value="/sitzungen/aufgaben/?status=open_any#aufgabe-{own.pk}"' in row
    assert f'<label class="visually-hidden" for="status-{own.pk}">Status von' in row
    assert '<option value="in_progress" selected>in Arbeit</option>' in row
    assert row.count("<option") == len(ActionItem.Status.choices)
    foreign = re.search(rf'<tr id="aufgabe-{other.pk}">.*?</tr>', page, re.S).group(0)
    assert "<form" not in foreign
    assert "offen" in foreign


def test_titles_are_escaped_in_the_status_form(client_for, office):
    ActionItemFactory(owner_user=office, title="<b>Fett</b> & Co")
    page = client_for(office).get(URL).content.decode()
    assert "<b>Fett</b>" not in page
    assert "Status von „&lt;b&gt;Fett&lt;/b&gt; &amp; Co“" in page


def test_row_anchor_matches_the_items_address_above_999(client_for, office):
    """The row's id and the status form's label carry the plain id (no thousands
    separator), so `get_absolute_url`'s #aufgabe-1234 finds its row."""
    item = ActionItemFactory(owner_user=office)
    ActionItem.objects.filter(pk=item.pk).update(id=12345)
    item = ActionItem.objects.get(pk=12345)
    page = client_for(office).get(URL).content.decode()
    anchor = item.get_absolute_url().split("#", 1)[1]
    assert f'<tr id="{anchor}">' in page
    assert 'for="status-12345"' in page
    assert "12.345" not in page


def test_action_list_query_count_is_pinned(client_for, office, settings, django_assert_num_queries):
    """User with its role (one query), the count, municipalities, bodies, the project
    suggestions and the page of items, plus the session read where sessions live in the
    database (as `make bench` counts: 7): the same however many projects and items exist.
    The session's expiry is not renewed on every request here, as in production."""
    settings.SESSION_RENEW_SECONDS = 3600
    expected = 7 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 6
    client = client_for(office)
    for _ in range(3):
        ActionItemFactory(owner_user=office, project=ProjectFactory())
    client.get(URL)  # the navigation's inbox count is counted once, then cached
    with django_assert_num_queries(expected):
        client.get(URL)
    ProjectFactory.create_batch(10)
    for _ in range(60):
        ActionItemFactory(owner_municipality=municipality("soest"), project=ProjectFactory())
    client.get(URL)  # a write: the navigation's inbox count is counted anew once, then kept
    with django_assert_num_queries(expected):
        client.get(URL)


def test_partner_list_queries_do_not_grow(client_for, partner_soest, office):
    """The partner's rows carry the rule's answer per row (own items get a form); the
    table's columns are all loaded with the page, none one by one."""
    client = client_for(partner_soest)
    ActionItemFactory(owner_municipality=municipality("soest"), project=ProjectFactory())
    ActionItemFactory(owner_user=office, project=ProjectFactory())
    client.get(URL)
    with django_queries() as captured:
        client.get(URL)
    few = len(captured.captured_queries)  # the log is emptied by the next request
    for _ in range(8):
        ActionItemFactory(owner_municipality=municipality("soest"), project=ProjectFactory())
        ActionItemFactory(owner_user=office, project=ProjectFactory())
        ActionItemFactory(owner_user=partner_soest)
    client.get(URL)  # a write: the navigation's inbox count is counted anew once, then kept
    with django_queries() as many:
        page = client.get(URL).content.decode()
    assert page.count('<form method="post" action="/sitzungen/aufgaben/') == 17
    assert len(many.captured_queries) == few


def django_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


def test_page_link_of_the_default_list_keeps_showing_open_items(client_for, office):
    today = timezone.localdate()
    for n in range(51):
        ActionItemFactory(owner_user=office, due=today + timedelta(days=n))
    done = ActionItemFactory(
        owner_user=office, due=today + timedelta(days=99), status=ActionItem.Status.DONE
    )
    client = client_for(office)
    first = client.get(URL).content.decode()
    assert "Seite 1 von 2" in first
    second = client.get(URL, {"page": 2})
    assert "Seite 2 von 2" in second.content.decode()
    assert done.pk not in _row_ids(second)
    assert len(_row_ids(second)) == 1


def test_meeting_page_and_minutes_pdf_load_the_action_items_columns_at_once(
    client_for, office, partner_soest
):
    """The meeting page and the minutes PDF load only the table's columns of the action
    items (owner, due date, project, status): no row fetches a column of its own."""
    from .factories import MeetingFactory

    meeting = MeetingFactory()
    pages = (meeting.get_absolute_url(), reverse("meetings:minutes_pdf", args=[meeting.pk]))

    def add_items(n):
        for _ in range(n):
            ActionItemFactory(
                body=meeting.body,
                meeting=meeting,
                owner_municipality=municipality("soest"),
                project=ProjectFactory(),
                description="Nicht in der Tabelle",
            )
            ActionItemFactory(body=meeting.body, meeting=meeting, owner_user=office)

    add_items(1)
    for user in (office, partner_soest):
        client = client_for(user)
        client.get(pages[0])
        few = []
        for url in pages:
            with django_queries() as captured:
                assert client.get(url).status_code == 200
            few.append(len(captured.captured_queries))
        add_items(4)
        client.get(
            pages[0]
        )  # a write: the navigation's inbox count is counted anew once, then kept
        many = []
        for url in pages:
            with django_queries() as captured:
                response = client.get(url)
            many.append(len(captured.captured_queries))
        assert many == few, user
    assert "Nicht in der Tabelle" not in response.content.decode(errors="ignore")
