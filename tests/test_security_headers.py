"""Security headers and cookie flags, in the test configuration and in production mode.

Production mode (DEBUG off, HSTS, secure cookies) only exists outside pytest, so it is
checked in a fresh process with the production environment.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-Ein-langer-zufaelliger-Schluessel-fuer-den-Test-0123456789",
    "ALLOWED_HOSTS": "intranet.example.org",
    "DATABASE_URL": "sqlite:////tmp/soest-headers-test-not-created.sqlite3",
}

PROBE = """
import json, django
from django.conf import settings
# Hashed static names need `collectstatic`, which a test does not run; nothing else changes.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
django.setup()
from django.test import Client
client = Client(HTTP_HOST="intranet.example.org")
plain = client.get("/konto/anmelden/")
secure = client.get("/konto/anmelden/", secure=True)
csrf = secure.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie": {"secure": csrf["secure"], "httponly": csrf["httponly"],
                    "samesite": csrf["samesite"]} if csrf else None,
    "session": {"secure": settings.SESSION_COOKIE_SECURE,
                "httponly": settings.SESSION_COOKIE_HTTPONLY,
                "samesite": settings.SESSION_COOKIE_SAMESITE,
                "age": settings.SESSION_COOKIE_AGE},
}))
"""


@pytest.fixture(scope="module")
def production():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL")
    }
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="soest_office.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://intranet.example.org/")


def test_production_sends_hsts_for_a_year_with_subdomains(production):
    assert production["status"] == 200
    hsts = production["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_production_cookies_are_secure_and_httponly(production):
    assert production["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert production["session"] == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
        "age": 8 * 3600,
    }


def test_production_headers_forbid_inline_script_and_framing(production):
    headers = production["headers"]
    csp = headers["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


@pytest.mark.parametrize(
    "path", ["/konto/anmelden/", "/barrierefreiheit/rueckmeldung/", "/healthz", "/protokoll/"]
)
def test_every_response_carries_the_headers(client, db, path):
    response = client.get(path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_ends_after_inactivity_by_configuration():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SESSION_COOKIE_AGE, settings.SESSION_RENEW_SECONDS)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
            **PRODUCTION_ENV,
            "SESSION_IDLE_SECONDS": "1800",
            "DJANGO_SETTINGS_MODULE": "soest_office.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["1800", "60"], result.stderr
