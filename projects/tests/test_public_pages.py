"""The public project pages (/vorhaben/): what the public sees, and nothing internal."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats

from projects.models import Document, Milestone, ProgressReport, Project, ProjectContact
from projects.rules import DOCUMENT, MILESTONE, PROJECT
from soest_office.models import Municipality

from .factories import DocumentFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def _money_strings(amount):
    return {
        formats.number_format(amount, 2, use_l10n=True, force_grouping=True),
        formats.number_format(amount, 0, use_l10n=True, force_grouping=True),
        f"{amount:.2f}",
    }


def _internal_texts(project):
    """Every internal field of the demo data about the project."""
    texts = set()
    if project.traffic_light_reason:
        texts.add(project.traffic_light_reason)
    for report in ProgressReport.objects.filter(project=project):
        texts |= {report.traffic_light_reason, report.achieved, report.next_steps, report.risks}
    for contact in ProjectContact.objects.filter(project=project).select_related("user"):
        texts |= {contact.user.get_full_name(), contact.user.email}
    for milestone in Milestone.objects.filter(project=project, is_public=False):
        texts |= {milestone.title, milestone.note}
    for document in Document.objects.filter(project=project, is_public=False):
        texts |= {document.title, document.original_name}
    if not project.funding_is_public:
        texts |= _money_strings(project.total_budget)
        for decision in project.funding_decisions.all():
            texts |= _money_strings(decision.granted_amount) | {decision.reference}
    for line in project.budget_lines.all():
        texts |= _money_strings(line.planned_amount)
    return {t for t in texts if t and len(t) > 3}


def test_every_public_demo_page_shows_nothing_internal(client, demo):
    public = list(Project.objects.filter(is_public=True, archived_at__isnull=True))
    assert len(public) >= 4

    listing = client.get(reverse("vorhaben:list")).content.decode()
    for project in Project.objects.all():
        assert (project.title in listing) == (project in public), project.slug
    for project in public:
        body = client.get(reverse("vorhaben:detail", args=[project.slug])).content.decode()
        assert project.title in body
        assert project.transferability in body
        for milestone in Milestone.objects.filter(project=project, is_public=True):
            assert milestone.title in body
        for document in Document.objects.filter(project=project, is_public=True):
            assert document.title in body
        for text in _internal_texts(project):
            assert text not in body, (project.slug, text)
        assert "Ampel" not in body


def test_released_funding_shows_the_granted_sum(client, demo):
    project = Project.objects.get(slug="projektbuero")
    assert project.funding_is_public
    body = client.get(reverse("vorhaben:detail", args=[project.slug])).content.decode()
    assert "1.250.000,00 €" in body


def test_non_public_and_archived_projects_are_404_for_everyone(client, client_for, office):
    hidden = ProjectFactory(is_public=False)
    archived = ProjectFactory(is_public=True)
    archived.archived_at = archived.created_at
    archived.save()
    for project in (hidden, archived):
        url = reverse("vorhaben:detail", args=[project.slug])
        assert client.get(url).status_code == 404
        # The public page shows the public's view, also to the office.
        assert client_for(office).get(url).status_code == 404


def test_only_public_documents_of_public_projects_download(client):
    project = ProjectFactory(is_public=True)
    shown = DocumentFactory(project=project, is_public=True)
    internal = DocumentFactory(project=project, is_public=False)
    elsewhere = DocumentFactory(project=ProjectFactory(is_public=False), is_public=True)

    ok = client.get(reverse("vorhaben:document", args=[project.slug, shown.pk]))
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content).startswith(b"%PDF")
    assert (
        client.get(reverse("vorhaben:document", args=[project.slug, internal.pk])).status_code
        == 404
    )
    url = reverse("vorhaben:document", args=[elsewhere.project.slug, elsewhere.pk])
    assert client.get(url).status_code == 404
    url = reverse("vorhaben:document", args=[project.slug, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_rules_answer_the_public_for_projects_milestones_and_documents():
    anonymous = AnonymousUser()
    public, hidden = ProjectFactory(is_public=True), ProjectFactory(is_public=False)
    shown = MilestoneFactory(project=public, is_public=True)
    MilestoneFactory(project=public, is_public=False)
    MilestoneFactory(project=hidden, is_public=True)
    document = DocumentFactory(project=public, is_public=True)
    DocumentFactory(project=hidden, is_public=True)

    assert list(PROJECT.scope(Project.objects.all(), anonymous)) == [public]
    assert list(MILESTONE.scope(Milestone.objects.all(), anonymous)) == [shown]
    assert list(DOCUMENT.scope(Document.objects.all(), anonymous)) == [document]


def test_list_filters_by_municipality_and_field_of_action(client):
    soest = ProjectFactory(is_public=True, title="Vorhaben Soest", participants=["iserlohn"])
    lippstadt = ProjectFactory(
        is_public=True,
        title="Vorhaben Lippstadt",
        lead_municipality=Municipality.objects.get(slug="lippstadt"),
    )

    body = client.get(reverse("vorhaben:list"), {"kommune": "iserlohn"}).content.decode()
    assert soest.title in body
    assert lippstadt.title not in body
    field = soest.field_of_action.slug
    body = client.get(reverse("vorhaben:list"), {"handlungsfeld": field}).content.decode()
    assert soest.title in body
    body = client.get(
        reverse("vorhaben:list"), {"kommune": "x' OR 1=1 --", "unbekannt": "1"}
    ).content.decode()
    assert soest.title not in body
    assert "Keine Vorhaben gefunden." in body


def test_public_pages_have_no_internal_navigation(client, client_for, office):
    ProjectFactory(is_public=True)
    body = client.get(reverse("vorhaben:list")).content.decode()
    assert reverse("projects:list") not in body
    assert 'href="/vorhaben/"' in body


def test_list_query_count_is_constant(client, django_assert_num_queries):
    for _ in range(3):
        ProjectFactory(is_public=True, participants=["lippstadt"])
    with django_assert_num_queries(5):
        client.get(reverse("vorhaben:list"))
    for _ in range(6):
        ProjectFactory(is_public=True, participants=["iserlohn"])
    with django_assert_num_queries(5):
        client.get(reverse("vorhaben:list"))


def test_detail_query_count_does_not_grow_with_milestones(client, django_assert_num_queries):
    project = ProjectFactory(is_public=True, participants=["lippstadt"])
    MilestoneFactory(project=project, is_public=True)
    DocumentFactory(project=project, is_public=True)
    url = reverse("vorhaben:detail", args=[project.slug])
    client.get(url)
    # 5 of the page and the press panel, 1 of the participation panel (its participation).
    with django_assert_num_queries(6 + 1) as before:
        client.get(url)
    for _ in range(5):
        MilestoneFactory(project=project, is_public=True)
        DocumentFactory(project=project, is_public=True)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)


def test_login_without_role_finds_no_intranet_page_but_the_public_one_of_a_public_project(
    client_for, no_role_user
):
    """The rules grant a login without a role nothing (soest_office.access.grantee_of): the
    intranet page of a public project is not found for it, and the public page shows it
    what the public sees, the released funding sum but never the budget."""
    from .factories import FundingDecisionFactory

    project = ProjectFactory(is_public=True, funding_is_public=True, total_budget=987654)
    decision = FundingDecisionFactory(project=project, granted_amount=123456)
    MilestoneFactory(project=project, is_public=True, title="Öffentlicher Meilenstein")
    client = client_for(no_role_user)

    assert client.get(project.get_absolute_url()).status_code == 404
    public = client.get(reverse("vorhaben:detail", args=[project.slug]))

    html = public.content.decode()
    assert public.status_code == 200
    assert "Öffentlicher Meilenstein" in html
    assert "123.456" in html
    assert "987.654" not in html
    assert decision.reference not in html
