"""Settings for Protokollet: one file, driven by environment variables.

The defaults let a newcomer run the project (SQLite file, console e-mail); production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. See README, "Configuration".
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_networks, env_str, parse_database_url
from config.storage import file_storages

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. It is required when DEBUG is off: set SECRET_KEY to a long "
            "random string, or DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "core.apps.ProtokolletAdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "councils",
    "minutes",
    "actionplans",
    "opendata",
    "alerts",
]

MIDDLEWARE = [
    "core.middleware.RequestLogMiddleware",  # first: it sees every response, redirects too
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PolicyMiddleware",  # Django's ContentSecurityPolicyMiddleware, PDFs aside
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",  # the language from the address: /en/… (config.urls)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

# django-axes first: it counts failed sign-ins (the approval page's password check too) and
# refuses a locked-out user before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.context_processors.languages",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"),
        base_dir=BASE_DIR,
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "drafting:workspace"
LOGOUT_REDIRECT_URL = "councils:index"

# Swedish first; English is configured for later translation of the interface. The locale is not
# taken from the browser's Accept-Language until the interface has an English catalogue, so that
# a page never comes out half in one language and half in the other.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "sv")
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not one of sv, en.")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Hashed, compressed static files in production; plain files while developing and testing, where
# nobody has run collectstatic.
_STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
# MEDIA_ROOT is the archive: every approved PDF for ever, withdrawn ones included, so no web
# server serves it. Internal documents (confidential items in full) live apart in PRIVATE_ROOT;
# only the app hands them out, after a permission check.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(BASE_DIR / "private")))
# What the public may download, as immutable content-addressed files (minutes.publication). The
# front web server serves PUBLISHED_ROOT at PUBLISHED_URL itself in production (README); the app
# serves the same address in the embedded set-up. PUBLISHED_URL may be an object storage's or a
# CDN's absolute address.
PUBLISHED_ROOT = Path(env_str("PUBLISHED_ROOT", str(BASE_DIR / "published")))
PUBLISHED_URL = env_str("PUBLISHED_URL", "/filer/")
# Local folders, or S3-compatible object storage (config/storage.py, README "Where files live").
FILE_STORAGE = env_str("FILE_STORAGE", "local")
STORAGES = {
    **file_storages(
        FILE_STORAGE,
        private_root=str(PRIVATE_ROOT),
        published_root=str(PUBLISHED_ROOT),
        published_url=PUBLISHED_URL,
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if _STATIC_MANIFEST:
    STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
else:
    # Served straight from the source folders; there is no collected copy to look in.
    STATIC_ROOT = env_str("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = not _STATIC_MANIFEST

# Django 6.1's MAILERS replaces the EMAIL_* settings; the environment keeps the familiar names.
# Development prints e-mails; production sends them by SMTP (EMAIL_HOST and friends).
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_OPTIONS: dict = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        # seconds a mail server may keep a send waiting: a hung one would otherwise hold a
        # notice recipient claimed until it is given up as unknown (the minutes.E001 check)
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Protokollet <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# --- Sign-in: throttling and the second factor (README, "Security") ------------------------------
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one person from one address
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"  # the address the audit log records
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "councils.views.locked_out"
AXES_VERBOSE = False
# A verified second factor (TOTP) for approving minutes and for the admin: on unless DEBUG.
# The demo (make run, DEBUG=1) works without one.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Protokollet")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# --- Security: headers, cookies, sessions (README, "Security") -----------------------------------
# Every script and style is a static file of the app's own; an inline script would need the
# request's nonce ({{ csp_nonce }}), and there is none. Bootstrap's form controls draw their
# arrows and checks as data: SVG images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS: on by default when DEBUG is off. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (the proxy must set that header itself).
_HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _HTTPS)
# The header may name the preload list; the site is on it only once someone submits the domain.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _HTTPS)
_PROXY_HEADER = env_str("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (_PROXY_HEADER, "https") if _PROXY_HEADER else None
# The proxies in front of the app (nginx on the same host: 127.0.0.1). A request from one of them
# names its client in X-Forwarded-For, which the audit log, the request log and the sign-in
# throttle then read (core.audit.client_ip); from anywhere else that header is ignored.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# An idle session ends: a signed-in user's request moves the expiry on (core.middleware.
# IdleSessionMiddleware, at most once a minute), and SESSION_IDLE_MINUTES without one signs the
# user out. Closing the browser ends it too.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO. Django's own request log says less than
    # protokollet.request (core.middleware.RequestLogMiddleware), which says it once per request.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "protokollet.request": {"level": env_str("REQUEST_LOG_LEVEL", "INFO")},
    },
}

# The PDF renderer's child process (minutes/pdf.py).
PDF_RENDER_TIMEOUT = env_int("PDF_RENDER_TIMEOUT", 60)  # seconds per document
PDF_RENDER_MEMORY_MB = env_int("PDF_RENDER_MEMORY_MB", 1024)  # address-space limit of the child
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_MB", 25) * 1024 * 1024  # an item's documents, each
PDF_RENDER_MAX_JOBS = env_int("PDF_RENDER_MAX_JOBS", 200)  # renders before the child is replaced
PDF_WARM_START = env_bool("PDF_WARM_START", not DEBUG)  # start the child with each WSGI worker
# warm children a process may render in side by side (a justering's public and internal copies)
PDF_RENDER_CHILDREN = env_int("PDF_RENDER_CHILDREN", min(2, os.cpu_count() or 1))

# Where the accessibility statement (/tillganglighet/) sends reports of problems.
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "tillganglighet@example.se")

# The address e-mails link to.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Django's tasks framework: immediate by default; in production TASK_BACKEND=
# django_tasks_db.backend.DatabaseBackend queues them for `manage.py db_worker`.
# Per process: what the public pages remember (the current PDF of a date for a minute, the HTML of
# an approved revision, which never changes) is small and cheap to rebuild.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
    },
    # The public pages as rendered for visitors who are not signed in, until anything public
    # changes (core.pagecache): at most PAGE_CACHE_ENTRIES pages of at most 1 MB, per process,
    # or in PAGE_CACHE_DIR shared by every process of the machine.
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache"
        if env_str("PAGE_CACHE_DIR", "")
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": env_str("PAGE_CACHE_DIR", "") or "pages",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 2000)},
    },
}
# How long a remembered public page may be sent at most (0: not remembered). A write to what the
# pages are built from forgets them at once; this bounds what that rule could miss.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)

# Bevakning (alerts): residents' e-mail about what they follow (README, "Alerts")
ALERTS_DIGEST_HOUR = env_int("ALERTS_DIGEST_HOUR", 7)  # the daily digest's hour, local time
ALERTS_LIMIT_PER_ADDRESS = env_int("ALERTS_LIMIT_PER_ADDRESS", 5)  # requests a day
ALERTS_LIMIT_PER_CLIENT = env_int("ALERTS_LIMIT_PER_CLIENT", 20)  # requests an hour

TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    }
}
