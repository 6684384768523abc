"""Partners keep their own projects' description, next steps and contact person; money,
status and traffic light stay with the office and the reports."""

import pytest
from django.urls import reverse

from projects.models import Project, ProjectContact
from projects.tests.factories import ProjectFactory
from soest_office.access import Role
from soest_office.models import Municipality
from soest_office.tests.factories import UserFactory
from tests.formdata import form_data

pytestmark = pytest.mark.django_db


def test_partner_edits_description_next_steps_and_contact_of_an_own_project(
    client_for, partner_soest
):
    colleague = UserFactory(
        username="soest2", role=Role.PARTNER, municipality=partner_soest.municipality
    )
    # Soest takes part, Lippstadt leads: "own" includes projects the municipality joins.
    project = ProjectFactory(
        participants=["soest"], lead_municipality=Municipality.objects.get(slug="lippstadt")
    )
    client = client_for(partner_soest)
    url = reverse("projects:describe", args=[project.slug])
    data = form_data(client.get(url).content.decode())
    assert set(data) <= {"description", "next_steps", "contact_user", "version"}
    data.update(
        description="Neue Beschreibung",
        next_steps="Ausschreibung im Mai",
        contact_user=colleague.pk,
    )
    # A forged POST with money, status and traffic light changes none of them.
    data.update(total_budget="1", status="paused", traffic_light="red")

    assert client.post(url, data).status_code == 302

    stored = Project.objects.get(pk=project.pk)
    assert (stored.description, stored.next_steps) == ("Neue Beschreibung", "Ausschreibung im Mai")
    assert (stored.total_budget, stored.status, stored.traffic_light) == (
        project.total_budget,
        project.status,
        project.traffic_light,
    )
    contact = ProjectContact.objects.get(project=project, municipality=partner_soest.municipality)
    assert contact.user == colleague
    assert "Ausschreibung im Mai" in client.get(project.get_absolute_url()).content.decode()


def test_partner_of_another_municipality_may_not(client_for, partner_iserlohn, soest_project):
    url = reverse("projects:describe", args=[soest_project.slug])
    assert client_for(partner_iserlohn).get(url).status_code == 403
    response = client_for(partner_iserlohn).post(url, {"description": "fremd"})
    assert response.status_code == 403
    soest_project.refresh_from_db()
    assert soest_project.description != "fremd"


def test_partner_cannot_name_a_contact_of_another_municipality(
    client_for, partner_soest, partner_iserlohn, soest_project
):
    client = client_for(partner_soest)
    url = reverse("projects:describe", args=[soest_project.slug])
    data = form_data(client.get(url).content.decode())
    data["contact_user"] = partner_iserlohn.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Auswahl" in response.content.decode()  # not among the choices
    assert not ProjectContact.objects.filter(project=soest_project).exists()


def test_a_stale_description_save_is_refused(client_for, partner_soest, soest_project):
    client = client_for(partner_soest)
    url = reverse("projects:describe", args=[soest_project.slug])
    data = form_data(client.get(url).content.decode())
    other = Project.objects.get(pk=soest_project.pk)
    other.description = "Vom Büro geändert"
    other.save()
    data["description"] = "Meine Fassung"
    response = client.post(url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Beschreibung: dort „Vom Büro geändert“, bei Ihnen „Meine Fassung“" in html
    assert Project.objects.get(pk=soest_project.pk).description == "Vom Büro geändert"
