"""Sign-in events go to the audit log. Django sends these signals; we only listen."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core import audit
from core.middleware import SEEN


@receiver(user_logged_in, dispatch_uid="core.audit.login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record("auth.login", request=request, actor=user, obj=user)
    session = getattr(request, "session", None)
    if session is not None:  # the idle clock starts now (core.middleware.IdleSessionMiddleware)
        session[SEEN] = int(time.time())


@receiver(user_logged_out, dispatch_uid="core.audit.logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.logout", request=request, actor=user, obj=user)


@receiver(user_login_failed, dispatch_uid="core.audit.login_failed")
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; keep only the user name.
    audit.record(
        "auth.login_failed", request=request, username=credentials.get("username", "")[:150]
    )
