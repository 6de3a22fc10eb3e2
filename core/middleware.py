"""The project's own middleware."""

from __future__ import annotations

import json
import logging
import re
import time

from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

from core.audit import client_ip

request_log = logging.getLogger("protokollet.request")


class PolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's Content Security Policy (SECURE_CSP), on every response but PDFs: a PDF runs no
    page script, and browsers' built-in PDF viewers refuse to show a PDF whose own response
    carries ``object-src 'none'``."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_config = {}
            response._csp_ro_config = {}
        return super().process_response(request, response)


# The staff pages are Swedish whatever LANGUAGE_CODE says: their text is written in Swedish and
# only the public pages have an English catalogue.
STAFF_PATHS = ("/arbete/", "/konto/", "/admin/")
STAFF_LANGUAGE = "sv"


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The language comes from the address alone: the public pages in LANGUAGE_CODE without a
    prefix and in the other language under its prefix (``/en/…``, config.urls), the staff
    pages (``STAFF_PATHS``, never prefixed) in Swedish. Neither ``Accept-Language`` nor a
    cookie is read, so a response does not vary by them and caches keep one copy per address
    (Django's middleware would add ``Vary: Accept-Language`` to every unprefixed response)."""

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        if not language:
            staff = request.path_info.startswith(STAFF_PATHS)
            language = STAFF_LANGUAGE if staff else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


SEEN = "_seen"  # when the signed-in user last made a request, in whole seconds
TOUCH_EVERY = 60  # seconds


class IdleSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without a request (SESSION_IDLE_MINUTES): a signed-in
    user's request moves the session's expiry on, but writes the session at most once a minute,
    not on every request as SESSION_SAVE_EVERY_REQUEST would."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(SEEN, 0) >= TOUCH_EVERY:
                session[SEEN] = now  # modified: saved, with a new expiry, after the response
        return self.get_response(request)


# The secret key of a resident's alert links (alerts.urls): it opens their page, which shows their
# address, so the log keeps the path without it.
_SECRET_IN_PATH = re.compile(r"(/bevaka/(?:bekrafta/)?)[-A-Za-z0-9_]{20,64}")


class RequestLogMiddleware:
    """One structured (JSON) line per request on the ``protokollet.request`` logger: method,
    path, status, duration, the user (id and name, or none) and the address. Query strings are
    left out (a search is someone's words); 5xx are errors, 4xx warnings."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        entry = {
            "method": request.method,
            "path": _SECRET_IN_PATH.sub(r"\1…", request.path),
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "user": user.pk if signed_in else None,
            "username": user.get_username() if signed_in else None,
            "ip": client_ip(request),
        }
        level = (
            logging.ERROR
            if response.status_code >= 500
            else logging.WARNING
            if response.status_code >= 400
            else logging.INFO
        )
        request_log.log(level, json.dumps(entry, ensure_ascii=False), extra={"request_log": entry})
        return response
