"""A decision that changes a project ("Projekt wird gestoppt"): applied through the projects
app's service, audited, and shown in the project's history with a link to the decision for
those who may see the decision (meetings/rules.py), and without a trace of a confidential
decision for everyone else."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.models import Decision
from meetings.services.decisions import decision_apply_effect, decision_create
from projects.models import Project
from projects.tests.factories import ProjectFactory
from soest_office.models import AuditEvent

from .factories import MeetingFactory, MembershipFactory

CANCELLED = Project.Status.CANCELLED
SECRET = "Projekt wird wegen Haushaltssperre gestoppt"


def _meeting(**kwargs):
    return MeetingFactory(body__code="LK", starts_at=timezone.now() - timedelta(days=1), **kwargs)


def _stop(office, project, meeting=None):
    return decision_create(
        office,
        meeting or _meeting(),
        text=SECRET,
        vote="unanimous",
        effect_project=project,
        effect_status=CANCELLED,
    )


def _history(client_for, user, project):
    return client_for(user).get(reverse("projects:history", args=[project.slug]))


def test_office_records_a_decision_that_stops_a_project(office):
    project = ProjectFactory(status=Project.Status.IN_PROGRESS)
    decision = _stop(office, project)
    project.refresh_from_db()
    assert project.status == CANCELLED
    assert decision.effect_applied_at is not None
    assert decision.effect_previous_status == Project.Status.IN_PROGRESS
    assert list(decision.projects.all()) == [project]  # the changed project is concerned too
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.MEETING_DECISION_EFFECT)
    assert event.target == decision.reference
    assert event.details == {
        "projekt": project.slug,
        "vorher": "in_progress",
        "nachher": "cancelled",
    }
    assert event.actor == office
    latest = project.history.order_by("-history_date").first()
    assert latest.history_change_reason == f"ref:meetings.decision:{decision.pk}"


def test_history_links_the_change_to_the_decision_for_the_office(office, client_for):
    project = ProjectFactory(status=Project.Status.PLANNED)
    decision = _stop(office, project)
    html = _history(client_for, office, project).content.decode()
    assert "geplant → abgebrochen" in html
    assert f'href="{decision.get_absolute_url()}">Beschluss {decision.reference}</a>' in html


def test_non_confidential_decision_is_linked_for_partners_and_steering(
    office, partner_soest, steering, partner_without_municipality, client_for
):
    project = ProjectFactory(status=Project.Status.PLANNED)
    decision = _stop(office, project)
    for user in (partner_soest, steering, partner_without_municipality):
        html = _history(client_for, user, project).content.decode()
        assert f"Beschluss {decision.reference}" in html, user


def test_confidential_decision_does_not_leak_into_a_partners_history(
    office, partner_soest, partner_lippstadt, steering, client_for
):
    meeting = _meeting(confidential=True)
    MembershipFactory(body=meeting.body, user=partner_lippstadt)
    project = ProjectFactory(status=Project.Status.IN_PROGRESS)
    decision = _stop(office, project, meeting)
    for outsider in (partner_soest, steering):
        response = _history(client_for, outsider, project)
        html = response.content.decode()
        assert response.status_code == 200
        assert "in Umsetzung → abgebrochen" in html  # the project's own change stays visible
        assert decision.reference not in html
        assert SECRET not in html
        assert decision.get_absolute_url() not in html
        # and the link would not open either
        assert client_for(outsider).get(meeting.get_absolute_url()).status_code == 404
    member_html = _history(client_for, partner_lippstadt, project).content.decode()
    assert f"Beschluss {decision.reference}" in member_html
    assert SECRET not in member_html  # the history names the decision, never its text


@pytest.mark.parametrize(
    "account",
    [
        "partner_soest",
        "steering",
        "no_role_user",
        "partner_without_municipality",
        "deactivated_user",
    ],
)
def test_only_the_office_records_a_decision_with_an_effect(db, request, account):
    user = request.getfixturevalue(account)
    project = ProjectFactory(status=Project.Status.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        _stop(user, project)
    project.refresh_from_db()
    assert project.status == Project.Status.IN_PROGRESS
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(area="meetings").exists()


def test_an_effect_the_project_already_has_changes_nothing(office):
    project = ProjectFactory(status=CANCELLED)
    with pytest.raises(ValidationError, match="bereits den Status"):
        _stop(office, project)
    assert not Decision.objects.exists()  # one transaction: no decision without its effect
    assert not AuditEvent.objects.filter(area="meetings").exists()


def test_an_effect_without_status_is_refused(office):
    project = ProjectFactory()
    with pytest.raises(ValidationError):
        decision_create(office, _meeting(), text="x", vote="unanimous", effect_project=project)
    assert not Decision.objects.exists()


def test_an_effect_is_applied_once(office):
    project = ProjectFactory(status=Project.Status.IN_PROGRESS)
    decision = _stop(office, project)
    with pytest.raises(ValidationError, match="bereits umgesetzt"):
        decision_apply_effect(office, decision, project=project, status=Project.Status.PAUSED)
    project.refresh_from_db()
    assert project.status == CANCELLED


def test_office_form_records_the_effect_and_the_meeting_page_shows_it(office, client_for):
    meeting = _meeting()
    project = ProjectFactory(status=Project.Status.IN_PROGRESS)
    client = client_for(office)
    response = client.post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {
            "text": SECRET,
            "vote": "unanimous",
            "effect_project": project.pk,
            "effect_status": "paused",
        },
        follow=True,
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == Project.Status.PAUSED
    html = response.content.decode()
    assert "Wirkung: Status von in Umsetzung auf pausiert geändert" in html
    assert "hat jetzt den Status „pausiert“" in html


def test_form_with_half_an_effect_keeps_the_input_and_says_what_is_missing(office, client_for):
    meeting = _meeting()
    response = client_for(office).post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {"text": SECRET, "vote": "unanimous", "effect_status": "cancelled"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte das Projekt wählen, das sich ändert." in html
    assert SECRET in html
    assert not Decision.objects.exists()


def test_form_with_the_status_the_project_has_is_refused(office, client_for):
    meeting = _meeting()
    project = ProjectFactory(status=Project.Status.PAUSED)
    response = client_for(office).post(
        reverse("meetings:decision_create", args=[meeting.pk]),
        {
            "text": SECRET,
            "vote": "unanimous",
            "effect_project": project.pk,
            "effect_status": "paused",
        },
    )
    assert "Das Projekt hat bereits den Status „pausiert“." in response.content.decode()
    assert not Decision.objects.exists()


def _history_queries(client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("projects:history", args=[project.slug])
    client.get(url)  # warm-up: per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_history_resolves_its_decisions_in_one_query_whatever_their_number(office, client_for):
    client = client_for(office)
    meeting = _meeting()
    one = ProjectFactory(status=Project.Status.IN_PROGRESS)
    _stop(office, one, meeting)
    three = ProjectFactory(status=Project.Status.IN_PROGRESS)
    for status in (Project.Status.PAUSED, Project.Status.IN_PROGRESS, CANCELLED):
        decision_create(
            office, meeting, text="x", vote="unanimous", effect_project=three, effect_status=status
        )
    assert _history_queries(client, one) == _history_queries(client, three)
    html = client.get(reverse("projects:history", args=[three.slug])).content.decode()
    assert html.count("(auf <a href=") == 3
