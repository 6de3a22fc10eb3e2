"""Settings are read from the environment and fail loudly on what makes no sense."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, parse_database_url

BASE = Path(__file__).resolve().parent.parent


def start_django(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_fails_without_secret_key_when_debug_is_off():
    result = start_django(DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_start_up_fails_without_secret_key_when_debug_is_unset():
    result = start_django()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_starts_with_a_development_key():
    result = start_django(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_a_nonsense_debug_value_is_refused():
    result = start_django(DEBUG="kanske", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG='kanske' is not a boolean" in result.stderr


def test_an_unsupported_database_url_is_refused_with_a_clear_message():
    result = start_django(DEBUG="1", DATABASE_URL="mysql://root@localhost/x")
    assert result.returncode != 0
    assert "DATABASE_URL scheme 'mysql' is not supported" in result.stderr


def test_sqlite_urls_are_relative_to_the_project_or_absolute():
    assert parse_database_url("sqlite:///db.sqlite3", base_dir=Path("/srv/app")) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/srv/app/db.sqlite3",
    }
    assert parse_database_url("sqlite:////var/lib/p.sqlite3", base_dir=Path("/srv"))["NAME"] == (
        "/var/lib/p.sqlite3"
    )


def test_postgres_urls_become_psycopg_settings():
    db = parse_database_url(
        "postgres://user:p%40ss@db.example:5433/protokollet?sslmode=require", base_dir=BASE
    )
    assert db == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "protokollet",
        "USER": "user",
        "PASSWORD": "p@ss",
        "HOST": "db.example",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }


@pytest.mark.parametrize("url", ["postgres://localhost", "sqlite://", "postgres://h:port/x"])
def test_incomplete_database_urls_are_refused(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url, base_dir=BASE)


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG", not expected) is expected
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_the_interface_is_swedish_in_stockholm_time(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert "en" in dict(settings.LANGUAGES)
    assert settings.TIME_ZONE == "Europe/Stockholm"


def test_manage_py_runs_in_development_mode_unless_told_otherwise():
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    run = [sys.executable, "manage.py", "check"]
    ok = subprocess.run(run, cwd=BASE, env=clean, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    strict = subprocess.run(
        run, cwd=BASE, env={**clean, "DEBUG": "0"}, capture_output=True, text=True, timeout=60
    )
    assert strict.returncode != 0 and "SECRET_KEY is not set" in strict.stderr


def test_trusted_proxies_are_addresses_or_networks():
    result = start_django(DEBUG="1", TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8, ::1")
    assert result.returncode == 0, result.stderr
    result = start_django(DEBUG="1", TRUSTED_PROXIES="127.0.0.1, nginx")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx' is not an IP address or network" in result.stderr


def mail_timeout(**env: str) -> subprocess.CompletedProcess:
    """The production settings' SMTP timeout, and what the system check says of it."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    clean.update(env, DEBUG="0", SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from minutes.checks import check_mail_timeout; "
        "print(settings.MAILERS['default']['OPTIONS']['timeout']); "
        "print([e.id for e in check_mail_timeout()])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE, env=clean, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def test_smtp_waits_30_seconds_by_default_well_under_a_stale_notice_claim():
    """A hung mail server would hold a notice recipient claimed until the claim is given up as
    unknown whether delivered: the SMTP timeout is a small part of that wait."""
    from minutes.services.notice import STALE_CLAIM

    result = mail_timeout()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["30", "[]"]
    assert STALE_CLAIM.total_seconds() >= 30 * 10
    result = mail_timeout(EMAIL_TIMEOUT="90")
    assert result.stdout.split("\n")[:2] == ["90", "[]"]


@pytest.mark.parametrize("timeout", ["0", "91", "900"])
def test_an_smtp_timeout_near_a_stale_notice_claim_is_refused(timeout):
    result = mail_timeout(EMAIL_TIMEOUT=timeout)
    assert result.stdout.split("\n")[:2] == [timeout, "['minutes.E001']"]


def test_the_check_wants_a_timeout_on_every_smtp_mailer(settings):
    from minutes.checks import check_mail_timeout

    smtp = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAILERS = {
        "default": {"BACKEND": smtp, "OPTIONS": {"host": "localhost"}},
        "bulk": {"BACKEND": smtp, "OPTIONS": {"timeout": 30}},
        "tests": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    [error] = check_mail_timeout()
    assert error.id == "minutes.E001" and "'default'" in error.msg and "EMAIL_TIMEOUT" in error.msg
