"""System checks of the settings the minutes rely on."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def check_mail_timeout(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every SMTP mailer has a timeout well under ``STALE_CLAIM`` (a tenth of it at most): a
    notice recipient stays claimed while its e-mail is sent, and a send that hangs longer than
    that is failed as unknown whether delivered, though it may still go out."""
    from minutes.services.notice import STALE_CLAIM

    limit = STALE_CLAIM.total_seconds() / 10
    errors = []
    for alias, mailer in getattr(settings, "MAILERS", {}).items():
        if not mailer.get("BACKEND", "").endswith("smtp.EmailBackend"):
            continue
        timeout = (mailer.get("OPTIONS") or {}).get("timeout")
        if timeout is None or not 0 < timeout <= limit:
            errors.append(
                checks.Error(
                    f"The SMTP mailer {alias!r} has the timeout {timeout!r}; it needs one of "
                    f"at most {limit:.0f} seconds (EMAIL_TIMEOUT).",
                    hint="A send that hangs longer is failed as unknown whether delivered.",
                    id="minutes.E001",
                )
            )
    return errors
