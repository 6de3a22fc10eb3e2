"""The alerts' work, through Django's tasks framework (immediately by default; the database
worker in production). Each task takes ids, not objects."""

from __future__ import annotations

from django.tasks import task

from alerts import services


@task
def match_revision(revision_id: int) -> int:
    """A newly approved revision's alerts, then a round: those who want news at once get it."""
    made = services.match_revision(revision_id)
    if made:
        services.dispatch()
    return made


@task
def dispatch_alerts() -> int:
    return services.dispatch()


@task
def send_digest(digest_id: int) -> int:
    """A digest whose retry is due (queued for then where the backend can defer)."""
    return services.send_digest(digest_id)


@task
def send_request_email(subscription_id: int, what: str) -> int:
    return services.send_request_email(subscription_id, what)
