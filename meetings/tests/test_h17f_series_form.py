"""The office creates and edits a body's meeting series on the intranet (no longer only in
the admin): every field of the series, German messages for bad input, nothing saved then."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import MeetingSeries, SeriesOccurrence
from meetings.services import series as services

from .factories import BodyFactory


def _start(day, hour=16, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture(autouse=True)
def _before_the_series():
    """The series of these tests lie in the future."""
    from unittest import mock

    frozen = _start(dt.date(2026, 12, 1), 9)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        yield


@pytest.fixture
def body(db):
    return BodyFactory(name="Projektteam Digitales", slug="projektteam")


@pytest.fixture
def series(body):
    return MeetingSeries.objects.create(
        body=body,
        title="Projektteam monatlich",
        rule=MeetingSeries.Rule.EVERY_WEEKS,
        every_weeks=4,
        first_start=_start(dt.date(2027, 1, 7)),
        until=dt.date(2027, 4, 1),
        place="Kreishaus",
        template_agenda="Berichte der Kommunen | 30\nVerschiedenes",
    )


def _create_url(body):
    return reverse("meetings:series_create", args=[body.slug])


def _edit_url(series):
    return reverse("meetings:series_edit", args=[series.body.slug, series.pk])


VALID = {
    "title": "Lenkungskreis quartalsweise",
    "rule": "quarter_first_weekday",
    "first_start": "2027-01-07T17:30",
    "every_weeks": "",
    "until": "2027-12-31",
    "duration_minutes": "90",
    "place": "Kreishaus Soest, Raum 1",
    "template_agenda": (
        "Genehmigung des Protokolls | 5\nBerichte der Kommunen | 45\n\nVerschiedenes"
    ),
}


def _fields(series):
    return {
        "title": series.title,
        "rule": series.rule,
        "first_start": timezone.localtime(series.first_start),
        "every_weeks": series.every_weeks,
        "until": series.until,
        "duration_minutes": series.duration_minutes,
        "place": series.place,
        "template_agenda": series.template_agenda,
    }


def test_office_creates_a_series_with_every_field(body, office, client_for):
    response = client_for(office).post(_create_url(body), VALID, follow=True)
    series = MeetingSeries.objects.get()
    assert response.redirect_chain[-1][0] == series.get_absolute_url()
    assert series.body == body
    assert _fields(series) == {
        "title": "Lenkungskreis quartalsweise",
        "rule": MeetingSeries.Rule.QUARTER_FIRST_WEEKDAY,
        "first_start": _start(dt.date(2027, 1, 7), 17, 30),
        "every_weeks": 4,  # unused by the quarterly rhythm: the default stays
        "until": dt.date(2027, 12, 31),
        "duration_minutes": 90,
        "place": "Kreishaus Soest, Raum 1",
        "template_agenda": VALID["template_agenda"],
    }
    html = response.content.decode()
    assert "Die Sitzungsreihe ist gespeichert." in html
    for day in ("07.01.2027", "01.04.2027", "01.07.2027", "07.10.2027"):
        assert day in html
    assert "Berichte der Kommunen (45 Min.)" in html


def test_office_creates_a_weekly_series_and_prepares_it_with_the_template(body, office, client_for):
    data = {**VALID, "rule": "every_weeks", "every_weeks": "2", "until": "2027-02-04"}
    client_for(office).post(_create_url(body), data)
    series = MeetingSeries.objects.get()
    assert [o.original_date for o in services.occurrences(series)] == [
        dt.date(2027, 1, 7),
        dt.date(2027, 1, 21),
        dt.date(2027, 2, 4),
    ]
    meeting = services.occurrence_prepare(office, series, dt.date(2027, 1, 21))
    assert meeting.ends_at - meeting.starts_at == dt.timedelta(minutes=90)
    assert meeting.place == "Kreishaus Soest, Raum 1"
    assert [(i.title, i.duration_minutes) for i in meeting.agenda_items.order_by("position")] == [
        ("Genehmigung des Protokolls", 5),
        ("Berichte der Kommunen", 45),
        ("Verschiedenes", 15),
    ]


def test_the_form_shows_every_field_in_german(body, office, client_for):
    html = client_for(office).get(_create_url(body)).content.decode()
    for label in (
        "Titel",
        "Rhythmus",
        "alle N Wochen",
        "erster Wochentag im Quartal",
        "Erster Termin",
        "Alle … Wochen",
        "Bis",
        "Dauer (Minuten)",
        "Ort",
        "Vorlage der Tagesordnung",
    ):
        assert label in html
    assert "Neue Sitzungsreihe" in html
    assert f'href="{body.get_absolute_url()}"' in html


def test_office_edits_a_series(series, office, client_for):
    data = {
        **VALID,
        "title": "Projektteam, neu",
        "rule": "every_weeks",
        "every_weeks": "4",
        "first_start": "2027-01-07T15:00",
        "until": "2027-06-24",
        "duration_minutes": "60",
        "place": "online",
        "template_agenda": "Stand der Projekte | 40",
    }
    response = client_for(office).post(_edit_url(series), data)
    assert response.status_code == 302
    assert response["Location"] == series.get_absolute_url()
    series.refresh_from_db()
    assert _fields(series) == {
        "title": "Projektteam, neu",
        "rule": MeetingSeries.Rule.EVERY_WEEKS,
        "first_start": _start(dt.date(2027, 1, 7), 15),
        "every_weeks": 4,
        "until": dt.date(2027, 6, 24),
        "duration_minutes": 60,
        "place": "online",
        "template_agenda": "Stand der Projekte | 40",
    }


def test_the_edit_form_shows_the_current_values(series, office, client_for):
    html = client_for(office).get(_edit_url(series)).content.decode()
    assert 'value="Projektteam monatlich"' in html
    assert 'value="2027-01-07T16:00"' in html
    assert 'value="2027-04-01"' in html
    assert "Berichte der Kommunen | 30" in html
    assert "Sitzungsreihe bearbeiten" in html


def test_body_and_series_pages_link_the_forms_for_the_office_only(
    series, office, partner_soest, steering, client_for
):
    body_html = client_for(office).get(series.body.get_absolute_url()).content.decode()
    assert f'href="{_create_url(series.body)}"' in body_html
    series_html = client_for(office).get(series.get_absolute_url()).content.decode()
    assert f'href="{_edit_url(series)}"' in series_html
    for user in (partner_soest, steering):
        client = client_for(user)
        assert (
            _create_url(series.body)
            not in client.get(series.body.get_absolute_url()).content.decode()
        )
        assert _edit_url(series) not in client.get(series.get_absolute_url()).content.decode()


def test_a_body_without_series_offers_the_office_a_new_one(body, office, client_for):
    html = client_for(office).get(body.get_absolute_url()).content.decode()
    assert "Sitzungsreihen" in html
    assert f'href="{_create_url(body)}"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Bitte einen Titel angeben."),
        ({"rule": ""}, "rule", "Bitte den Rhythmus wählen."),
        ({"rule": "jeden_montag"}, "rule", "Bitte einen der angebotenen Rhythmen wählen."),
        ({"first_start": "morgen"}, "first_start", "z. B. 07.01.2027 16:00"),
        ({"until": "Ende 2027"}, "until", "Bitte ein Datum angeben, z. B. 01.04.2027."),
        (
            {"until": "2027-01-06"},
            "until",
            "Das Ende der Reihe darf nicht vor dem ersten Termin liegen.",
        ),
        (
            {"rule": "every_weeks", "every_weeks": ""},
            "every_weeks",
            "Bitte angeben, alle wie viele Wochen die Reihe tagt.",
        ),
        (
            {"rule": "every_weeks", "every_weeks": "0"},
            "every_weeks",
            "Bitte einen Abstand von 1 bis 52 Wochen angeben.",
        ),
        (
            {"rule": "every_weeks", "every_weeks": "-3"},
            "every_weeks",
            "Bitte einen Abstand von 1 bis 52 Wochen angeben.",
        ),
        (
            {"rule": "every_weeks", "every_weeks": "500"},
            "every_weeks",
            "Bitte einen Abstand von 1 bis 52 Wochen angeben.",
        ),
        (
            {"rule": "every_weeks", "every_weeks": "zwei"},
            "every_weeks",
            "Bitte eine ganze Zahl von Wochen angeben.",
        ),
        (
            {"rule": "every_weeks", "every_weeks": "1", "until": "2030-12-31"},
            "until",
            "Die Reihe hätte 208 Termine, höchstens 150 sind möglich",
        ),
        (
            {"until": "2033-01-07"},
            "until",
            "Eine Reihe kann höchstens 5 Jahre laufen",
        ),
        (
            {"first_start": "2027-01-14T16:00", "until": "2027-03-31"},
            "until",
            "Bis zu diesem Datum hat die Reihe keinen Termin",
        ),
        ({"duration_minutes": "0"}, "duration_minutes", "zwischen 5 Minuten und 12 Stunden"),
        ({"duration_minutes": "100000"}, "duration_minutes", "zwischen 5 Minuten und 12 Stunden"),
        (
            {"duration_minutes": "zwei Stunden"},
            "duration_minutes",
            "Bitte die Dauer als ganze Zahl von Minuten angeben.",
        ),
        (
            {"template_agenda": "Berichte | zwanzig"},
            "template_agenda",
            "Zeile 1 („Berichte | zwanzig“): die Dauer nach dem „|“ muss eine ganze Zahl von 1 "
            "bis 480 Minuten sein",
        ),
        (
            {"template_agenda": "Begrüßung\nBerichte | 0"},
            "template_agenda",
            "Zeile 2 („Berichte | 0“)",
        ),
        (
            {"template_agenda": "Berichte | 20 | 30"},
            "template_agenda",
            "Zeile 1 („Berichte | 20 | 30“): höchstens ein „|“ je Zeile (Titel | Minuten).",
        ),
        (
            {"template_agenda": "Begrüßung\n\n | 20"},
            "template_agenda",
            "Zeile 3 („| 20“): vor dem „|“ fehlt der Titel des Punkts.",
        ),
        (
            {"template_agenda": "x" * 251},
            "template_agenda",
            "Zeile 1: der Titel ist länger als 250 Zeichen.",
        ),
    ],
)
def test_bad_input_is_refused_in_german_and_nothing_is_saved(
    body, series, office, client_for, changes, field, message
):
    before = _fields(series)
    client = client_for(office)
    for url in (_create_url(body), _edit_url(series)):
        response = client.post(url, {**VALID, **changes})
        assert response.status_code == 400
        form = response.context["form"]
        assert field in form.errors, form.errors
        assert any(message in error for error in form.errors[field]), form.errors[field]
        assert message.split("„")[0] in response.content.decode()
    assert MeetingSeries.objects.count() == 1
    series.refresh_from_db()
    assert _fields(series) == before


def test_several_bad_agenda_lines_are_each_named(body, office, client_for):
    response = client_for(office).post(
        _create_url(body), {**VALID, "template_agenda": "A | x\nB\nC | 999"}
    )
    errors = response.context["form"].errors["template_agenda"]
    assert [e.split(" ")[1] for e in errors] == ["1", "3"]
    assert not MeetingSeries.objects.exists()


def test_a_quarterly_series_ignores_an_unused_bad_interval(body, office, client_for):
    response = client_for(office).post(_create_url(body), {**VALID, "every_weeks": "0"})
    assert response.status_code == 302
    assert MeetingSeries.objects.get().every_weeks == 4


def test_an_edit_that_would_drop_a_changed_occurrence_is_refused(series, office, client_for):
    services.occurrence_cancel(office, series, dt.date(2027, 3, 4))
    services.occurrence_prepare(office, series, dt.date(2027, 2, 4))
    before = _fields(series)
    data = {
        **{k: str(v) for k, v in VALID.items()},
        "rule": "every_weeks",
        "every_weeks": "2",
        "first_start": "2027-01-14T16:00",
        "until": "2027-04-01",
        "template_agenda": "",
    }
    response = client_for(office).post(_edit_url(series), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "hätte die Reihe die Termine vom 04.02.2027, 04.03.2027 nicht mehr" in html
    series.refresh_from_db()
    assert _fields(series) == before
    assert SeriesOccurrence.objects.filter(series=series).count() == 2


def test_an_edit_that_keeps_the_changed_occurrences_is_saved(series, office, client_for):
    services.occurrence_cancel(office, series, dt.date(2027, 3, 4))
    data = {
        **VALID,
        "rule": "every_weeks",
        "every_weeks": "4",
        "first_start": "2027-01-07T18:00",
        "until": "2027-07-31",
    }
    assert client_for(office).post(_edit_url(series), data).status_code == 302
    found = {o.original_date: o for o in services.occurrences(MeetingSeries.objects.get())}
    assert found[dt.date(2027, 3, 4)].cancelled
    assert timezone.localtime(found[dt.date(2027, 7, 22)].start).hour == 18


@pytest.mark.parametrize(
    "account", ["partner_soest", "steering", "partner_without_municipality", "no_role_user"]
)
def test_only_the_office_creates_and_edits_series(body, series, request, client_for, account):
    client = client_for(request.getfixturevalue(account))
    before = _fields(series)
    for url in (_create_url(body), _edit_url(series)):
        assert client.get(url).status_code == 403
        assert client.post(url, VALID).status_code == 403
    assert MeetingSeries.objects.count() == 1
    series.refresh_from_db()
    assert _fields(series) == before


def test_deactivated_and_anonymous_are_sent_to_the_login(body, series, deactivated_user, client):
    for user in (deactivated_user, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in (_create_url(body), _edit_url(series)):
            for response in (client.get(url), client.post(url, VALID)):
                assert response.status_code == 302
                assert "/konto/anmelden/" in response["Location"]
    assert MeetingSeries.objects.count() == 1


def test_unknown_body_or_series_is_404(body, series, office, client_for):
    client = client_for(office)
    assert client.get(reverse("meetings:series_create", args=["gibt-es-nicht"])).status_code == 404
    other = BodyFactory()
    wrong = reverse("meetings:series_edit", args=[other.slug, series.pk])
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, VALID).status_code == 404


def test_other_methods_are_405(body, office, client_for):
    assert client_for(office).delete(_create_url(body)).status_code == 405
