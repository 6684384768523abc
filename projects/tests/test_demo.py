import io

import pytest
from django.core.management import call_command

from projects.models import Document, Milestone, ProgressReport, Project

pytestmark = pytest.mark.django_db


def seed(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_data_is_realistic_and_idempotent(settings):
    seed(settings)
    counts = (
        Project.objects.count(),
        Milestone.objects.count(),
        ProgressReport.objects.count(),
        Document.objects.count(),
    )
    seed(settings)
    assert (
        Project.objects.count(),
        Milestone.objects.count(),
        ProgressReport.objects.count(),
        Document.objects.count(),
    ) == counts

    office_project = Project.objects.get(slug="projektbuero")
    assert office_project.start_date.year == 2019
    assert office_project.planned_end_date.year == 2021
    assert office_project.funding_decisions.get().granted_amount == 1250000
    assert office_project.documents.get(kind="funding_decision").file.read().startswith(b"%PDF-")
    stadtmodell = Project.objects.get(slug="3d-stadtmodell")
    assert stadtmodell.traffic_light == "yellow"
    assert stadtmodell.reports.filter(status="accepted").count() == 2
    assert stadtmodell.percent_complete == 60
    # The ledger: spent is derived from the paid receipts, not from the reports.
    assert stadtmodell.receipts.count() == 5
    assert stadtmodell.spent_to_date == 416500 + 93500 + 250000 + 50000
    assert stadtmodell.budget_lines.get(title="Projektsteuerung").spent_amount == 50000
    assert (
        Project.objects.filter(
            slug__in=["digitales-buergerbuero", "buergerbeteiligung-online"]
        ).count()
        == 2
    )
    assert {p.field_of_action.slug for p in Project.objects.all()} >= {
        "bildung",
        "infrastruktur",
        "innenstadt",
        "mobilitaet",
        "gesundheit",
        "e-government",
    }
    assert ProgressReport.objects.filter(status="submitted").exists()  # waits for review


def test_demo_has_public_projects_with_public_milestones_documents_and_transferability(
    settings,
):
    seed(settings)
    public = Project.objects.filter(is_public=True, archived_at__isnull=True)
    assert public.count() >= 4
    for project in public:
        assert project.transferability
        assert project.milestones.filter(is_public=True).exists(), project.slug
        assert project.documents.filter(is_public=True).exists(), project.slug
    # Internal material stays internal: the minutes and the funding decision documents.
    assert not Document.objects.filter(is_public=True, kind__in=["minutes", "funding_decision"])
    assert public.filter(funding_is_public=True).exists()
