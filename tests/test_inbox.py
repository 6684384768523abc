"""One inbox (soest_office.inbox): entries appear and disappear with the state of what they
point at, for each role, and the navigation counts them in one query."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.models import PressRelease
from news.services import release_approve
from news.tests.factories import PressReleaseFactory
from projects.models import ProgressReport
from projects.services.reports import report_accept, report_return
from projects.tests.factories import MilestoneFactory, ProgressReportFactory, ProjectFactory
from soest_office.accounts.models import SecondFactorReset
from soest_office.inbox import INBOX, inbox_items, inbox_total
from soest_office.models import AccessibilityFeedback
from soest_office.tests.factories import municipality

pytestmark = pytest.mark.django_db

ROLES = (
    "office",
    "office2",
    "partner_soest",
    "partner_lippstadt",
    "steering",
    "no_role_user",
    "partner_without_municipality",
    "deactivated_user",
)


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in ROLES}


def keys_of(user) -> dict[str, int]:
    return {source.key: source.count(user) for source in INBOX if source.count(user)}


def holders(everyone, key) -> set[str]:
    return {name for name, user in everyone.items() if keys_of(user).get(key)}


def test_the_sources_of_the_apps_are_registered():
    assert {
        "reports_to_review",
        "reports_returned",
        "releases_to_approve",
        "milestones_overdue",
        "accessibility_feedback",
        "second_factor_resets",
        "meeting_actions",
        "retention_cases",
    } <= set(INBOX.keys())


def test_submitted_report_waits_for_the_office_until_reviewed(everyone, office):
    report = ProgressReportFactory(status=ProgressReport.Status.SUBMITTED)
    assert holders(everyone, "reports_to_review") == {"office", "office2"}
    (item,) = [i for i in inbox_items(office) if i.url == report.get_absolute_url()]
    assert report.project.title in item.title
    report.submitted_at = timezone.now()
    report_accept(actor=office, report=report)
    assert holders(everyone, "reports_to_review") == set()


def test_returned_report_waits_for_its_municipality_until_resubmitted(everyone, office):
    report = ProgressReportFactory(
        status=ProgressReport.Status.SUBMITTED, author=everyone["partner_soest"]
    )
    report_return(actor=office, report=report, comment="Bitte Ausgaben belegen.")
    assert holders(everyone, "reports_returned") == {"partner_soest"}
    (item,) = inbox_items(everyone["partner_soest"])
    assert item.detail == "Bitte Ausgaben belegen."
    report.refresh_from_db()
    report.status = ProgressReport.Status.SUBMITTED
    report.save()
    assert holders(everyone, "reports_returned") == set()


def test_returned_report_of_lippstadt_waits_in_lippstadt(everyone, office):
    project = ProjectFactory(lead_municipality=municipality("lippstadt"))
    report = ProgressReportFactory(project=project, author=everyone["partner_lippstadt"])
    report_return(actor=office, report=report, comment="Stichtag prüfen.")
    assert holders(everyone, "reports_returned") == {"partner_lippstadt"}


def test_release_waits_for_the_other_office_member(everyone, office, office2):
    release = PressReleaseFactory(author=office, status=PressRelease.Status.SUBMITTED)
    # Four eyes: the author does not approve the own release (the news rule).
    assert holders(everyone, "releases_to_approve") == {"office2"}
    release_approve(release=release, user=office2)
    assert holders(everyone, "releases_to_approve") == set()


def test_overdue_milestone_of_own_projects(everyone, office):
    project = ProjectFactory(responsible=office)  # led by Soest
    milestone = MilestoneFactory(
        project=project, due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    MilestoneFactory(project=project)  # due in ten days: not overdue
    assert holders(everyone, "milestones_overdue") == {"office", "partner_soest"}
    assert keys_of(everyone["office"])["milestones_overdue"] == 1
    milestone.done_date = timezone.localdate()
    milestone.save()
    assert holders(everyone, "milestones_overdue") == set()


def test_overdue_milestone_through_the_page_where_it_is_done(client, partner_soest):
    project = ProjectFactory()
    milestone = MilestoneFactory(
        project=project, due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(partner_soest)
    page = client.get(reverse("soest_office:inbox")).content.decode()
    assert f"{project.get_absolute_url()}#meilensteine" in page
    assert milestone.title in page
    client.post(
        reverse("projects:milestone_done", args=[project.slug, milestone.pk]), {"done": "1"}
    )
    page = client.get(reverse("soest_office:inbox")).content.decode()
    assert f"{project.get_absolute_url()}#meilensteine" not in page
    assert "Nichts zu tun" in page


def test_feedback_waits_until_answered(everyone, client, office):
    feedback = AccessibilityFeedback.objects.create(message="Kontrast zu schwach")
    assert holders(everyone, "accessibility_feedback") == {"office", "office2"}
    client.force_login(everyone["partner_soest"])
    answered = reverse("soest_office:feedback_answered", args=[feedback.pk])
    assert client.post(answered).status_code == 404
    client.force_login(office)
    assert client.post(answered).status_code == 302
    assert holders(everyone, "accessibility_feedback") == set()


def test_second_factor_reset_waits_for_the_other_office_member(everyone, office, steering):
    TOTPDevice.objects.create(user=steering, name="Handy", confirmed=True)
    reset = SecondFactorReset.objects.create(user=steering, requested_by=office)
    assert holders(everyone, "second_factor_resets") == {"office2"}
    reset.confirmed_at = timezone.now()
    reset.save()
    assert holders(everyone, "second_factor_resets") == set()


def test_navigation_count_is_one_query_and_matches_the_page(client, office):
    ProgressReportFactory(status=ProgressReport.Status.SUBMITTED)
    ProgressReportFactory(status=ProgressReport.Status.SUBMITTED)
    AccessibilityFeedback.objects.create(message="Kein Alternativtext")
    office = type(office).objects.get(pk=office.pk)
    with CaptureQueriesContext(connection) as queries:
        total = inbox_total(office)
    assert total == 3
    assert len([q for q in queries if "COUNT" in q["sql"].upper()]) == 1
    assert len(queries) == 2  # the role (groups) and the one count
    client.force_login(office)
    home = client.get(reverse("soest_office:home")).content.decode()
    assert 'Aufgaben <span class="badge text-bg-light">3<' in home
    page = client.get(reverse("soest_office:inbox")).content.decode()
    assert page.count('class="list-group-item"') == 3


def test_inbox_page_per_role(client_for, everyone):
    assert client_for(everyone["steering"]).get(reverse("soest_office:inbox")).status_code == 200
    page = client_for(everyone["steering"]).get(reverse("soest_office:inbox"))
    assert "Nichts zu tun" in page.content.decode()
    assert (
        client_for(everyone["no_role_user"]).get(reverse("soest_office:inbox")).status_code == 403
    )
    deactivated = client_for(everyone["deactivated_user"]).get(reverse("soest_office:inbox"))
    assert deactivated.status_code == 302
    assert inbox_total(everyone["deactivated_user"]) == 0
    assert inbox_total(everyone["partner_without_municipality"]) == 0


def badge_count(client) -> int:
    """The count in the navigation's badge of the home page (0 without a badge)."""
    page = client.get(reverse("soest_office:home")).content.decode()
    found = re.search(r'Aufgaben <span class="badge text-bg-light">(\d+)<', page)
    return int(found[1]) if found else 0


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_navigation_count_follows_a_write_by_another_role_at_once(everyone, office):
    """The count is kept per user in every app's generations (issue 20): a report returned
    by the office shows at once in Soest's badge and never in Lippstadt's; submitted again
    by Soest, it leaves Soest's badge and reaches the office's at once."""
    from projects.services.reports import report_submit

    soest, lippstadt = everyone["partner_soest"], everyone["partner_lippstadt"]
    office_client, soest_client, lippstadt_client = map(signed_in, (office, soest, lippstadt))
    before = {"office": badge_count(office_client), "soest": badge_count(soest_client)}
    report = ProgressReportFactory(status=ProgressReport.Status.SUBMITTED, author=soest)
    assert badge_count(office_client) == before["office"] + 1
    assert badge_count(soest_client) == before["soest"]
    lippstadt_before = badge_count(lippstadt_client)

    report_return(actor=office, report=report, comment="Bitte Ausgaben belegen.")
    assert badge_count(office_client) == before["office"]
    assert badge_count(soest_client) == before["soest"] + 1
    assert badge_count(lippstadt_client) == lippstadt_before

    report.refresh_from_db()
    report_submit(actor=soest, report=report)
    assert badge_count(office_client) == before["office"] + 1
    assert badge_count(soest_client) == before["soest"]
    assert badge_count(lippstadt_client) == lippstadt_before
    # The inbox page counts anew and shows the same number in its own navigation.
    page = office_client.get(reverse("soest_office:inbox")).content.decode()
    assert f'Aufgaben <span class="badge text-bg-light">{before["office"] + 1}<' in page


def test_review_duties_are_mailed_at_once_by_default_the_rest_in_the_digest(
    office, partner_soest, mailoutbox, django_capture_on_commit_callbacks
):
    from projects.models import Notification, ProjectUserSettings
    from projects.services.reports import report_submit

    ProjectUserSettings.objects.create(user=office)  # the stored default: digest for the rest
    project = ProjectFactory(responsible=office)
    report = ProgressReportFactory(
        project=project, author=partner_soest, status=ProgressReport.Status.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=partner_soest, report=report)
    review = Notification.objects.get(recipient=office, kind=Notification.Kind.REPORT_SUBMITTED)
    assert review.sent_at is not None
    assert [m.to for m in mailoutbox] == [[office.email]]
    # The office may still choose the digest for review duties too.
    settings_row = ProjectUserSettings.objects.get(user=office)
    settings_row.review_mail_mode = ProjectUserSettings.MailMode.DIGEST
    settings_row.save()
    second = ProgressReportFactory(
        project=project, author=partner_soest, status=ProgressReport.Status.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(actor=partner_soest, report=second)
    assert len(mailoutbox) == 1
    # Not a review duty (the partner's accepted report) follows the digest setting.
    ProjectUserSettings.objects.create(user=partner_soest)
    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        report_accept(actor=office, report=second)
    assert len(mailoutbox) == 1


def test_meeting_action_item_waits_for_its_owners_until_done(everyone):
    from meetings.models import ActionItem
    from meetings.tests.factories import ActionItemFactory

    soest_item = ActionItemFactory(owner_municipality=municipality("soest"))
    assert holders(everyone, "meeting_actions") == {"partner_soest"}
    personal = ActionItemFactory(owner_user=everyone["steering"])
    assert holders(everyone, "meeting_actions") == {"partner_soest", "steering"}
    (entry,) = inbox_items(everyone["steering"])
    assert entry.title == personal.title
    assert entry.url == personal.body.get_absolute_url()
    for item in (soest_item, personal):
        item.status = ActionItem.Status.DONE
        item.save()
    assert holders(everyone, "meeting_actions") == set()


def test_contact_flagged_by_retention_waits_for_the_office_until_decided(everyone):
    from stakeholders.tests.factories import ContactFactory

    contact = ContactFactory(retention_flagged_at=timezone.now())
    assert holders(everyone, "retention_cases") == {"office", "office2"}
    entry = next(i for i in inbox_items(everyone["office"]) if i.title == str(contact))
    assert entry.url == reverse("stakeholders:retention")
    contact.retention_flagged_at = None
    contact.save()
    assert holders(everyone, "retention_cases") == set()


def test_inbox_page_query_count_does_not_grow(client, office):
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("soest_office:inbox")).status_code == 200
        return len(queries)

    project = ProjectFactory(responsible=office)
    client.force_login(office)

    def fill(n):
        for _ in range(n):
            ProgressReportFactory(project=project, status=ProgressReport.Status.SUBMITTED)
            MilestoneFactory(
                project=project, due_date=timezone.localdate() - datetime.timedelta(days=2)
            )
            AccessibilityFeedback.objects.create(message="Fokus unsichtbar")

    fill(2)
    small = count()
    fill(10)
    assert count() == small
