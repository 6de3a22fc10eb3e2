"""The alerts' work, through Django's tasks framework (immediately by default; the database
worker in production). Each task takes ids, not objects."""

from __future__ import annotations

from django.tasks import task

from alerts import services


@task
def match_revision(revision_id: int) -> int:
    """A newly approved revision's alerts; those who want news at once get them now."""
    made = services.match_revision(revision_id)
    if made:
        services.dispatch(at_once_only=True)
    return made


@task
def dispatch_alerts() -> int:
    """After an announcement went up: those who want news at once get it now."""
    return services.dispatch(at_once_only=True)


@task
def send_digest(digest_id: int) -> int:
    """A digest whose retry is due (queued for then where the backend can defer)."""
    return services.send_digest(digest_id)


@task
def send_request_email(email_id: int) -> int:
    """A request's e-mail (the confirmation link, or word that the address already follows)."""
    return services.send_request_email(email_id)
