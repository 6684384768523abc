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


# The page's own queries, pinned. On top come the queries of the request machinery: user,
# role lookup, the session save (savepoint, update, release) and, with database sessions,
# the session read (with Redis, cached_db sessions read from the cache).
EXPECTED = {
    "list_office": 6,
    "list_partner": 7,
    # Project (with its report count and the user's rights), participants, milestones,
    # budget lines, the latest reports, documents, funding decisions, their drawdowns (a
    # prefetch, each scoped by its rule), contact persons, involved stakeholders (the
    # stakeholders app's panel). The change history has its own page.
    "detail_office": 10,
    # The whole home page: the projects dashboard (6: municipalities, fields, the grouped
    # figures of lead and of participating municipalities, the attention list, the upcoming
    # milestones) and the news panel's counts (3).
    "home_office": 9,
    # The audit log's count of the list and its event, then the rows (streamed).
    "export_csv": 4,
}


def machinery():
    from django.conf import settings

    return 6 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 5


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
    with django_assert_num_queries(base + EXPECTED["home_office"]):
        client.get("/")
    with django_assert_num_queries(base + EXPECTED["export_csv"]):
        client.get("/projekte/export.csv").getvalue()  # the rows are read while streaming
    client.force_login(partner_soest)
    with django_assert_num_queries(base + EXPECTED["list_partner"]):
        client.get("/projekte/?status=in_progress")
