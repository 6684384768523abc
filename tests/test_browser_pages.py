"""axe-core over every page the URL walk reaches, for every role, plus forms with errors
shown, and a keyboard walk through the login form.

The pages come from tests/urlwalk.py and tests/url_samples/ (the same enumeration as the
security walk), so a new page is checked as soon as its URL exists. The Django admin is left
out: its markup is Django's own and only superusers use it.
"""

import pytest
from django.conf import settings
from django.test import Client

from soest_office.tests.factories import TEST_PASSWORD
from tests.conftest import assert_no_axe_violations, login
from tests.url_samples import SampleWorld
from tests.urlwalk import all_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["office", "partner_soest", "steering", None]


def reachable_pages(user, world) -> list[str]:
    """GET-able HTML pages answering 200 for this user (None: anonymous)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    pages = []
    for route in all_routes():
        if route.name is None or route.namespace == "admin":
            continue
        path = route.url(world.kwargs_for(route))
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(path)
    return pages


def browser_login(page, live_server, user):
    """Log the browser in as `user` through a session made on the server side."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonym")
def test_every_reachable_page_passes_axe_for_the_role(role, request, page, live_server):
    user = request.getfixturevalue(role) if role else None
    world = SampleWorld({role: user} if role else {})
    pages = reachable_pages(user, world)
    assert "/barrierefreiheit/" in pages
    if user is not None:
        assert "/" in pages
        browser_login(page, live_server, user)
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert_no_axe_violations(page, f"{path} ({role or 'anonym'})")


def test_forms_with_validation_errors_pass_axe(page, live_server, office):
    page.goto(f"{live_server.url}/barrierefreiheit/rueckmeldung/")
    page.get_by_label("Ihre E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Rückmeldung senden").click()
    assert page.get_by_text("Bitte beschreiben Sie kurz").is_visible()
    assert_no_axe_violations(page, "Barriere melden mit Fehlern")

    browser_login(page, live_server, office)
    page.goto(f"{live_server.url}/konto/passwort/")
    page.get_by_role("button", name="Passwort ändern").click()
    assert page.locator(".invalid-feedback").first.is_visible()
    assert_no_axe_violations(page, "Passwort ändern mit Fehlern")

    page.goto(f"{live_server.url}/konto/zwei-faktor/")
    page.get_by_label("Sechsstelliger Code").fill("12")
    page.get_by_role("button", name="Zwei-Faktor-Anmeldung einschalten").click()
    assert page.get_by_text("Der Code hat sechs Ziffern.").is_visible()
    assert_no_axe_violations(page, "Zwei-Faktor mit Fehler")

    page.goto(f"{live_server.url}/protokoll/?kind=unsinn&since=gestern")
    assert_no_axe_violations(page, "Protokoll mit Filterfehler")


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {id: el.id, tag: el.tagName, text: (el.textContent || '').trim(),
          outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth)};
}"""


def test_login_form_by_keyboard_with_visible_focus(page, live_server, office):
    page.goto(f"{live_server.url}/konto/anmelden/")
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_STYLE)
        seen.append(focus)
        assert focus["outlineStyle"] != "none", f"Fokus unsichtbar: {focus}"
        assert focus["outlineWidth"] >= 2, f"Fokusrahmen zu schmal: {focus}"
        if focus["id"] == "id_username":
            break
    assert seen[0]["text"] == "Zum Inhalt springen"
    assert seen[-1]["id"] == "id_username", seen
    page.keyboard.type("buero")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_STYLE)["id"] == "id_password"
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Tab")
    button = page.evaluate(FOCUS_STYLE)
    assert button["tag"] == "BUTTON"
    assert button["text"] == "Anmelden"
    assert button["outlineStyle"] != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Guten Tag")


def test_login_with_second_factor_in_the_browser(page, live_server, office):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=office, name="App", confirmed=True)
    login(page, live_server, "buero", TEST_PASSWORD)
    assert page.url.endswith("/konto/anmelden/code/")
    assert_no_axe_violations(page, "Code-Eingabe")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Sechsstelliger Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(f"{live_server.url}/")
