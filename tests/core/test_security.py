"""Headers, cookies and sessions (OWASP ASVS level 2, issue 9): the Content Security Policy
allows nothing inline, production settings pass `check --deploy`, and an idle session ends."""

import datetime
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core import middleware

pytestmark = pytest.mark.django_db
BASE = Path(__file__).resolve().parents[2]
TEMPLATES = BASE / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


def test_every_page_has_a_strict_content_security_policy(client, cast):
    response = client.get("/")
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    # a nonce is named only when a page uses it ({{ csp_nonce }}); no page has inline script
    assert csp["script-src"][0] == "'self'"
    assert all(v.startswith("'nonce-") for v in csp["script-src"][1:])
    assert not any("unsafe" in value for values in csp.values() for value in values)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    client.force_login(cast.secretary)
    assert "Content-Security-Policy" in client.get(reverse("drafting:workspace"))


def test_a_pdf_carries_no_policy_that_would_stop_the_browsers_viewer(client, cast):
    from actionplans import services

    services.plan_create(council=cast.council, year=2020, actor=None)
    client.force_login(cast.secretary)
    response = client.get(reverse("plans:plan_pdf", args=["arboga", "forebyggande-radet", 2020]))
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path", sorted(p for p in TEMPLATES.rglob("*.html") if "/pdf/" not in str(p) and "/email/" not in str(p)),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)  # fmt: skip
def test_no_template_has_inline_script_style_or_handlers(path):
    """Pages (not PDFs, not e-mails) keep scripts and styles in static files."""
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html, "inline <style>"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "javascript:" not in html


def production(**env: str) -> subprocess.CompletedProcess:
    # the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no production setting
    skip = {"DEBUG", "HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in skip}
    clean.update(
        DEBUG="0",
        SECRET_KEY="p" * 20 + "-production-like-secret-key-for-the-deploy-check-" + "q" * 20,
        ALLOWED_HOSTS="protokollet.example.se",
        DJANGO_SETTINGS_MODULE="config.settings",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE, env=clean, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_reports_nothing_with_production_settings():
    result = production()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_secure_httponly_and_samesite():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env = {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": "s" * 60,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE, env=env, capture_output=True, text=True
    ).stdout.split()
    assert out == ["True", "True", "True", "Lax", "True", "31536000", "None"]
    proxied = {**env, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE, env=proxied, capture_output=True, text=True
    ).stdout
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in out


def test_behind_the_proxy_https_is_trusted_and_plain_http_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    plain = client.get("/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_idle_session_ends(client, cast, settings, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 3600
    client.force_login(cast.secretary)
    workspace = reverse("drafting:workspace")
    assert client.get(workspace).status_code == 200
    first = Session.objects.get().expire_date
    assert first > timezone.now() + datetime.timedelta(minutes=59)
    # a request a few minutes later moves the expiry on (at most once a minute) ...
    later = time.time() + 300
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert client.get(workspace).status_code == 200
    assert Session.objects.get().expire_date > first
    # ... and an hour without one ends the session
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(workspace)
    assert response.status_code == 302 and "/konto/" in response["Location"]
