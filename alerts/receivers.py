"""What the alerts hear from the minutes (STYLE.md: apps depend one way; minutes know nothing
of alerts)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from alerts import services, tasks
from minutes import signals
from minutes.models import Announcement


@receiver(signals.minutes_approved, dispatch_uid="alerts.minutes_approved")
def minutes_approved(*, revision, **_kwargs) -> None:
    """Matched once the approval is committed (a rolled-back approval alerts nobody), against
    the search rows the approval wrote."""
    pk = revision.pk
    transaction.on_commit(lambda: tasks.match_revision.enqueue(pk))


@receiver(post_save, sender=Announcement, dispatch_uid="alerts.announcement_posted")
def announcement_posted(*, instance, created, raw=False, **_kwargs) -> None:
    if created and not raw:
        services.announcement_posted(instance)
