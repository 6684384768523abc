"""The page of a meeting series: rhythm, template agenda and occurrences for every role;
the office moves, cancels and prepares one occurrence from it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries, SeriesOccurrence

from .factories import BodyFactory, MembershipFactory

FIRST = dt.date(2027, 1, 7)


def _start(day, hour=16):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def series(db):
    return MeetingSeries.objects.create(
        body=BodyFactory(name="Projektteam Digitales", slug="projektteam"),
        title="Projektteam monatlich",
        rule=MeetingSeries.Rule.EVERY_WEEKS,
        every_weeks=4,
        first_start=_start(FIRST),
        until=dt.date(2027, 4, 1),
        place="Kreishaus",
        template_agenda="Berichte der Kommunen | 30\nVerschiedenes",
    )


def _url(series):
    return reverse("meetings:series_detail", args=[series.body.slug, series.pk])


def _action(series, day, action):
    return reverse(
        "meetings:occurrence_action", args=[series.body.slug, series.pk, day.isoformat(), action]
    )


@pytest.fixture(autouse=True)
def _before_the_series(settings):
    """The series lies in the future for every test (moves and cancels are offered)."""
    from unittest import mock

    frozen = _start(dt.date(2026, 12, 1), 9)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        yield


def test_series_page_shows_rhythm_template_and_occurrences(series, steering, client_for):
    html = client_for(steering).get(_url(series)).content.decode()
    assert "Sitzungsreihe: Projektteam monatlich" in html
    assert "alle 4 Wochen" in html
    assert "um 16:00 Uhr" in html
    assert "bis 01.04.2027" in html
    assert "Berichte der Kommunen (30 Min.)" in html
    assert "Verschiedenes (15 Min.)" in html
    for day in ("07.01.2027", "04.02.2027", "04.03.2027", "01.04.2027"):
        assert day in html
    assert "Sitzung vorbereiten" not in html  # reading only: no actions for the steering group


def test_body_page_links_its_series(series, partner_soest, client_for):
    html = client_for(partner_soest).get(series.body.get_absolute_url()).content.decode()
    assert f'href="{_url(series)}"' in html


def test_office_sees_the_actions(series, office, client_for):
    html = client_for(office).get(_url(series)).content.decode()
    assert html.count("Sitzung vorbereiten") == 4
    assert _action(series, FIRST, "absagen") in html


def test_office_cancels_one_occurrence(series, office, client_for):
    client = client_for(office)
    response = client.post(_action(series, dt.date(2027, 2, 4), "absagen"), follow=True)
    html = response.content.decode()
    assert "Der Termin vom 04.02.2027 fällt aus." in html
    assert SeriesOccurrence.objects.get(series=series, original_date="2027-02-04").cancelled
    assert html.count("fällt aus") >= 2  # the message and the row


def test_office_moves_one_occurrence(series, office, client_for):
    day = dt.date(2027, 3, 4)
    response = client_for(office).post(
        _action(series, day, "verschieben"), {f"{day.isoformat()}-new_start": "2027-03-05T17:30"}
    )
    assert response.status_code == 302
    override = SeriesOccurrence.objects.get(series=series, original_date=day)
    assert timezone.localtime(override.moved_to) == _start(dt.date(2027, 3, 5), 17).replace(
        minute=30
    )


def test_a_bad_new_start_keeps_the_input_and_says_why(series, office, client_for):
    day = dt.date(2027, 3, 4)
    response = client_for(office).post(
        _action(series, day, "verschieben"), {f"{day.isoformat()}-new_start": "morgen früh"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte Datum und Uhrzeit angeben, z. B. 05.03.2027 17:00." in html
    assert 'value="morgen früh"' in html
    assert not SeriesOccurrence.objects.exists()


def test_office_prepares_an_occurrence_with_the_template_agenda(series, office, client_for):
    response = client_for(office).post(_action(series, FIRST, "vorbereiten"))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert [i.title for i in meeting.agenda_items.order_by("position")] == [
        "Berichte der Kommunen",
        "Verschiedenes",
    ]
    html = client_for(office).get(_url(series)).content.decode()
    assert f'href="{meeting.get_absolute_url()}">als Sitzung vorbereitet' in html


def test_a_prepared_confidential_meeting_is_not_linked_for_outsiders(
    series, office, partner_soest, partner_lippstadt, client_for
):
    MembershipFactory(body=series.body, user=partner_lippstadt)
    client_for(office).post(_action(series, FIRST, "vorbereiten"))
    meeting = Meeting.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(confidential=True)
    outsider = client_for(partner_soest).get(_url(series)).content.decode()
    assert meeting.get_absolute_url() not in outsider
    member = client_for(partner_lippstadt).get(_url(series)).content.decode()
    assert meeting.get_absolute_url() in member


def test_a_day_without_an_occurrence_is_refused(series, office, client_for):
    response = client_for(office).post(_action(series, dt.date(2027, 1, 8), "absagen"), follow=True)
    assert "An diesem Tag hat die Reihe keinen Termin." in response.content.decode()
    assert not SeriesOccurrence.objects.exists()


def test_a_malformed_day_is_404(series, office, client_for):
    url = reverse(
        "meetings:occurrence_action", args=[series.body.slug, series.pk, "2027-13-40", "absagen"]
    )
    assert client_for(office).post(url).status_code == 404


def test_unknown_action_changes_nothing(series, office, client_for):
    response = client_for(office).post(_action(series, FIRST, "loeschen"), follow=True)
    assert "Unbekannte Aktion." in response.content.decode()
    assert not SeriesOccurrence.objects.exists()


@pytest.mark.parametrize(
    ("account", "status"),
    [
        ("partner_soest", 403),
        ("steering", 403),
        ("partner_without_municipality", 403),
        ("no_role_user", 403),
    ],
)
def test_only_the_office_changes_occurrences(series, request, client_for, account, status):
    client = client_for(request.getfixturevalue(account))
    for action in ("absagen", "vorbereiten", "verschieben"):
        assert client.post(_action(series, FIRST, action)).status_code == status
    assert not SeriesOccurrence.objects.exists()
    assert not Meeting.objects.exists()


def test_deactivated_and_anonymous_are_sent_to_the_login(series, deactivated_user, client):
    for user in (deactivated_user, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(_url(series))
        assert response.status_code == 302
        assert "/konto/anmelden/" in response["Location"]


def test_no_role_gets_403_and_a_wrong_body_slug_404(series, no_role_user, office, client_for):
    assert client_for(no_role_user).get(_url(series)).status_code == 403
    wrong = reverse("meetings:series_detail", args=["anderes-gremium", series.pk])
    assert client_for(office).get(wrong).status_code == 404


def test_get_on_an_action_is_405(series, office, client_for):
    assert client_for(office).get(_action(series, FIRST, "absagen")).status_code == 405
