"""The project list: filters in the URL, sorting, pagination, counts, own projects first."""

import datetime
import re

import pytest

from projects.models import FieldOfAction
from soest_office.tests.factories import municipality

from .factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def titles(response):
    row_link = r'<th scope="row">\s*<a href="/projekte/[^"]+/">([^<]+)</a>'
    return re.findall(row_link, response.content.decode())


@pytest.fixture
def projects():
    today = datetime.date.today()
    a = ProjectFactory(
        title="Alpha Schule", traffic_light="red", traffic_light_reason="x", last_report_date=today
    )
    b = ProjectFactory(
        title="Beta Parken",
        lead_municipality=municipality("lippstadt"),
        field_of_action=FieldOfAction.objects.get(slug="mobilitaet"),
        last_report_date=today - datetime.timedelta(days=200),
    )
    c = ProjectFactory(
        title="Gamma Klinik",
        lead_municipality=municipality("iserlohn"),
        participants=["soest"],
        status="paused",
        last_report_date=today,
    )
    MilestoneFactory(project=b, due_date=today - datetime.timedelta(days=1))
    ProjectFactory(title="Delta Archiv", archived_at=datetime.datetime.now(datetime.UTC))
    return a, b, c


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alpha Schule", "Beta Parken", "Gamma Klinik"]),
        ("?q=klinik", ["Gamma Klinik"]),
        ("?municipality={soest}", ["Alpha Schule", "Gamma Klinik"]),
        ("?field_of_action={mobilitaet}", ["Beta Parken"]),
        ("?status=paused&status=planned", ["Gamma Klinik"]),
        ("?traffic_light=red", ["Alpha Schule"]),
        ("?overdue=on", ["Beta Parken"]),
        ("?no_report_days=90", ["Beta Parken"]),
        ("?archived=on&q=Delta", ["Delta Archiv"]),
        ("?sort=-title", ["Gamma Klinik", "Beta Parken", "Alpha Schule"]),
        ("?sort=municipality", ["Gamma Klinik", "Beta Parken", "Alpha Schule"]),
    ],
)
def test_filters_and_sorting(client_for, office, projects, query, expected):
    query = query.format(
        soest=municipality("soest").pk,
        mobilitaet=FieldOfAction.objects.get(slug="mobilitaet").pk,
    )
    response = client_for(office).get(f"/projekte/{query}")
    assert titles(response) == expected


def test_invalid_filter_values_do_not_break_the_page(client_for, office, projects):
    response = client_for(office).get("/projekte/?no_report_days=abc&municipality=999&sort=x")
    assert response.status_code == 200
    assert "Zahl" in response.content.decode() or "Auswahl" in response.content.decode()


def test_counts_per_light_and_total(client_for, office, projects):
    html = client_for(office).get("/projekte/").content.decode()
    assert "3 Projekte gefunden" in html
    assert "rot: 1" in html
    assert "grün: 2" in html


def test_partner_sees_own_municipality_first(client_for, partner_iserlohn, projects):
    response = client_for(partner_iserlohn).get("/projekte/")
    assert titles(response)[0] == "Gamma Klinik"
    assert "meine Kommune" in response.content.decode()


def test_pagination_keeps_filters_in_links(client_for, office, settings, projects):
    for i in range(30):
        ProjectFactory(title=f"Zusatz {i:02d}", traffic_light="green")
    html = client_for(office).get("/projekte/?traffic_light=green&sort=title").content.decode()
    assert "Seite 1 von 2" in html
    assert 'href="?traffic_light=green&amp;sort=title&amp;page=2"' in html
    assert 'href="/projekte/export.csv?traffic_light=green&amp;sort=title"' in html
    page2 = client_for(office).get("/projekte/?traffic_light=green&sort=title&page=2")
    assert len(titles(page2)) == 32 - 25
