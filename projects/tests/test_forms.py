"""German validation of every form: bad input gives a clear message and no 500."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.forms import DrawdownForm, FundingDecisionForm, ProjectForm
from projects.models import Document, FundingDecision, Milestone, Project
from soest_office.tests.factories import municipality

from .factories import FundingDecisionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def project_form_data(**overrides):
    from projects.models import FieldOfAction

    data = {
        "title": "Digitales Bürgerbüro",
        "slug": "digitales-buergerbuero",
        "field_of_action": FieldOfAction.objects.get(slug="e-government").pk,
        "lead_municipality": municipality("soest").pk,
        "status": "planned",
        "traffic_light": "green",
        "start_date": "2026-01-01",
        "planned_end_date": "2027-12-31",
        "total_budget": "250.000,00",
    }
    data.update(overrides)
    return data


def test_office_creates_project_with_german_amounts(client_for, office):
    response = client_for(office).post(
        reverse("projects:create"),
        project_form_data(participating_municipalities=[municipality("iserlohn").pk]),
    )
    project = Project.objects.get(slug="digitales-buergerbuero")
    assert response.status_code == 302
    assert project.total_budget == Decimal("250000.00")
    assert [m.slug for m in project.participating_municipalities.all()] == ["iserlohn"]
    assert project.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"planned_end_date": "2025-12-31"},
            "planned_end_date",
            "Das geplante Ende darf nicht vor dem Beginn liegen.",
        ),
        (
            {"traffic_light": "red"},
            "traffic_light_reason",
            "Bitte begründen Sie, warum die Ampel nicht auf grün steht.",
        ),
        ({"total_budget": "-1"}, "total_budget", "Das Budget darf nicht negativ sein."),
        ({"total_budget": "viel"}, "total_budget", "Bitte eine Zahl eingeben."),
        ({"slug": "mit leerzeichen"}, "slug", "Bitte ein gültiges Kürzel"),
        ({"start_date": "31.02.2026"}, "start_date", "Bitte ein gültiges Datum eingeben."),
    ],
)
def test_project_form_errors(overrides, field, message):
    form = ProjectForm(data=project_form_data(**overrides))
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_lead_municipality_is_not_also_participating():
    form = ProjectForm(
        data=project_form_data(participating_municipalities=[municipality("soest").pk])
    )
    assert not form.is_valid()
    assert "federführende Kommune" in form.errors["participating_municipalities"][0]


def test_budget_below_granted_funding_is_refused():
    project = ProjectFactory(total_budget=Decimal("100000"))
    FundingDecisionFactory(project=project, granted_amount=Decimal("40000"))
    data = project_form_data(slug=project.slug, total_budget="30.000,00")
    form = ProjectForm(data=data, instance=project)
    assert not form.is_valid()
    assert "ist höher als das Budget" in form.errors["total_budget"][0]


def funding_data(**overrides):
    data = {
        "funder": "Land NRW",
        "programme": "Digitale Modellregionen",
        "reference": "DMR-1",
        "decision_date": "2026-01-10",
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "eligible_costs": "50.000,00",
        "funding_rate": "80",
        "granted_amount": "40.000,00",
        "own_share": "10.000,00",
    }
    data.update(overrides)
    return data


def test_funding_decision_valid():
    form = FundingDecisionForm(data=funding_data(), project=ProjectFactory())
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"granted_amount": "45.000,00", "own_share": "5.000,00"},
            "granted_amount",
            "Zuwendung und Förderquote passen nicht zusammen",
        ),
        ({"funding_rate": "120"}, "funding_rate", "zwischen 0 und 100"),
        ({"period_end": "2025-12-31"}, "period_end", "endet vor seinem Beginn"),
        ({"own_share": "1.000,00"}, "own_share", "ergeben zusammen nicht"),
        (
            {
                "eligible_costs": "500.000,00",
                "granted_amount": "400.000,00",
                "own_share": "100.000,00",
            },
            "granted_amount",
            "höher als das Budget",
        ),
    ],
)
def test_funding_decision_errors(overrides, field, message):
    form = FundingDecisionForm(data=funding_data(**overrides), project=ProjectFactory())
    assert not form.is_valid()
    assert any(message in e for e in form.errors[field]), form.errors


def test_drawdown_cannot_exceed_granted_amount():
    decision = FundingDecisionFactory(granted_amount=Decimal("40000"))
    form = DrawdownForm(
        data={
            "funding_decision": decision.pk,
            "requested_date": "2026-02-01",
            "requested_amount": "50.000,00",
            "received_amount": "60.000,00",
        },
        project=decision.project,
    )
    assert not form.is_valid()
    assert "bewilligt sind nur 40.000,00 €" in form.errors["requested_amount"][0]
    assert "Es kann nicht mehr eingehen" in form.errors["received_amount"][0]


def test_drawdown_of_another_projects_decision_is_not_a_choice():
    foreign = FundingDecisionFactory()
    form = DrawdownForm(
        data={
            "funding_decision": foreign.pk,
            "requested_date": "2026-02-01",
            "requested_amount": "1,00",
            "received_amount": "0",
        },
        project=ProjectFactory(),
    )
    assert not form.is_valid()
    assert "funding_decision" in form.errors


def test_milestone_form_through_view(client_for, office, soest_project):
    url = reverse("projects:milestone_create", args=[soest_project.slug])
    bad = client_for(office).post(url, {"title": "", "due_date": "morgen"})
    html = bad.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Bitte ein gültiges Datum eingeben." in html
    ok = client_for(office).post(url, {"title": "Abnahme", "due_date": "2026-09-30"})
    assert ok.status_code == 302
    assert Milestone.objects.get().due_date == datetime.date(2026, 9, 30)


def test_funding_view_saves_for_the_project(client_for, office, soest_project):
    url = reverse("projects:funding_create", args=[soest_project.slug])
    response = client_for(office).post(url, funding_data())
    assert response.status_code == 302
    assert FundingDecision.objects.get().project == soest_project


def test_document_upload_checks_content(client_for, partner_soest, soest_project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("projects:document_create", args=[soest_project.slug])
    fake = SimpleUploadedFile("protokoll.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_for(partner_soest).post(
        url, {"title": "Protokoll", "kind": "minutes", "file": fake}
    )
    assert "Der Inhalt der Datei passt nicht zur Endung „.pdf“" in response.content.decode()
    assert not Document.objects.exists()

    real = SimpleUploadedFile(
        "../../Protokoll Lenkungskreis.pdf", b"%PDF-1.7\n%\xe2\xe3\n", "application/pdf"
    )
    response = client_for(partner_soest).post(
        url, {"title": "Protokoll", "kind": "minutes", "file": real}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "Protokoll Lenkungskreis.pdf"
    assert document.file.name.startswith("projekte/dokumente/")
    assert "Protokoll" not in document.file.name  # generated storage name
    assert document.uploaded_by == partner_soest

    download = client_for(partner_soest).get(document.get_absolute_url())
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")


def test_upload_too_large_is_refused(client_for, office, soest_project, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_MAX_BYTES = 100
    url = reverse("projects:document_create", args=[soest_project.slug])
    big = SimpleUploadedFile("gross.pdf", b"%PDF-" + b"x" * 200, "application/pdf")
    response = client_for(office).post(url, {"title": "Groß", "kind": "other", "file": big})
    assert "Die Datei ist zu groß" in response.content.decode()


def test_second_contact_for_same_municipality_is_a_form_error(
    client_for, office, partner_soest, soest_project
):
    url = reverse("projects:contact_create", args=[soest_project.slug])
    data = {"municipality": partner_soest.municipality_id, "user": partner_soest.pk}
    assert client_for(office).post(url, data).status_code == 302
    again = client_for(office).post(url, data)
    assert again.status_code == 200
    assert "Für diese Kommune gibt es schon eine Ansprechperson" in again.content.decode()


def test_contact_must_belong_to_the_municipality(client_for, office, partner_soest, soest_project):
    url = reverse("projects:contact_create", args=[soest_project.slug])
    data = {"municipality": municipality("iserlohn").pk, "user": partner_soest.pk}
    response = client_for(office).post(url, data)
    assert "gehört nicht zur gewählten Kommune" in response.content.decode()
