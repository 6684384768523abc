"""No page's query count grows with the number of rows: pinned at two data sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import ProjectContact

from .factories import (
    DocumentFactory,
    DrawdownFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def fill(n, office, partner):
    """n projects, each with n of everything that hangs off a project."""
    projects = [ProjectFactory(participants=["lippstadt", "iserlohn"]) for _ in range(n)]
    first = projects[0]
    for i in range(n):
        MilestoneFactory(project=first)
        decision = FundingDecisionFactory(
            project=first, granted_amount=1000, eligible_costs=1250, own_share=250
        )
        DrawdownFactory(funding_decision=decision, requested_amount=100, received_amount=100)
        DocumentFactory(project=first)
        report = ProgressReportFactory(project=first, author=partner, percent_complete=10 + i)
        services.report_accept(actor=office, report=report)
    ProjectContact.objects.get_or_create(
        project=first, municipality=partner.municipality, defaults={"user": partner}
    )
    return first


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# The page's own queries, pinned. On top come the queries of the request machinery: the
# user with its role and municipality (one query since issue 20), the session save
# (savepoint, update, release) and, with database sessions, the session read (with Redis,
# cached_db sessions read from the cache).
EXPECTED = {
    # Each user's first page here also counts the navigation's inbox (one query, then kept
    # in the cache: soest_office.inbox.cached_inbox_total).
    "list_office": 6 + 1,
    # The partner's municipality (the menu names it) comes with the user since issue 20.
    "list_partner": 6 + 1,
    # Project (with its report count and the user's rights), participants, milestones,
    # budget lines (their receipts summed in the same query since issue 20), the latest
    # reports, documents, funding decisions, their drawdowns (a prefetch, each scoped by its
    # rule), contact persons, involved stakeholders (the stakeholders app's panel). The
    # change history has its own page. The meetings app's panel adds the project's
    # decisions and its open action items (2). Since issue 20 the page keeps its content,
    # with the rule's answer, in the cache: read again, it asks none of these.
    "detail_office": 12,
    "detail_office_cached": 0,
    # The whole home page: the projects dashboard (9: municipalities, fields, the granted
    # and the spent money as of today per lead municipality and field (one aggregate each,
    # issue 20), the grouped counts of lead and of participating municipalities, the
    # attention list, the upcoming milestones, the dates of the funding decisions; the
    # decisions whose proofs fall due and their submitted proof records only when some are
    # due, none here) and the news panel's counts (3), the meetings app's panel of the
    # user's open action items (1).
    "home_office": 13,
    # The audit log's count of the list and its event, then the rows (streamed).
    "export_csv": 4,
}


def machinery():
    from django.conf import settings

    # Session read (none with cached_db), the user with its role (one query since issue
    # 20: soest_office.backends), the session's renewal (3 statements in the tests).
    return 5 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 4


@pytest.mark.parametrize("size", [2, 12])
def test_list_detail_and_home_query_counts(
    client, office, partner_soest, size, django_assert_num_queries
):
    project = fill(size, office, partner_soest)
    client.force_login(office)
    base = machinery()
    with django_assert_num_queries(base + EXPECTED["list_office"]):
        client.get("/projekte/?sort=title")
    with django_assert_num_queries(base + EXPECTED["detail_office"]):
        client.get(project.get_absolute_url())
    with django_assert_num_queries(base + EXPECTED["detail_office_cached"]):
        client.get(project.get_absolute_url())
    with django_assert_num_queries(base + EXPECTED["home_office"]):
        client.get("/")
    with django_assert_num_queries(base + EXPECTED["export_csv"]):
        client.get("/projekte/export.csv").getvalue()  # the rows are read while streaming
    client.force_login(partner_soest)
    with django_assert_num_queries(base + EXPECTED["list_partner"]):
        client.get("/projekte/?status=in_progress")


# --- Writes: the request does the write, the search index follows in a task --------------------


def _rename(client, project, title, django_assert_num_queries, expected):
    from .test_workflow import project_post_data

    data = project_post_data(project, title=title)
    # Only the title changes: the participants are posted as they are.
    data["participating_municipalities"] = list(
        project.participating_municipalities.values_list("pk", flat=True)
    )
    with django_assert_num_queries(expected) as captured:
        response = client.post(f"{project.get_absolute_url()}bearbeiten/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    return captured


@pytest.mark.parametrize("reports", [1, 40])
def test_a_project_title_change_costs_the_same_whatever_the_number_of_reports(
    client,
    office,
    partner_soest,
    reports,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    from soest_office.search.engine import search
    from soest_office.search.signals import pending

    project = ProjectFactory(title="Glasfaser Altstadt", participants=["lippstadt"])
    for _ in range(reports):
        ProgressReportFactory(project=project, author=partner_soest, status="submitted")
    pending.flush()  # the arrangement is indexed, as after its commit
    client.force_login(office)
    # Session, user, role, the form's choices and model validation (two check constraints,
    # asked of the database), the locked project, the save and its history: the same at any
    # size. The service validates only what changed and leaves untouched participants alone
    # (37 before issue 20; tests/test_write_query_counts.py pins every write). Indexing the
    # project and its reports is queued, never done here.
    with django_capture_on_commit_callbacks() as callbacks:
        _rename(
            client, project, "Glasfaser Bördeviertel", django_assert_num_queries, machinery() + 16
        )
    found = {h.title for g in search(office, "Bördeviertel").groups for h in g.hits}
    assert found == set()  # nothing indexed inside the request
    for callback in callbacks:
        callback()  # the commit: one task indexes the project and its reports
    result = search(office, "Bördeviertel", only=["berichte"])
    assert result.total == reports
