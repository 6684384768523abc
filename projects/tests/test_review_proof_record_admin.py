"""The admin lists the proof records (Verwendungs- and Zwischennachweise) and shows each,
but neither adds nor changes them: they are made and marked submitted in the intranet."""

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import ProofRecord
from soest_office.tests.factories import UserFactory

from .factories import FundingDecisionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="chefin", is_staff=True, is_superuser=True))
    return client


def proof_record(title, reference, *, status=ProofRecord.Status.DRAFT):
    decision = FundingDecisionFactory(project=ProjectFactory(title=title), reference=reference)
    return ProofRecord.objects.create(
        funding_decision=decision,
        kind=ProofRecord.Kind.FINAL,
        date_from=decision.period_start,
        date_to=decision.period_end,
        status=status,
        submitted_on=timezone.localdate() if status == ProofRecord.Status.SUBMITTED else None,
    )


def test_the_list_shows_the_records_with_their_project_and_finds_them_by_reference(
    admin_client,
):
    proof_record("Radweg Nord", "AZ-111")
    proof_record("Bürgerportal", "AZ-222", status=ProofRecord.Status.SUBMITTED)
    url = reverse("admin:projects_proofrecord_changelist")

    everything = admin_client.get(url).content.decode()
    found = admin_client.get(url, {"q": "AZ-222"}).content.decode()
    submitted = admin_client.get(url, {"status__exact": "submitted"}).content.decode()

    assert "Radweg Nord" in everything
    assert "Bürgerportal" in everything
    assert "Bürgerportal" in found
    assert "Radweg Nord" not in found
    assert "Bürgerportal" in submitted
    assert "Radweg Nord" not in submitted


def test_the_admin_neither_adds_nor_changes_a_record(admin_client):
    record = proof_record("Radweg Nord", "AZ-111")
    change_url = reverse("admin:projects_proofrecord_change", args=[record.pk])

    add = admin_client.get(reverse("admin:projects_proofrecord_add"))
    shown = admin_client.get(change_url)
    posted = admin_client.post(change_url, {"status": "submitted", "submitted_on": "01.01.2026"})

    assert add.status_code == 403
    assert shown.status_code == 200
    assert 'name="status"' not in shown.content.decode()
    assert posted.status_code == 403
    record.refresh_from_db()
    assert record.status == ProofRecord.Status.DRAFT
