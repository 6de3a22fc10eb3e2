"""The project's own middleware."""

from __future__ import annotations

import time

from django.middleware.csp import ContentSecurityPolicyMiddleware


class PolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Django's Content Security Policy (SECURE_CSP), on every response but PDFs: a PDF runs no
    page script, and browsers' built-in PDF viewers refuse to show a PDF whose own response
    carries ``object-src 'none'``."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_config = {}
            response._csp_ro_config = {}
        return super().process_response(request, response)


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
