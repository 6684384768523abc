"""No lost update, on every edit form (soest_office.locking): the second save, based on a
version someone else saved in between, is refused with what the other person changed
(field: their value vs. yours), re-renders everything the user typed and saves nothing."""

import pytest
from django.urls import reverse

from news.models import PressRelease
from news.tests.factories import PressReleaseFactory
from projects.models import ProgressReport
from projects.tests.factories import (
    BudgetLineFactory,
    DrawdownFactory,
    FundingDecisionFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
)
from soest_office import locking
from stakeholders.tests.factories import ContactFactory, OrganisationFactory
from tests.formdata import form_data

pytestmark = pytest.mark.django_db


def _project(users):
    obj = ProjectFactory()
    return users["office"], reverse("projects:edit", args=[obj.slug]), obj


def _report(users):
    project = ProjectFactory()
    obj = ProgressReportFactory(
        project=project, author=users["partner_soest"], status=ProgressReport.Status.DRAFT
    )
    return users["partner_soest"], reverse("projects:report_edit", args=[project.slug, obj.pk]), obj


def _milestone(users):
    obj = MilestoneFactory()
    url = reverse("projects:milestone_edit", args=[obj.project.slug, obj.pk])
    return users["office"], url, obj


def _funding(users):
    obj = FundingDecisionFactory()
    url = reverse("projects:funding_edit", args=[obj.project.slug, obj.pk])
    return users["office"], url, obj


def _drawdown(users):
    obj = DrawdownFactory()
    url = reverse("projects:drawdown_edit", args=[obj.funding_decision.project.slug, obj.pk])
    return users["office"], url, obj


def _budget_line(users):
    obj = BudgetLineFactory()
    url = reverse("projects:budget_line_edit", args=[obj.project.slug, obj.pk])
    return users["office"], url, obj


def _contact(users):
    obj = ContactFactory()
    return users["office"], reverse("stakeholders:contact_update", args=[obj.pk]), obj


def _organisation(users):
    obj = OrganisationFactory()
    return users["office"], reverse("stakeholders:organisation_update", args=[obj.pk]), obj


def _release(users):
    obj = PressReleaseFactory(author=users["office"], status=PressRelease.Status.DRAFT)
    return users["office"], reverse("news:editorial_update", args=[obj.pk]), obj


# (make, field the other person changes, their value, field this user types into, typed)
CASES = {
    "project": (_project, "summary", "Von der Kollegin gekürzt.", "description", "Mein Text A"),
    "report": (_report, "achieved", "Vergabe erfolgt (Kollege).", "next_steps", "Mein Text B"),
    "milestone": (_milestone, "title", "Abnahme (Kollegin)", "note", "Mein Text C"),
    "funding": (_funding, "reference", "DMR-ANDERS", "programme", "Mein Programm D"),
    "drawdown": (_drawdown, "received_amount", "9000.00", "requested_amount", "12.000,00"),
    "budget_line": (_budget_line, "title", "Lizenzen (Kollege)", "planned_amount", "31.000,00"),
    "contact": (_contact, "function", "Amtsleitung (Kollegin)", "notes", "Mein Text E"),
    "organisation": (_organisation, "city", "Lippstadt-Nord", "notes", "Mein Text F"),
    "release": (_release, "teaser", "Kürzerer Vorspann (Kollegin).", "body", "Mein Text G"),
}


@pytest.mark.parametrize("case", CASES.keys())
def test_stale_save_shows_the_other_change_keeps_the_input_and_saves_nothing(
    case, client, office, office2, partner_soest
):
    make, their_field, their_value, my_field, typed = CASES[case]
    user, url, obj = make({"office": office, "partner_soest": partner_soest})
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    assert int(data["version"]) == obj.version
    before = getattr(type(obj).objects.get(pk=obj.pk), my_field)

    # Meanwhile a colleague saves a change (any save raises the version).
    other = type(obj).objects.get(pk=obj.pk)
    setattr(other, their_field, type(obj)._meta.get_field(their_field).to_python(their_value))
    other.save()
    assert other.version == obj.version + 1

    data[my_field] = typed
    response = client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 409, html[html.find("<main") :][:4000]
    assert "während Sie ihn bearbeitet haben" in html
    field = type(obj)._meta.get_field(their_field)
    theirs = locking.display(field, getattr(other, their_field))
    assert f"{field.verbose_name}: dort „{theirs}“" in html  # what the other person changed
    assert typed in html  # nothing typed is lost
    stored = type(obj).objects.get(pk=obj.pk)
    assert getattr(stored, my_field) == before  # nothing saved
    assert getattr(stored, their_field) == getattr(other, their_field)
    assert stored.version == other.version
    # The form now carries the new version: saving again is deliberate and succeeds.
    again = form_data(html)
    assert int(again["version"]) == other.version
    assert client.post(url, again).status_code == 302
    assert type(obj).objects.get(pk=obj.pk).version == other.version + 1


def test_admin_refuses_a_stale_save_and_raises_the_version(client, admin_user):
    milestone = MilestoneFactory(title="Vorher")
    url = reverse("admin:projects_milestone_change", args=[milestone.pk])
    client.force_login(admin_user)
    data = form_data(client.get(url).content.decode())
    assert int(data["version"]) == 1

    data["title"] = "Über den Admin"
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Über den Admin", 2)

    data["title"] = "Veralteter Stand"  # still version 1
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Titel: dort „Über den Admin“, bei Ihnen „Veralteter Stand“" in response.content.decode()
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Über den Admin", 2)


@pytest.mark.parametrize(
    "make",
    [
        lambda: ProjectFactory(),
        lambda: ProgressReportFactory(),
        lambda: FundingDecisionFactory(),
        lambda: BudgetLineFactory(),
        lambda: ContactFactory(),
        lambda: OrganisationFactory(),
        lambda: PressReleaseFactory(),
    ],
    ids=["project", "report", "funding", "budget_line", "contact", "organisation", "release"],
)
def test_every_versioned_admin_carries_the_version_and_a_save_raises_it(client, admin_user, make):
    obj = make()
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    client.force_login(admin_user)
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    assert int(data["version"]) == obj.version
    stale = dict(data, version=str(obj.version))
    bumped = type(obj).objects.get(pk=obj.pk)
    bumped.save()  # someone else saves in between
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "während Sie ihn bearbeitet haben" in response.content.decode()
    assert type(obj).objects.get(pk=obj.pk).version == obj.version + 1
