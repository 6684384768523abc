"""The header search box in a real browser: suggestions by keyboard, results page, axe."""

import importlib
import re

import pytest
from playwright.sync_api import expect

from projects.models import FieldOfAction, Project
from soest_office.access import Role
from soest_office.models import Municipality
from soest_office.tests.factories import TEST_PASSWORD, UserFactory
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(transactional_db):
    """The flush after each transactional test removes the rows of the data migrations
    (municipalities, fields of action, role groups): put them back as `migrate` would.
    (serialized_rollback does not survive Playwright's connection handling.)"""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from soest_office.roles import sync_group_permissions

    for module in (
        "soest_office.migrations.0002_municipalities_and_groups",
        "projects.migrations.0002_fields_of_action",
    ):
        importlib.import_module(module).create(apps, None)
    sync_group_permissions(Group, Permission)


@pytest.fixture
def office_page(page, live_server, reference_data):
    UserFactory(username="suche-buero", role=Role.OFFICE)
    field = FieldOfAction.objects.get(slug="e-government")
    for slug, title, lead in [
        ("buergerbuero-lippstadt", "Bürgerbüro Lippstadt digital", "lippstadt"),
        ("buergerbeteiligung-soest", "Bürgerbeteiligung Soest online", "soest"),
    ]:
        Project.objects.create(
            slug=slug,
            title=title,
            summary="Digitale Dienste für die Bürgerinnen und Bürger",
            field_of_action=field,
            lead_municipality=Municipality.objects.get(slug=lead),
        )
    login(page, live_server, "suche-buero", TEST_PASSWORD)
    return page


def test_pick_a_suggestion_with_the_keyboard_and_land_on_the_object(office_page, live_server):
    page = office_page
    box = page.get_by_role("combobox", name="Suche im Intranet")
    box.press_sequentially("Bürgerb", delay=40)
    listbox = page.get_by_role("listbox", name="Vorschläge")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    assert_no_axe_violations(page, "offene Vorschlagsliste")

    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "kopf-suche-option-1")
    chosen = options.nth(1)
    expect(chosen).to_have_attribute("aria-selected", "true")
    title = chosen.inner_text().split(" – ")[0]
    slug = Project.objects.get(title=title).slug

    box.press("Enter")
    page.wait_for_url(re.compile(rf"/projekte/{slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_escape_closes_and_enter_without_choice_searches(office_page, live_server):
    page = office_page
    box = page.get_by_role("combobox", name="Suche im Intranet")
    box.press_sequentially("digital", delay=30)
    expect(page.get_by_role("listbox", name="Vorschläge")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Vorschläge")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/suche/\?q=digital$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    expect(page.get_by_text("2 Treffer für „digital“")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    assert_no_axe_violations(page, "Ergebnisseite")


def test_results_page_with_facet_and_hint_passes_axe(office_page, live_server):
    page = office_page
    page.goto(f"{live_server.url}/suche/?q=digital&kommune=lippstadt")
    expect(page.get_by_text("1 Treffer für „digital“")).to_be_visible()
    assert_no_axe_violations(page, "Ergebnisseite mit Filter")
    page.goto(f"{live_server.url}/suche/?q=%22%27%26%7C%21%3A%2A%28%29%5C")
    expect(page.get_by_role("status").first).to_be_visible()
    assert_no_axe_violations(page, "Ergebnisseite mit Hinweis")
