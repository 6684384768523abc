"""The intranet project page asks only the rules: for every panel and every account,
including the edge accounts (a login without a role, a partner without a municipality, a
deactivated user), what the page shows is what the rules answer.

The project is public, with public milestones and documents and released funding: the
material the public grants reach, which a login without a role used to reach on the intranet
page too (a special case in the view closed that; now the rules grant that login nothing).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from projects.models import BudgetLine, Document, FundingDecision, Milestone, ProjectContact
from projects.rules import (
    DOCUMENT,
    FUNDING_DECISION,
    MILESTONE,
    PROJECT,
    PROJECT_CONTACT,
    REPORT,
)
from projects.views.projects import panel_permissions
from soest_office import access
from soest_office.access import VIEW

from .factories import (
    BudgetLineFactory,
    DocumentFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "office",
    "partner_soest",
    "partner_lippstadt",
    "steering",
    "partner_without_municipality",
    "no_role_user",
    "deactivated_user",
]
PANEL_RULES = {
    "funding": FUNDING_DECISION,
    "milestones": MILESTONE,
    "reports": REPORT,
    "documents": DOCUMENT,
    "contacts": PROJECT_CONTACT,
    "history": REPORT,
}


@pytest.fixture
def public_project(partner_soest):
    project = ProjectFactory(
        is_public=True,
        funding_is_public=True,
        lead_municipality=partner_soest.municipality,
        total_budget=987654,
    )
    FundingDecisionFactory(project=project, granted_amount=123456)
    BudgetLineFactory(project=project)
    MilestoneFactory(project=project, is_public=True, title="Öffentlicher Meilenstein")
    MilestoneFactory(project=project, is_public=False, title="Interner Meilenstein")
    DocumentFactory(project=project, is_public=True, title="Öffentliches Dokument")
    DocumentFactory(project=project, is_public=False, title="Internes Dokument")
    ProgressReportFactory(project=project, author=partner_soest)
    ProjectContact.objects.create(
        project=project, municipality=partner_soest.municipality, user=partner_soest
    )
    return project


def _ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("account", ACCOUNTS)
def test_page_and_rules_agree_on_every_panel(request, client, public_project, account):
    user = request.getfixturevalue(account)
    client.force_login(user)

    response = client.get(public_project.get_absolute_url())

    if not user.is_active:
        # A deactivated account has no session: the login, like any visitor.
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("soest_office:login"))
        assert not PROJECT.permits(user, VIEW)
        assert not any(panel_permissions(user).values())
        return
    if not PROJECT.allows(user, public_project, VIEW):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    context = response.context
    assert context["shows"] == {
        panel: rule.permits(user, VIEW) for panel, rule in PANEL_RULES.items()
    }
    on_project = {"project": public_project}
    assert sorted(m.pk for m in context["milestones"]) == _ids(
        Milestone.objects.visible_to(user).filter(**on_project)
    )
    assert sorted(d.pk for d in context["documents"]) == _ids(
        Document.objects.visible_to(user).filter(**on_project)
    )
    assert sorted(d.pk for d in context["decisions"]) == _ids(
        FundingDecision.objects.visible_to(user).filter(**on_project)
    )
    assert sorted(b.pk for b in context["budget_lines"]) == _ids(
        BudgetLine.objects.visible_to(user).filter(**on_project)
    )
    assert sorted(c.pk for c in context["contacts"]) == _ids(
        ProjectContact.objects.visible_to(user).filter(**on_project)
    )


@pytest.mark.parametrize("account", ["no_role_user", "deactivated_user"])
def test_rules_grant_a_login_without_role_and_a_deactivated_account_nothing(request, account):
    user = request.getfixturevalue(account)
    assert access.grantee_of(user) is None
    for rule in (PROJECT, *PANEL_RULES.values()):
        assert not rule.permits(user, VIEW), rule.model


def test_anonymous_visitor_keeps_the_public_grants(public_project):
    anonymous = AnonymousUser()
    assert access.grantee_of(anonymous) == access.PUBLIC
    assert PROJECT.allows(anonymous, public_project, VIEW)
    assert [m.title for m in Milestone.objects.visible_to(anonymous)] == [
        "Öffentlicher Meilenstein"
    ]
    assert FundingDecision.objects.visible_to(anonymous).count() == 1
    assert not REPORT.permits(anonymous, VIEW)


def test_partner_without_municipality_reads_every_panel_and_owns_nothing(
    partner_without_municipality, public_project
):
    user = partner_without_municipality
    assert all(panel_permissions(user).values())
    assert not PROJECT.allows(user, public_project, "contribute")


def test_login_without_role_reads_the_public_page_like_the_public(
    client, no_role_user, public_project
):
    url = reverse("vorhaben:detail", args=[public_project.slug])
    anonymous_html = client.get(url).content.decode()
    client.force_login(no_role_user)
    html = client.get(url).content.decode()

    for text in ("Öffentlicher Meilenstein", "Öffentliches Dokument", "123.456"):
        assert text in anonymous_html
        assert text in html
    for text in ("Interner Meilenstein", "Internes Dokument", "987.654"):
        assert text not in html
