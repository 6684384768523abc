"""The configuration as an operator meets it: manage.py run in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-Ein-langer-zufaelliger-Schluessel-fuer-den-Test-0123456789",
    "ALLOWED_HOSTS": "intranet.example.org",
    "DATABASE_URL": "sqlite:////tmp/soest-config-test.sqlite3",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_is_one_clear_line():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Konfigurationsfehler: SECRET_KEY ist nicht gesetzt")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_clear_line():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    result = manage("migrate", "--noinput", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Datenbank nicht erreichbar")
    assert "Traceback" not in result.stderr


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="nur mit DEBUG=true"):
        call_command("seed_demo")


def test_seed_demo_is_idempotent_and_creates_the_demo_accounts(db, settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    User = get_user_model()
    buero = User.objects.get(username="buero")
    buero.first_name = "Geändert"
    buero.save()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    expected = {"buero", "buero2", "lenkung", "soest", "lippstadt", "iserlohn", "kreis"}
    demo_users = User.objects.filter(username__in=expected)
    assert set(demo_users.values_list("username", flat=True)) == expected
    assert User.objects.get(username="buero").first_name == "Geändert"
    assert User.objects.get(username="kreis").municipality.slug == "kreis-soest"
    assert User.objects.get(username="lenkung").groups.get().name == "Lenkungskreis"
    assert User.objects.get(username="soest").check_password("modellregion")
