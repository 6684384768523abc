"""The public granted sums (project page, open-data API, transparency list) are the
intranet's figure as of today (projects.services.money): a funding decision entered ahead
of its date counts on neither side before that date."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import public, transparency
from projects.models import Project
from projects.services.money import money_annotations, money_as_of

from .factories import FundingDecisionFactory, ProjectFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def released():
    """A public project whose funding the office released: one decision issued, one entered
    for a date in ten days."""
    project = ProjectFactory(title="Radweg Nord", is_public=True, funding_is_public=True)
    today = timezone.localdate()
    FundingDecisionFactory(
        project=project, decision_date=today - 30 * DAY, granted_amount=Decimal("40000.00")
    )
    FundingDecisionFactory(
        project=project, decision_date=today + 10 * DAY, granted_amount=Decimal("25000.00")
    )
    return project


def test_the_public_sum_counts_only_decisions_issued_by_today_like_the_intranet(released):
    intranet = money_as_of(released).granted
    annotated = (
        Project.objects.filter(pk=released.pk)
        .annotate(**money_annotations())
        .values_list("granted", flat=True)
        .get()
    )

    assert public.public_funding([released.pk]) == {released.pk: Decimal("40000.00")}
    assert intranet == annotated == Decimal("40000.00")


def test_a_project_whose_only_decision_is_still_to_come_shows_no_sum(client):
    project = ProjectFactory(is_public=True, funding_is_public=True)
    FundingDecisionFactory(project=project, decision_date=timezone.localdate() + DAY)

    answer = client.get(reverse("api_v1:project", args=[project.slug]))

    assert public.public_funding([project.pk]) == {}
    assert answer.json()["funding_granted_eur"] is None


def test_page_api_and_transparency_list_show_the_sum_as_of_today(client, released):
    page = client.get(reverse("vorhaben:detail", args=[released.slug])).content.decode()
    api = client.get(reverse("api_v1:project", args=[released.slug])).json()
    (row,) = [r for r in transparency.public_rows() if r["slug"] == released.slug]

    assert "40.000,00 €" in page
    assert "65.000,00 €" not in page
    assert api["funding_granted_eur"] == "40000.00"
    assert row["funding_granted_eur"] == "40000.00"


def test_funding_the_office_did_not_release_stays_absent(released):
    released.funding_is_public = False
    released.save(update_fields=["funding_is_public"])

    assert public.public_funding([released.pk]) == {}
