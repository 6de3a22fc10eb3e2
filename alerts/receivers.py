"""What the alerts hear from the minutes (STYLE.md: apps depend one way; minutes know nothing
of alerts)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from alerts import services, tasks
from minutes import signals


@receiver(signals.minutes_approved, dispatch_uid="alerts.minutes_approved")
def minutes_approved(*, revision, **_kwargs) -> None:
    """Matched once the approval is committed (a rolled-back approval alerts nobody), against
    the search rows the approval wrote."""
    pk = revision.pk
    transaction.on_commit(lambda: tasks.match_revision.enqueue(pk))


@receiver(signals.announcement_posted, dispatch_uid="alerts.announcement_posted")
def announcement_posted(*, announcement, **_kwargs) -> None:
    services.announcement_posted(announcement)
