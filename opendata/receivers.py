"""What marks the open data stale: a save or delete of any row an OParl object is built from.

The apps below know nothing of open data (STYLE.md: apps depend one way); this app listens to
their models' signals and marks the scopes the row belongs to (``opendata.services.mark``),
inside the writer's transaction. Rows written in bulk (``seed_bench``) send no signals:
``manage.py refresh_open_data --all`` rebuilds everything after them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from councils.models import Council, Membership, Municipality, Person
from minutes.models import (
    ApprovedRevision,
    Extract,
    ItemDocument,
    Meeting,
    Minutes,
    Notice,
    PublicationWithdrawal,
)
from opendata import export
from opendata.services import body_scope, mark, meeting_scope


def _meetings_where(**lookup) -> list[str]:
    return [
        meeting_scope(pk) for pk in Meeting.objects.filter(**lookup).values_list("pk", flat=True)
    ]


@receiver([post_save, post_delete], sender=Municipality, dispatch_uid="opendata_municipality")
def municipality_changed(sender, instance: Municipality, raw=False, **kwargs) -> None:
    if raw:
        return
    # its name, licence and address are in every meeting's files and pages (a municipality is
    # deleted only without councils: its objects become tombstones)
    mark(body_scope(instance.pk), *_meetings_where(council__municipality_id=instance.pk))


@receiver(pre_save, sender=Council, dispatch_uid="opendata_council_moved")
@receiver(pre_save, sender=Membership, dispatch_uid="opendata_membership_moved")
def moved(sender, instance, raw=False, **kwargs) -> None:
    """A council moved to another municipality, or a membership to another council: the body it
    leaves is rebuilt too (its objects there become tombstones)."""
    if raw or instance.pk is None:
        return
    if sender is Council:
        before = Council.objects.filter(pk=instance.pk).values_list("municipality_id", flat=True)
        old = before.first()
        if old is not None and old != instance.municipality_id:
            mark(body_scope(old))
    else:
        before = Membership.objects.filter(pk=instance.pk).values_list("council_id", flat=True)
        old = before.first()
        if old is not None and old != instance.council_id:
            mark(*_body_of(old))


@receiver([post_save, post_delete], sender=Council, dispatch_uid="opendata_council")
def council_changed(sender, instance: Council, raw=False, **kwargs) -> None:
    if raw:
        return
    mark(body_scope(instance.municipality_id), *_meetings_where(council_id=instance.pk))


def _body_of(council_id: int) -> list[str]:
    """The body scope of a council's municipality (none for a council deleted meanwhile)."""
    municipality = (
        Council.objects.filter(pk=council_id).values_list("municipality_id", flat=True).first()
    )
    return [body_scope(municipality)] if municipality is not None else []


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="opendata_membership")
def membership_changed(sender, instance: Membership, raw=False, **kwargs) -> None:
    if not raw:
        mark(*_body_of(instance.council_id))


@receiver(post_save, sender=Person, dispatch_uid="opendata_person")
def person_changed(sender, instance: Person, raw=False, **kwargs) -> None:
    if raw:
        return
    bodies = set(
        Membership.objects.filter(person_id=instance.pk).values_list(
            "council__municipality_id", flat=True
        )
    )
    if bodies:
        mark(*(body_scope(b) for b in bodies))


@receiver([post_save, post_delete], sender=Meeting, dispatch_uid="opendata_meeting")
def meeting_changed(sender, instance: Meeting, raw=False, **kwargs) -> None:
    if not raw:
        # the body's mandate periods start with its first meeting
        mark(meeting_scope(instance.pk), *_body_of(instance.council_id))


def _minutes_changed(minutes_id: int) -> None:
    meeting = Minutes.objects.filter(pk=minutes_id).values_list("meeting_id", flat=True).first()
    if meeting is not None:
        mark(meeting_scope(meeting))


@receiver(post_save, sender=ApprovedRevision, dispatch_uid="opendata_revision")
def revision_changed(sender, instance: ApprovedRevision, raw=False, **kwargs) -> None:
    if not raw:
        _minutes_changed(instance.minutes_id)


@receiver(
    [post_save, post_delete], sender=PublicationWithdrawal, dispatch_uid="opendata_withdrawal"
)
def withdrawal_changed(sender, instance: PublicationWithdrawal, raw=False, **kwargs) -> None:
    """The withdrawn record leaves the API at once, and the published exports, which hold it,
    are taken down once the withdrawal commits (the next night's export has it no more)."""
    if not raw:
        transaction.on_commit(export.unpublish_all)
        minutes = (
            ApprovedRevision.objects.filter(pk=instance.revision_id)
            .values_list("minutes_id", flat=True)
            .first()
        )
        if minutes is not None:
            _minutes_changed(minutes)


@receiver(post_save, sender=Notice, dispatch_uid="opendata_notice")
def notice_changed(sender, instance: Notice, raw=False, **kwargs) -> None:
    if not raw:
        mark(meeting_scope(instance.meeting_id))


@receiver(post_save, sender=Extract, dispatch_uid="opendata_extract")
def extract_changed(sender, instance: Extract, raw=False, **kwargs) -> None:
    if not raw:
        _minutes_changed(instance.minutes_id)


@receiver([post_save, post_delete], sender=ItemDocument, dispatch_uid="opendata_document")
def document_changed(sender, instance: ItemDocument, raw=False, **kwargs) -> None:
    """A document listed by a notice is removed, or made internal: its File goes."""
    if raw:
        return
    meeting = (
        Minutes.objects.filter(items__pk=instance.item_id)
        .values_list("meeting_id", flat=True)
        .first()
    )
    if meeting is not None:
        mark(meeting_scope(meeting))
