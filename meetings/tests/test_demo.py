from io import StringIO

from django.core.management import call_command

from meetings.models import ActionItem, Body, Meeting, MeetingSeries
from meetings.services.series import occurrences
from soest_office.models import Municipality


def test_demo_has_the_lenkungskreis_the_issue_asks_for(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    body = Body.objects.get(slug="lenkungskreis")
    municipalities = set(
        body.memberships.exclude(user__municipality=None).values_list(
            "user__municipality__slug", flat=True
        )
    )
    assert municipalities == set(Municipality.objects.values_list("slug", flat=True))
    meetings = body.meetings.all()
    assert meetings.filter(status=Meeting.Status.APPROVED).count() == 2
    assert meetings.filter(status=Meeting.Status.PLANNED).count() == 1
    assert meetings.filter(is_public=True).count() == 1
    assert body.decisions.count() >= 2
    assert ActionItem.objects.overdue().count() == 1
    series = MeetingSeries.objects.get(body__slug="projektteam")
    assert len(occurrences(series)) == 6
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert body.meetings.count() == meetings.count()
    assert MeetingSeries.objects.count() == 1
