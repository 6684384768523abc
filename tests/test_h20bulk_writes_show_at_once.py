"""Services that write without model signals (QuerySet.update, bulk_create) inside a
transaction that also saves or deletes a watched model of the same cache generation: that
save starts the new generation (soest_office.caching), so what the plain writes changed
shows on the cached pages at once. These tests keep it so, should the plain writes ever
move out of that transaction or the save become an update."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from news import services as news_services
from news.models import PressRelease
from news.tests.factories import PressReleaseFactory
from projects.services import ledger
from projects.tests.factories import BudgetLineFactory, FundingDecisionFactory, ProjectFactory
from stakeholders import services as stakeholder_services
from stakeholders.tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

WORD = "Zauberwort"


def text(user, url) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (getattr(user, "username", None), url)
    return response.content.decode()


def test_a_booked_receipts_spent_figures_show_on_the_cached_project_page_at_once(
    office, partner_soest
):
    project = ProjectFactory(slug="belege", total_budget=Decimal("100000"))
    decision = FundingDecisionFactory(
        project=project,
        decision_date=dt.date(2025, 1, 1),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    line = BudgetLineFactory(project=project, title="Lizenzen", funding_decision=decision)
    url = project.get_absolute_url()
    readers = (office, partner_soest)
    assert all("1.190,00 €" not in text(user, url) for user in readers)  # cached for each
    # ledger_refresh writes the line's and the project's spent figures with update().
    ledger.receipt_save(
        actor=office,
        project=project,
        data=ledger.ReceiptInput(
            budget_line=line,
            receipt_date=dt.date(2026, 3, 1),
            payee="Lizenz GmbH",
            purpose="Jahreslizenz",
            net_amount=Decimal("1000.00"),
            gross_amount=Decimal("1190.00"),
            payment_date=dt.date(2026, 3, 10),
        ),
    )
    assert all("1.190,00 €" in text(user, url) for user in readers)


def test_a_release_published_on_schedule_shows_on_the_cached_public_list_at_once():
    release = PressReleaseFactory(
        title=f"Neu: {WORD}",
        status=PressRelease.Status.SCHEDULED,
        publish_at=timezone.now() - dt.timedelta(seconds=1),
    )
    url = "/presse/"
    assert WORD not in text(None, url)  # kept for visitors without a login
    # The conditional update() publishes; the save after it records the transition.
    assert news_services.release_publish_scheduled(release_id=release.pk)
    assert WORD in text(None, url)


def test_history_moved_by_a_merge_shows_on_the_cached_contact_page_at_once(office, partner_soest):
    keep = ContactFactory(last_name="Kramer")
    merge = ContactFactory(last_name="Kramer")
    InteractionFactory(contact=merge, summary=f"Anruf wegen {WORD}")
    url = keep.get_absolute_url()
    readers = (office, partner_soest)
    assert all(WORD not in text(user, url) for user in readers)  # cached for each
    # The contact history moves over with update().
    stakeholder_services.contact_merge(keep=keep, merge=merge, user=office)
    assert all(WORD in text(user, url) for user in readers)
