"""The meeting itself: created with its draft minutes, its date, times and place changed while
the minutes are a draft (one meeting a day per council, since the public addresses are by date),
frozen once approved and proposed anew by a correction, which moves the meeting when approved;
and the next meeting the minutes state.

Every write runs in one transaction and writes an audit row. Locks are taken in one order:
the meeting, its minutes, then the council (``check_date_free``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F

from core import audit
from core.dates import long_date
from councils.models import Council
from minutes import search, selectors
from minutes.models import Meeting, Minutes
from minutes.services import paragraphs
from minutes.services.drafting import ensure_draft, lock_draft, minutes_start
from minutes.services.errors import InvalidInput, NotAllowed
from minutes.services.text import check_text


@transaction.atomic
def meeting_create(
    *,
    council: Council,
    date: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    place: str,
    actor,
    request=None,
) -> Meeting:
    """A new meeting with draft minutes built from the council's standing agenda (see
    :func:`minutes_start`), on a day the council has no other meeting."""
    check_date_free(council, date)
    meeting = Meeting.objects.create(
        council=council, date=date, start_time=start_time, end_time=end_time, place=place
    )
    audit.record("meeting.created", request=request, actor=actor, obj=meeting)
    # the day's addresses are the new meeting's: not a redirect this process remembers
    selectors.forget_current_pdf(meeting)
    transaction.on_commit(lambda: selectors.forget_current_pdf(meeting))
    minutes_start(meeting=meeting, actor=actor, request=request)
    meeting.refresh_from_db()
    return meeting


FROZEN_MESSAGE = (
    "Mötet har godkända minnesanteckningar. Datum, tider, plats och råd ändras genom en rättelse."
)


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    date: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    place: str,
    actor,
    request=None,
) -> Meeting:
    """Change a meeting's date, times and place while its minutes are a draft. Once some
    minutes of it are approved, the record states them: the change goes to an open correction's
    draft as its proposal (:func:`correction_meeting_apply` makes it the meeting's when the
    correction is approved; the public pages keep the record's until then), and is refused
    otherwise. Refused too while the minutes are submitted, since the chair reviews them as
    they stand. The public addresses follow the date: the old date's remembered PDF is
    forgotten."""
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("council__municipality")
        .get(pk=meeting.pk)
    )
    latest = meeting.latest_minutes()
    correcting = is_open_correction(latest)
    if not correcting and meeting.has_approved_record():
        raise NotAllowed(FROZEN_MESSAGE)
    if latest is not None:
        ensure_draft(latest)  # submitted minutes state the meeting the chair is reviewing
    check_text(place)
    if start_time and end_time and end_time <= start_time:
        raise InvalidInput("Mötet kan inte sluta innan det börjar.")
    place = place.strip()[:150]
    if correcting:
        latest = lock_draft(latest)
        before = latest.stated_meeting()
        if date != meeting.date:
            # checked again, under the council's lock, when the correction is approved
            check_date_free(meeting.council, date, meeting=meeting, lock=False)
        latest.proposed_date, latest.proposed_start_time = date, start_time
        latest.proposed_end_time, latest.proposed_place = end_time, place
        latest.save(
            update_fields=[
                "proposed_date",
                "proposed_start_time",
                "proposed_end_time",
                "proposed_place",
                "updated_at",
            ]
        )
        audit.record(
            "meeting.correction_proposed",
            request=request,
            actor=actor,
            obj=meeting,
            before=_audited(before),
            after=_audited(latest.stated_meeting()),
        )
        return meeting
    before = {f: getattr(meeting, f) for f in MEETING_FIELDS}
    if date != meeting.date:
        check_date_free(meeting.council, date, meeting=meeting)
    meeting.date, meeting.start_time, meeting.end_time = date, start_time, end_time
    meeting.place = place
    meeting.save(update_fields=["date", "start_time", "end_time", "place", "updated_at"])
    if before["date"] != date:
        # a nämnd's §§ follow the meetings' order: both years are numbered again
        paragraphs.renumber_meeting_years(meeting, before["date"].year, date.year)
        forget_moved_meeting(meeting, before["date"])
    audit.record(
        "meeting.changed",
        request=request,
        actor=actor,
        obj=meeting,
        before=_audited(before),
        after=_audited({f: getattr(meeting, f) for f in MEETING_FIELDS}),
    )
    return meeting


MEETING_FIELDS = ("date", "start_time", "end_time", "place")


def _audited(stated: dict) -> dict:
    """A meeting's date, times and place as the audit log keeps them (text)."""
    return {k: str(v) if v is not None else None for k, v in stated.items()}


def check_date_free(
    council: Council,
    date: datetime.date,
    *,
    meeting: Meeting | None = None,
    lock: bool = True,
) -> None:
    """InvalidInput when another meeting of the council is on ``date``: the public addresses
    are by date, so a second meeting that day could not be reached, and the addresses a moved
    meeting left would lead to the other one. ``lock``: the council's row is locked until the
    transaction ends, so two meetings cannot take the same day at once (FOR NO KEY UPDATE:
    rows referring to the council are still written meanwhile). It is locked after the
    meeting and its minutes, in every service that takes it."""
    if lock:
        Council.objects.select_for_update(no_key=True).filter(pk=council.pk).first()
    others = Meeting.objects.filter(council=council, date=date)
    if meeting is not None and meeting.pk is not None:
        others = others.exclude(pk=meeting.pk)
    if others.exists():
        raise InvalidInput(f"Rådet har redan ett möte den {long_date(date)}.")


def is_open_correction(minutes: Minutes | None) -> bool:
    """``minutes`` are a correction not yet approved (a draft, or submitted)."""
    return (
        minutes is not None
        and minutes.corrects_id is not None
        and minutes.status != Minutes.Status.APPROVED
    )


def correction_meeting_apply(minutes: Minutes, *, actor=None, request=None) -> None:
    """Within the approval of a correction, before it is approved (the database keeps the
    meeting frozen once it is): its proposed date, times and place become the meeting's (the
    caller has locked the meeting, then the minutes), what the public addresses and search
    remember of the old date is forgotten, and the proposal, now applied, is cleared (the
    snapshot states the meeting as it now is: the same). Refused with InvalidInput when
    another meeting of the council took the proposed date since it was proposed."""
    if not minutes.has_proposal:
        return
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("council__municipality")
        .get(pk=minutes.meeting_id)
    )
    before = {f: getattr(meeting, f) for f in MEETING_FIELDS}
    after = minutes.stated_meeting()
    if after["date"] != meeting.date:
        try:
            check_date_free(meeting.council, after["date"], meeting=meeting)
        except InvalidInput as taken:
            raise InvalidInput(
                f"{taken} Rättelsen kan inte godkännas med det datumet; sekreteraren kan ta "
                "tillbaka den och ändra datumet."
            ) from None
    for field, value in after.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=["date", "start_time", "end_time", "place", "updated_at"])
    minutes.meeting = meeting
    minutes.proposed_date = minutes.proposed_start_time = minutes.proposed_end_time = None
    minutes.proposed_place = ""
    minutes.save(
        update_fields=[
            "proposed_date",
            "proposed_start_time",
            "proposed_end_time",
            "proposed_place",
            "updated_at",
        ]
    )
    if before["date"] != meeting.date:
        forget_moved_meeting(meeting, before["date"])
    audit.record(
        "meeting.changed",
        request=request,
        actor=actor,
        obj=meeting,
        before=_audited(before),
        after=_audited(after),
        correction=minutes.revision,
    )


def forget_moved_meeting(meeting: Meeting, old_date: datetime.date) -> None:
    """After a meeting's date changed: its search rows carry the new date, and the current PDF
    that this process remembers for either date is forgotten now and once committed."""
    search.index_meeting(meeting.pk)
    moved = Meeting(pk=meeting.pk, council=meeting.council, date=old_date)
    for day in (moved, meeting):
        selectors.forget_current_pdf(day)
        transaction.on_commit(lambda day=day: selectors.forget_current_pdf(day))


@transaction.atomic
def next_meeting_set(
    *,
    minutes: Minutes,
    date: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    place: str,
    actor,
    request=None,
) -> Meeting:
    """The draft minutes state the next meeting ("Nästa möte: …"); that meeting is created from
    the standing agenda unless the council already has one that day."""
    minutes = lock_draft(minutes)
    check_text(place)
    meeting = minutes.meeting
    if date <= meeting.date:
        raise InvalidInput("Nästa möte måste vara efter det här mötet.")
    if start_time and end_time and end_time <= start_time:
        raise InvalidInput("Mötet kan inte sluta innan det börjar.")
    following = Meeting.objects.filter(council=meeting.council, date=date).first()
    if following is None:
        following = meeting_create(
            council=meeting.council,
            date=date,
            start_time=start_time,
            end_time=end_time,
            place=place.strip()[:150],
            actor=actor,
            request=request,
        )
    Minutes.objects.filter(pk=minutes.pk).update(next_meeting=following, version=F("version") + 1)
    audit.record(
        "minutes.next_meeting_set", request=request, actor=actor, obj=meeting, date=date.isoformat()
    )
    return following


@transaction.atomic
def next_meeting_clear(*, minutes: Minutes, actor, request=None) -> None:
    """The minutes no longer state a next meeting (the meeting itself stays)."""
    minutes = lock_draft(minutes)
    Minutes.objects.filter(pk=minutes.pk).update(next_meeting=None, version=F("version") + 1)
    audit.record("minutes.next_meeting_cleared", request=request, actor=actor, obj=minutes.meeting)
