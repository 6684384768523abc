"""The role table of DESIGN.md for every view of the projects app.

Each row: URL name, which object's id the URL needs, HTTP method, and the expected status for
office / partner Soest (leads) / partner Lippstadt (takes part) / partner Iserlohn (outsider
municipality) / steering group / login without role. Unknown objects give 404, wrong methods
405 (below the matrix).
"""

import pytest
from django.urls import reverse

from projects.models import ProgressReport, ProjectContact

from .factories import (
    BudgetLineFactory,
    DocumentFactory,
    DrawdownFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
)

ROLES = [
    "office",
    "partner_soest",
    "partner_lippstadt",
    "partner_iserlohn",
    "steering",
    "no_role_user",
]

READ_ALL = (200, 200, 200, 200, 200, 404)
READ_INTRANET = (200, 200, 200, 200, 200, 403)
MANAGE_FORM = (200, 403, 403, 403, 403, 404)
CONTENT_FORM = (200, 200, 200, 403, 403, 404)
MANAGE_POST = (302, 403, 403, 403, 403, 404)
CONTENT_POST = (302, 302, 302, 403, 403, 404)

MATRIX = [
    ("list", None, "get", (200, 200, 200, 200, 200, 403)),
    ("create", None, "get", (200, 403, 403, 403, 403, 403)),
    ("export_csv", None, "get", READ_INTRANET),
    ("export_xlsx", None, "get", READ_INTRANET),
    ("funder_report", None, "get", READ_INTRANET),
    ("settings", None, "get", READ_INTRANET),
    ("calendar_token", None, "post", (302, 302, 302, 302, 302, 403)),
    ("detail", "project", "get", READ_ALL),
    ("edit", "project", "get", MANAGE_FORM),
    ("archive", "project", "post", MANAGE_POST),
    ("report_create", "project", "get", CONTENT_FORM),
    ("report_detail", "report", "get", READ_ALL),
    # A draft is the reporting municipality's working copy: invisible to other municipalities.
    ("report_detail", "draft", "get", (200, 200, 200, 404, 404, 404)),
    ("report_edit", "draft", "get", (200, 200, 403, 404, 404, 404)),
    ("report_submit", "draft", "post", (302, 302, 403, 404, 404, 404)),
    ("report_edit", "report", "get", (403, 403, 403, 403, 403, 404)),
    ("report_accept", "report", "post", MANAGE_POST),
    ("report_return", "report", "post", MANAGE_POST),
    ("milestone_create", "project", "get", MANAGE_FORM),
    ("milestone_edit", "milestone", "get", MANAGE_FORM),
    ("milestone_done", "milestone", "post", CONTENT_POST),
    ("milestone_delete", "milestone", "post", MANAGE_POST),
    ("document_create", "project", "get", CONTENT_FORM),
    ("document_download", "document", "get", READ_ALL),
    ("document_delete", "document", "post", MANAGE_POST),
    ("funding_create", "project", "get", MANAGE_FORM),
    ("funding_edit", "funding", "get", MANAGE_FORM),
    ("funding_delete", "funding", "post", MANAGE_POST),
    ("budget_line_create", "project", "get", MANAGE_FORM),
    ("budget_line_edit", "budget_line", "get", MANAGE_FORM),
    ("budget_line_delete", "budget_line", "post", MANAGE_POST),
    ("drawdown_create", "project", "get", MANAGE_FORM),
    ("drawdown_edit", "drawdown", "get", MANAGE_FORM),
    ("drawdown_delete", "drawdown", "post", MANAGE_POST),
    ("contact_create", "project", "get", MANAGE_FORM),
    ("contact_delete", "contact", "post", MANAGE_POST),
]


@pytest.fixture
def objects(soest_project, partner_soest, partner_lippstadt):
    decision = FundingDecisionFactory(project=soest_project)
    return {
        "project": soest_project,
        "report": ProgressReportFactory(project=soest_project, author=partner_soest),
        "draft": ProgressReportFactory(
            project=soest_project, author=partner_soest, status=ProgressReport.Status.DRAFT
        ),
        "milestone": MilestoneFactory(project=soest_project),
        "document": DocumentFactory(project=soest_project),
        "funding": decision,
        "budget_line": BudgetLineFactory(project=soest_project),
        "drawdown": DrawdownFactory(funding_decision=decision),
        "contact": ProjectContact.objects.create(
            project=soest_project,
            municipality=partner_lippstadt.municipality,
            user=partner_lippstadt,
        ),
    }


def url_for(name, key, objects):
    if key is None:
        return reverse(f"projects:{name}")
    project = objects["project"]
    if key == "project":
        return reverse(f"projects:{name}", args=[project.slug])
    return reverse(f"projects:{name}", args=[project.slug, objects[key].pk])


@pytest.mark.parametrize(("name", "key", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_role_matrix(request, client, objects, name, key, method, expected, role_index):
    user = request.getfixturevalue(ROLES[role_index])
    client.force_login(user)
    url = url_for(name, key, objects)
    data = {"comment": "Bitte ergänzen.", "done": "1"} if method == "post" else None
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == expected[role_index], f"{ROLES[role_index]} {method} {url}"


@pytest.mark.parametrize(("name", "key", "method", "expected"), MATRIX)
def test_anonymous_is_sent_to_login(client, objects, name, key, method, expected):
    url = url_for(name, key, objects)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


POST_ONLY = [row for row in MATRIX if row[2] == "post"]


@pytest.mark.parametrize(("name", "key", "method", "expected"), POST_ONLY)
def test_state_changes_refuse_get(client_for, office, objects, name, key, method, expected):
    assert client_for(office).get(url_for(name, key, objects)).status_code == 405


@pytest.mark.parametrize("name", ["document_download", "export_csv", "list"])
def test_downloads_and_lists_refuse_post(client_for, office, objects, name):
    key = "document" if name == "document_download" else None
    assert client_for(office).post(url_for(name, key, objects)).status_code == 405


def test_unknown_project_and_foreign_sub_object_give_404(client_for, office, objects):
    from .factories import MilestoneFactory

    client = client_for(office)
    assert client.get("/projekte/gibt-es-nicht/").status_code == 404
    other = MilestoneFactory()  # belongs to another project
    url = reverse("projects:milestone_edit", args=[objects["project"].slug, other.pk])
    assert client.get(url).status_code == 404


def test_public_project_is_not_found_on_the_intranet_by_login_without_role(
    client_for, no_role_user, objects
):
    # The rules grant a login without a role nothing (soest_office.access.grantee_of): its
    # share of a public project is the public page /vorhaben/<slug>/.
    project = objects["project"]
    project.is_public = True
    project.save()
    client = client_for(no_role_user)
    assert client.get(project.get_absolute_url()).status_code == 404
    assert client.get(url_for("document_download", "document", objects)).status_code == 404
    assert client.get(reverse("vorhaben:detail", args=[project.slug])).status_code == 200
