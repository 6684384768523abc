import re

import pytest

PUBLIC_PAGES = ["/konto/anmelden/", "/impressum/", "/datenschutz/", "/barrierefreiheit/"]


def assert_accessible_layout(html: str):
    assert '<html lang="de">' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert len(re.findall(r"<main[\s>]", html)) == 1
    assert 'href="#inhalt"' in html
    assert 'id="inhalt"' in html
    for link in ("/impressum/", "/datenschutz/", "/barrierefreiheit/"):
        assert f'href="{link}"' in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_the_layout(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_accessible_layout(response.content.decode())


def test_home_page_shows_who_you_are(client_for, partner_soest):
    response = client_for(partner_soest).get("/")
    html = response.content.decode()
    assert_accessible_layout(html)
    assert "Kommune" in html
    assert "Stadt Soest" in html


def test_home_page_for_a_login_without_role_says_so(client_for, no_role_user):
    html = client_for(no_role_user).get("/").content.decode()
    assert "Keine Rolle zugewiesen" in html


def test_accessibility_statement_follows_bitv_structure(client, db):
    html = client.get("/barrierefreiheit/").content.decode()
    for heading in (
        "Stand der Vereinbarkeit",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontakt",
        "Durchsetzungsverfahren",
        "Ombudsstelle für barrierefreie Informationstechnik",
    ):
        assert heading in html


def test_security_headers_are_set(client, db):
    response = client.get("/konto/anmelden/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_templates_contain_no_inline_script(client, db):
    html = client.get("/konto/anmelden/").content.decode()
    for script in re.findall(r"<script[^>]*>", html):
        assert "src=" in script
