"""Report workflow, optimistic locking and the change history, through views and services."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects import selectors, services
from projects.models import Notification, ProgressReport, Project, ProjectUserSettings
from projects.rules import REPORT
from soest_office.access import CHANGE

from .factories import MilestoneFactory, ProgressReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def report_data(**overrides):
    data = {
        "reporting_date": "2026-01-15",
        "percent_complete": "55",
        "traffic_light": "yellow",
        "traffic_light_reason": "Lieferverzug beim Dienstleister.",
        "achieved": "Datenmodell abgestimmt, Pilot in der Altstadt gestartet.",
        "next_steps": "Ausrollen auf das ganze Stadtgebiet.",
        "risks": "Personalengpass im Vermessungsamt.",
        "spent_to_date": "12.345,67",
        "submit": "1",
    }
    data.update(overrides)
    return data


def test_partner_submits_report_for_own_project(
    client_for, partner_soest, soest_project, office, django_capture_on_commit_callbacks
):
    soest_project.start_date = soest_project.start_date.replace(year=2025)
    soest_project.save()
    url = reverse("projects:report_create", args=[soest_project.slug])

    # The message is a task queued after commit (projects.tasks.notify_report_submitted).
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(partner_soest).post(url, report_data())

    report = ProgressReport.objects.get(project=soest_project)
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.status == ProgressReport.Status.SUBMITTED
    assert report.author == partner_soest
    assert report.municipality.slug == "soest"
    assert report.spent_to_date == Decimal("12345.67")
    # Not official before acceptance: the project's light is unchanged.
    soest_project.refresh_from_db()
    assert soest_project.traffic_light == Project.TrafficLight.GREEN
    # The office is told (stored for its digest; office default is the digest).
    assert Notification.objects.filter(
        recipient=office, kind=Notification.Kind.REPORT_SUBMITTED
    ).exists()


def test_partner_saves_a_draft_without_submitting(
    client_for, partner_soest, soest_project, django_capture_on_commit_callbacks
):
    soest_project.start_date = None
    soest_project.save()
    data = report_data()
    del data["submit"]
    data["draft"] = "1"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(partner_soest).post(
            reverse("projects:report_create", args=[soest_project.slug]), data
        )
    assert ProgressReport.objects.get().status == ProgressReport.Status.DRAFT
    assert not Notification.objects.exists()


def test_invalid_report_keeps_input_and_shows_german_errors(
    client_for, partner_soest, soest_project
):
    data = report_data(percent_complete="140", traffic_light_reason="", spent_to_date="-5")
    response = client_for(partner_soest).post(
        reverse("projects:report_create", args=[soest_project.slug]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der Fortschritt muss zwischen 0 und 100 % liegen." in html
    assert "Bitte begründen Sie, warum die Ampel nicht auf grün steht." in html
    assert "Die Ausgaben dürfen nicht negativ sein." in html
    assert "Datenmodell abgestimmt" in html  # nothing typed is lost
    assert not ProgressReport.objects.exists()


def test_accepting_freezes_snapshot_and_updates_project(
    office, partner_soest, soest_project, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(
        project=soest_project,
        author=partner_soest,
        traffic_light="red",
        traffic_light_reason="Ausschreibung gescheitert.",
        percent_complete=35,
        spent_to_date=Decimal("5000"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.report_accept(actor=office, report=report)

    report.refresh_from_db()
    soest_project.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED
    assert report.reviewed_by == office
    assert report.snapshot["report"]["traffic_light"] == "red"
    assert report.snapshot["report"]["spent_to_date"] == "5000.00"
    assert report.snapshot["project"]["title"] == "3D-Stadtmodell"
    assert soest_project.traffic_light == "red"
    assert soest_project.traffic_light_reason == "Ausschreibung gescheitert."
    assert soest_project.percent_complete == 35
    assert soest_project.spent_to_date == Decimal("5000")
    assert soest_project.last_report_date == report.reporting_date
    assert Notification.objects.filter(kind=Notification.Kind.LIGHT_CHANGED).exists()


def test_accepted_report_cannot_be_edited_or_accepted_again(office, partner_soest, soest_project):
    report = ProgressReportFactory(project=soest_project, author=partner_soest)
    services.report_accept(actor=office, report=report)
    assert not REPORT.allows(partner_soest, report, CHANGE)
    with pytest.raises(ValidationError):
        services.report_accept(actor=office, report=report)


def test_older_report_accepted_late_does_not_overwrite_newer_figures(
    office, partner_soest, soest_project
):
    import datetime

    newer = ProgressReportFactory(project=soest_project, author=partner_soest, percent_complete=70)
    older = ProgressReportFactory(
        project=soest_project,
        author=partner_soest,
        percent_complete=20,
        reporting_date=newer.reporting_date - datetime.timedelta(days=30),
    )
    services.report_accept(actor=office, report=newer)
    services.report_accept(actor=office, report=older)
    soest_project.refresh_from_db()
    assert soest_project.percent_complete == 70


def test_return_needs_comment_and_lets_author_resubmit(
    client_for, office, partner_soest, soest_project, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(project=soest_project, author=partner_soest)
    settings_row = ProjectUserSettings.objects.create(user=partner_soest, mail_mode="immediate")
    url = reverse("projects:report_return", args=[soest_project.slug, report.pk])

    empty = client_for(office).post(url, {"comment": " "})
    assert empty.status_code == 400
    assert "Bitte begründen Sie die Rückgabe" in empty.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(office).post(url, {"comment": "Bitte Ausgaben nach Kostenplan aufschlüsseln."})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.RETURNED
    assert report.review_comment.startswith("Bitte Ausgaben")
    # Immediate mode: the author gets a mail at once (tasks eager in tests).
    assert len(mail.outbox) == 1
    assert "zurückgegeben" in mail.outbox[0].subject
    assert settings_row.user.email in mail.outbox[0].to
    assert REPORT.allows(partner_soest, report, CHANGE)

    client_for(partner_soest).post(
        reverse("projects:report_submit", args=[soest_project.slug, report.pk])
    )
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_partner_of_other_municipality_cannot_review_or_edit(
    partner_lippstadt, partner_iserlohn, partner_soest, soest_project
):
    report = ProgressReportFactory(
        project=soest_project, author=partner_soest, status=ProgressReport.Status.DRAFT
    )
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=partner_soest, report=report)
    # Lippstadt takes part in the project but did not write the report.
    assert not REPORT.allows(partner_lippstadt, report, CHANGE)
    assert not REPORT.allows(partner_iserlohn, report, CHANGE)
    with pytest.raises(PermissionDenied):
        services.report_save(actor=partner_iserlohn, project=soest_project, fields={})


def test_changes_since_previous_report_are_listed(office, partner_soest, soest_project):
    import datetime

    first = ProgressReportFactory(
        project=soest_project,
        author=partner_soest,
        reporting_date=datetime.date(2025, 3, 31),
        percent_complete=20,
        spent_to_date=Decimal("1000"),
    )
    first = services.report_accept(actor=office, report=first)
    second = ProgressReportFactory(
        project=soest_project,
        author=partner_soest,
        reporting_date=datetime.date(2025, 6, 30),
        percent_complete=45,
        traffic_light="yellow",
        traffic_light_reason="Verzug",
        spent_to_date=Decimal("2500.5"),
    )
    changes = selectors.report_changes([second, first])
    labels = {c.label: (c.before, c.after) for c in changes[second.pk]}
    assert changes[first.pk] == []
    assert labels["Fortschritt (%)"] == ("20 %", "45 %")
    assert labels["Ampel"] == ("grün", "gelb")
    assert labels["bisher ausgegeben (€)"] == ("1.000,00 €", "2.500,50 €")
    assert "Was wurde erreicht?" not in labels  # unchanged text is not listed


def test_detail_page_shows_changes_and_history(client_for, office, partner_soest, soest_project):
    import datetime

    first = ProgressReportFactory(
        project=soest_project, author=partner_soest, reporting_date=datetime.date(2025, 3, 31)
    )
    first = services.report_accept(actor=office, report=first)
    ProgressReportFactory(
        project=soest_project,
        author=partner_soest,
        reporting_date=datetime.date(2025, 6, 30),
        percent_complete=90,
    )
    html = client_for(office).get(soest_project.get_absolute_url()).content.decode()
    assert "Was hat sich seit dem vorigen Bericht geändert?" in html
    assert "40 % → 90 %" in html
    assert "Ampel" in html
    # The change history has its own page, linked from the project page.
    history_url = reverse("projects:history", args=[soest_project.slug])
    assert f'href="{history_url}">Änderungsverlauf ansehen</a>' in html
    html = client_for(office).get(history_url).content.decode()
    assert "Bericht zum 30.06.2025 angelegt" in html
    assert "Bericht zum 31.03.2025 geändert" in html


def project_post_data(project, **overrides):
    data = {
        "title": project.title,
        "slug": project.slug,
        "summary": project.summary,
        "description": project.description,
        "field_of_action": project.field_of_action_id,
        "lead_municipality": project.lead_municipality_id,
        "status": project.status,
        "traffic_light": project.traffic_light,
        "traffic_light_reason": project.traffic_light_reason,
        "start_date": project.start_date.isoformat(),
        "planned_end_date": project.planned_end_date.isoformat(),
        "total_budget": "100.000,00",
        "transferability": "",
        "version": project.version,
    }
    data.update(overrides)
    return data


def test_second_concurrent_save_is_refused_with_what_changed(client, office, office2):
    project = ProjectFactory(title="Digitales Bürgerbüro", slug="buergerbuero")
    url = reverse("projects:edit", args=[project.slug])
    # Both open the form at version 1.
    first = project_post_data(project, status="paused")
    second = project_post_data(project, summary="Meine neue Kurzbeschreibung")

    client.force_login(office)
    assert client.post(url, first).status_code == 302
    client.force_login(office2)
    response = client.post(url, second)

    html = response.content.decode()
    project.refresh_from_db()
    assert response.status_code == 409
    assert "hat diesen Datensatz gespeichert, während Sie ihn bearbeitet haben" in html
    # What the other person changed: their value vs. the one in this form.
    assert "Status: dort „pausiert“, bei Ihnen „in Umsetzung“" in html
    assert "Meine neue Kurzbeschreibung" in html  # the user's input is kept
    assert project.status == "paused"
    assert project.summary != "Meine neue Kurzbeschreibung"
    assert project.version == 2

    # Saving again on purpose (the form now carries version 2) succeeds.
    resubmit = project_post_data(project, summary="Meine neue Kurzbeschreibung", version=2)
    assert client.post(url, resubmit).status_code == 302
    project.refresh_from_db()
    assert project.summary == "Meine neue Kurzbeschreibung"
    assert project.version == 3


def test_project_update_service_raises_conflict_on_stale_version(office):
    project = ProjectFactory()
    services.project_update(
        actor=office, project_id=project.pk, expected_version=1, fields={"title": "Neu"}
    )
    with pytest.raises(services.ProjectConflict) as info:
        services.project_update(
            actor=office, project_id=project.pk, expected_version=1, fields={"title": "Anders"}
        )
    assert [(c.label, c.theirs, c.yours) for c in info.value.changes] == [
        ("Titel", "Neu", "Anders")
    ]


def test_partner_ticks_milestone_of_own_project_only(
    client_for, partner_soest, partner_iserlohn, soest_project
):
    milestone = MilestoneFactory(project=soest_project)
    url = reverse("projects:milestone_done", args=[soest_project.slug, milestone.pk])

    assert client_for(partner_iserlohn).post(url, {"done": "1"}).status_code == 403
    assert client_for(partner_soest).post(url, {"done": "1"}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_date is not None
    assert milestone.history.count() == 2  # created, ticked: in the change history
    assert milestone.history.first().history_user == partner_soest


def test_history_shows_who_changed_the_participating_municipalities(client_for, office):
    from soest_office.models import Municipality

    project = ProjectFactory(participants=["lippstadt"])
    services.project_update(
        actor=office,
        project_id=project.pk,
        expected_version=project.version,
        fields={},
        participating=Municipality.objects.filter(slug__in=["iserlohn", "kreis-soest"]),
    )
    html = client_for(office).get(reverse("projects:history", args=[project.slug])).content.decode()
    assert "beteiligte Kommunen: Stadt Lippstadt → Stadt Iserlohn, Kreis Soest" in html
