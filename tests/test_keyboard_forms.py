"""Keyboard use of the two forms partners and the office fill in most (issue 7): every field
of the form is reached with Tab in order, each focus is visibly outlined, and the form can
be sent with the keyboard alone."""

import pytest
from django.urls import reverse

from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import TEST_PASSWORD
from tests.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The form's own controls, as a keyboard user meets them (hidden and disabled ones excluded).
FORM_CONTROLS = """() => {
  const all = Array.from(document.querySelectorAll(
    'main form:not([role=search]) input, main form:not([role=search]) select, ' +
    'main form:not([role=search]) textarea, main form:not([role=search]) button'))
    .filter(el => el.type !== 'hidden' && !el.disabled && el.offsetParent !== null);
  // A radio group is one tab stop (arrow keys move inside): its checked or first radio.
  const stop = el => {
    if (el.type !== 'radio') return true;
    const group = all.filter(o => o.type === 'radio' && o.name === el.name);
    const checked = group.find(o => o.checked);
    return checked ? el === checked : el === group[0];
  };
  return all.filter(stop).map(el => el.id || el.name || el.textContent.trim());
}"""


# The focused element, keyed like FORM_CONTROLS, with its outline.
FOCUS = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {key: el.id || el.name || (el.textContent || '').trim(), tag: el.tagName,
          outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth)};
}"""


def tab_through_form(page, *, max_presses=120):
    """Tab from the top until every control of the form was focused; returns the focus
    order. Fails on any focus without a visible outline."""
    wanted = page.evaluate(FORM_CONTROLS)
    assert wanted, "Formular ohne Bedienelemente"
    reached = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["tag"] != "BODY", f"Tab-Reihenfolge endet vor {set(wanted) - set(reached)}"
        assert focus["outlineStyle"] != "none", f"Fokus unsichtbar: {focus}"
        assert focus["outlineWidth"] >= 2, f"Fokusrahmen zu schmal: {focus}"
        key = focus["key"]
        if key in wanted and key not in reached:
            reached.append(key)
        if len(reached) == len(wanted):
            break
    assert reached == wanted, f"Per Tab nicht (in Reihenfolge) erreicht: {wanted} / {reached}"
    return reached


def test_partner_fills_the_report_form_by_keyboard(page, live_server, partner_soest):
    project = ProjectFactory(slug="digitales-buergerbuero", title="Digitales Bürgerbüro")
    login(page, live_server, "soest", TEST_PASSWORD)
    page.goto(live_server.url + reverse("projects:report_create", args=[project.slug]))

    tab_through_form(page)

    # Send the empty form with the keyboard: German errors, and the page stays usable.
    page.locator("main form button[type=submit]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".invalid-feedback, .alert-danger").first.is_visible()
    assert_no_axe_violations(page, "Berichtsformular mit Fehlern")


def test_office_writes_a_press_release_by_keyboard(page, live_server, office):
    login(page, live_server, "buero", TEST_PASSWORD)
    page.goto(live_server.url + reverse("news:editorial_create"))

    order = tab_through_form(page)
    assert order.index("id_title") < order.index("id_body")

    page.locator("#id_title").focus()
    page.keyboard.type("Tastatur-Meldung aus Soest")
    page.locator("#id_teaser").focus()
    page.keyboard.type("Ein Anreißer, ganz ohne Maus geschrieben.")
    page.locator("#id_body").focus()
    page.keyboard.type("Der **Text** der Meldung.")
    page.locator("main form button[type=submit]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Tastatur-Meldung aus Soest" in page.content()
    assert_no_axe_violations(page, "Pressemitteilung nach dem Speichern")
