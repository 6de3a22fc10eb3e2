"""Approval: draft → submitted → approved, and back submitted → draft (withdrawn by the
secretary, or returned by the approver with a comment); the frozen revision of minutes approved
outside Protokollet; a correction (rättelse) of approved minutes; the withdrawal of a public
copy. Each transition locks the minutes row, checks the state, writes an event and an audit
row, and sends its e-mail after commit."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from core import audit
from core.dates import long_date
from councils import access
from councils.models import Person
from minutes import publication, search, selectors, signals, tasks
from minutes.models import (
    AgendaItem,
    AgendaItemSection,
    ApprovedRevision,
    Attendance,
    ItemDocument,
    Meeting,
    Minutes,
    MinutesEvent,
    PublicationWithdrawal,
    Signature,
)
from minutes.pdf import minutes_pdf_htmls, render_minutes_pdfs
from minutes.services import deliberation, paragraphs
from minutes.services.attachments import DOCUMENT_COPIED
from minutes.services.drafting import drop_empty_sections
from minutes.services.errors import InvalidInput, NotAllowed
from minutes.services.files import store_pdf
from minutes.services.meetings import correction_meeting_apply
from minutes.services.text import check_text
from minutes.snapshot import build_snapshot

# a § keeps its parts in a correction
PARTS_COPIED = (
    "case_number",
    "basis",
    "proposal",
    "decision_points",
    "protocol_note",
    "recipients",
    "immediate_adjustment",
    "proposition",
)
ATTENDANCE_COPIED = (
    "person_id",
    "membership_id",
    "status",
    "substitute_for_id",
    "position",
    "from_position",
    "to_position",
    "is_adjuster",
)


def _lock(minutes: Minutes) -> Minutes:
    """The minutes row locked (only it: its meeting and council are read, not locked, so that
    whoever locks the meeting does so in the one order, meeting before minutes)."""
    return (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting__council")
        .get(pk=minutes.pk)
    )


def _event(minutes: Minutes, kind: str, actor, **fields) -> None:
    MinutesEvent.objects.create(
        minutes=minutes,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        **fields,
    )


def _check_approver(minutes: Minutes, actor) -> Person:
    """Only the person who chaired the meeting approves or returns its minutes; a nämnd's
    protokoll is returned by the chair or a justerare (minutes.services.justering)."""
    if minutes.meeting.council.numbers_paragraphs:
        from minutes.services import justering

        return justering.check_returner(minutes, actor)
    person = access.chair_of(actor, minutes.meeting)
    if person is None:
        raise NotAllowed(str(minutes.meeting.council.terms.only_chair))
    return person


def _check_held(meeting: Meeting, what: str, day: datetime.date | None = None) -> None:
    """Minutes record a meeting that has taken place: nothing is submitted or approved before
    the meeting's date (Swedish time), or the date a correction states."""
    day = day or meeting.date
    if day > timezone.localdate():
        document = capfirst(meeting.council.terms.document)
        raise NotAllowed(
            f"Mötet hålls den {long_date(day)}. {document} kan {what} först när mötet har hållits."
        )


def _after_commit(task_name: str, minutes_id: int) -> None:
    transaction.on_commit(lambda: getattr(tasks, task_name).enqueue(minutes_id))


@transaction.atomic
def minutes_submit(*, minutes: Minutes, actor, request=None) -> Minutes:
    """The secretary sends the draft to the person who chaired the meeting. Empty sub-sections
    are dropped; the submitted snapshot is kept for comparison after a return."""

    minutes = _lock(minutes)
    terms = minutes.meeting.council.terms
    if minutes.status != Minutes.Status.DRAFT:
        raise NotAllowed(f"Bara ett utkast kan {terms.to_submit}.")
    _check_held(minutes.meeting, terms.to_submit, minutes.stated_meeting()["date"])
    if minutes.meeting.chaired_by_id is None:
        raise NotAllowed(
            "Det står inte vem som var ordförande vid mötet; be systemförvaltaren ange det."
        )
    if not minutes.items.exists():
        raise NotAllowed("Minnesanteckningarna har inga ärenden.")
    if minutes.meeting.council.numbers_paragraphs:
        unresolved = deliberation.problems(minutes)
        if unresolved:
            raise NotAllowed(" ".join(unresolved))
        from minutes.services import justering

        waiting = justering.paragraphs_waiting(minutes)
        if waiting:
            raise NotAllowed(
                f"{', '.join(waiting)} väntar på omedelbar justering; låt den justeras eller "
                "ta tillbaka den först."
            )
    # a nämnd's §§ are checked once more under the council's lock: what is submitted is final
    try:
        paragraphs.after_items_changed(minutes)
    except InvalidInput as refused:
        raise NotAllowed(str(refused)) from None
    drop_empty_sections(minutes)
    minutes.status = Minutes.Status.SUBMITTED
    minutes.save(update_fields=["status", "updated_at"])
    _event(minutes, MinutesEvent.Kind.SUBMITTED, actor, snapshot=build_snapshot(minutes).as_dict())
    audit.record("minutes.submitted", request=request, actor=actor, obj=minutes.meeting)
    _after_commit("notify_submitted", minutes.pk)
    return minutes


@transaction.atomic
def minutes_withdraw(*, minutes: Minutes, actor, request=None) -> Minutes:
    """The reverse of submitting: the secretary takes the draft back to change it."""

    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.SUBMITTED:
        terms = minutes.meeting.council.terms
        raise NotAllowed(f"Bara {terms.documents} som {terms.awaits_approval} kan tas tillbaka.")
    minutes.status = Minutes.Status.DRAFT
    minutes.save(update_fields=["status", "updated_at"])
    _event(minutes, MinutesEvent.Kind.WITHDRAWN, actor)
    audit.record("minutes.withdrawn", request=request, actor=actor, obj=minutes.meeting)
    return minutes


def return_comment(comment: str) -> str:
    """What a return says, checked: the secretary must be told what to change."""
    check_text(comment)
    comment = comment.strip()
    if not comment:
        raise InvalidInput("Skriv vad som behöver ändras.")
    return comment


@transaction.atomic
def minutes_return(*, minutes: Minutes, actor, comment: str, request=None) -> Minutes:
    """The approver sends the draft back to the secretary with a comment."""

    comment = return_comment(comment)
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.SUBMITTED:
        terms = minutes.meeting.council.terms
        raise NotAllowed(f"Bara {terms.documents} som {terms.awaits_approval} kan återsändas.")
    _check_approver(minutes, actor)
    minutes.status = Minutes.Status.DRAFT
    minutes.save(update_fields=["status", "updated_at"])
    _event(minutes, MinutesEvent.Kind.RETURNED, actor, comment=comment[:5000])
    audit.record("minutes.returned", request=request, actor=actor, obj=minutes.meeting)
    _after_commit("notify_returned", minutes.pk)
    return minutes


def signed_text(moment: datetime.datetime) -> str:
    """ "Justerat elektroniskt 2020-03-02 kl. 14.05" in Swedish time."""

    local = timezone.localtime(moment)
    return f"Justerat elektroniskt {local:%Y-%m-%d} kl. {local:%H.%M}"


def _forget_current_pdf(meeting) -> None:
    """Now, and again once committed: a request in between may have remembered the old answer."""
    selectors.forget_current_pdf(meeting)
    transaction.on_commit(lambda: selectors.forget_current_pdf(meeting))


def _freeze(minutes: Minutes, snapshot, approved_at: datetime.datetime, **fields):
    """Render the approved PDF once (and, when items are confidential, the internal one into the
    private storage) and keep both with the snapshot in an insert-only revision."""

    # the two render side by side
    public_pdf, internal_pdf = render_minutes_pdfs(snapshot, internal=has_internal_copy(snapshot))
    public = store_pdf(public_pdf)
    internal = None
    if internal_pdf is not None:
        internal = store_pdf(internal_pdf, storage_alias="private")
    revision = ApprovedRevision.objects.create(
        minutes=minutes,
        snapshot=snapshot.as_dict(),
        pdf_name=public.name,
        pdf_sha256=public.sha256,
        pdf_size=public.size,
        internal_pdf_name=internal.name if internal else "",
        internal_pdf_sha256=internal.sha256 if internal else "",
        approved_at=approved_at,
        **fields,
    )
    # the new revision is now the meeting's public one: searchable, and published once committed
    search.index_meeting(minutes.meeting_id)
    publication.publish_after_commit(revision)
    _forget_current_pdf(minutes.meeting)
    # in the same transaction: what other apps derive from approved minutes fails with it
    signals.minutes_approved.send(sender=Minutes, minutes=minutes, revision=revision)
    return revision


@transaction.atomic
def minutes_approve(*, minutes: Minutes, actor, request=None):
    """The person who chaired the meeting approves: the snapshot is frozen in an insert-only
    revision with the PDF rendered once from it, stored with its SHA-256, and the signature."""

    # the meeting first, then the minutes (then the council, when a correction moves the
    # meeting): the order meeting_update locks them in, so the two never wait on each other
    Meeting.objects.select_for_update().filter(pk=minutes.meeting_id).first()
    minutes = _lock(minutes)
    terms = minutes.meeting.council.terms
    if minutes.meeting.council.numbers_paragraphs:
        raise NotAllowed(
            "En nämnds protokoll justeras av sekreteraren, ordföranden och justerarna var för sig."
        )
    if minutes.status != Minutes.Status.SUBMITTED:
        raise NotAllowed(
            f"Bara {terms.documents} som {terms.awaits_approval} kan {terms.to_approve}."
        )
    _check_held(minutes.meeting, terms.to_approve, minutes.stated_meeting()["date"])
    person = _check_approver(minutes, actor)
    # a correction's proposed date, times and place become the meeting's while the newest
    # minutes are not yet approved (the database freezes the meeting once they are)
    correction_meeting_apply(minutes, actor=actor, request=request)
    now = timezone.now().replace(microsecond=0)
    snapshot = build_snapshot(minutes, created=now, signed={"Ordförande": signed_text(now)})
    revision = _freeze(
        minutes,
        snapshot,
        now,
        supersedes=minutes.corrects,
        correction_reason=minutes.correction_reason,
    )
    Signature.objects.create(
        revision=revision,
        user=actor,
        name=person.name,
        role="Ordförande",
        signed_at=now,
        ip_address=audit.client_ip(request),
    )
    minutes.status = Minutes.Status.APPROVED
    minutes.save(update_fields=["status", "updated_at"])
    _event(minutes, MinutesEvent.Kind.APPROVED, actor)
    audit.record(
        "minutes.approved",
        request=request,
        actor=actor,
        obj=minutes.meeting,
        sha256=revision.pdf_sha256,
    )
    _after_commit("notify_approved", minutes.pk)
    return revision


def historical_snapshot(
    minutes: Minutes,
    *,
    approved_at: datetime.datetime,
    closed_on: datetime.date | None = None,
    announce: bool = False,
):
    """The snapshot ``record_historical_revision`` freezes, and the announcement's facts (None
    unless ``announce``): also what a bulk import renders ahead (``freeze_htmls``)."""
    anslag = None
    if announce and minutes.meeting.council.numbers_paragraphs:
        from minutes.services import justering

        anslag = justering.anslag_of(minutes, timezone.localdate(approved_at))
    snapshot = build_snapshot(
        minutes, created=approved_at, closed_on=closed_on, announcement=anslag
    )
    return snapshot, anslag


def has_internal_copy(snapshot) -> bool:
    """The internal copy exists when the public one leaves something out: a confidential item,
    or an internal document named under its item."""
    return any(
        not item.is_public or any(not d.is_public for d in item.documents)
        for item in snapshot.items
    )


def freeze_htmls(snapshot) -> list[str]:
    """What ``_freeze`` renders of ``snapshot``: the public HTML, and the internal one."""
    return minutes_pdf_htmls(snapshot, internal=has_internal_copy(snapshot))


@transaction.atomic
def record_historical_revision(
    *,
    minutes: Minutes,
    approved_at: datetime.datetime,
    actor=None,
    closed_on: datetime.date | None = None,
    announce: bool = False,
):
    """Freeze minutes that were approved outside Protokollet (imported, or demo data) in the same
    insert-only revision as online approval: the snapshot, the PDF rendered once from it and its
    SHA-256, and signature rows for the signatories named in the document (not signed online).
    ``closed_on``: the date of the document's closing line, when it is not the meeting's.
    ``announce``: a nämnd's protokoll justerat on paper was announced on the anslagstavla the
    day of ``approved_at``: its anslagsbevis is filled in and the announcement recorded."""

    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.APPROVED:
        raise NotAllowed("Bara godkända minnesanteckningar kan arkiveras som godkända.")
    _check_held(minutes.meeting, "arkiveras som godkända")
    if ApprovedRevision.objects.filter(minutes=minutes).exists():
        return minutes.approved_revision
    snapshot, anslag = historical_snapshot(
        minutes, approved_at=approved_at, closed_on=closed_on, announce=announce
    )
    revision = _freeze(minutes, snapshot, approved_at)
    if anslag is not None:
        from minutes.services import justering

        justering.post_protocol(minutes, revision, snapshot, anslag, created_at=approved_at)
    Signature.objects.bulk_create(
        Signature(
            revision=revision, name=s.name, role=s.role, signed_at=approved_at, method="paper"
        )
        for s in snapshot.signatories
    )
    audit.record("minutes.archived", actor=actor, obj=minutes.meeting, sha256=revision.pdf_sha256)
    return revision


@transaction.atomic
def correction_start(*, revision, actor, reason: str, request=None) -> Minutes:
    """A correction (rättelse) of approved minutes: a new draft revision, a copy of the approved
    one, that goes through the same approval and then supersedes it. The approved revision and
    its PDF never change."""

    check_text(reason)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Ange skälet till rättelsen.")
    revision = (
        ApprovedRevision.objects.select_for_update()
        .select_related("minutes__meeting")
        .get(pk=revision.pk)
    )
    meeting = Meeting.objects.select_for_update().get(pk=revision.minutes.meeting_id)
    latest = meeting.latest_minutes()
    if latest.pk != revision.minutes_id:
        raise NotAllowed(
            "Det finns redan en rättelse av minnesanteckningarna; rätta den senaste versionen."
        )
    source = revision.minutes
    paragraphs.transfer_to_correction(source)
    new = Minutes.objects.create(
        meeting=meeting,
        revision=source.revision + 1,
        status=Minutes.Status.DRAFT,
        others_present=source.others_present,
        adjustment_place=source.adjustment_place,
        adjustment_date=source.adjustment_date,
        adjustment_time=source.adjustment_time,
        corrects=revision,
        correction_reason=reason[:5000],
    )
    Attendance.objects.bulk_create(
        Attendance(minutes=new, **{f: getattr(a, f) for f in ATTENDANCE_COPIED})
        for a in source.attendance.all()
    )
    copies: dict[int, AgendaItem] = {}
    for item in source.items.order_by("position").prefetch_related("sections"):
        copies[item.pk] = copy = AgendaItem.objects.create(
            minutes=new,
            position=item.position,
            number=item.number,
            title=item.title,
            body=item.body,
            decision=item.decision,
            is_public=item.is_public,
            confidentiality_ground=item.confidentiality_ground,
            points=item.points,
            **{part: getattr(item, part) for part in PARTS_COPIED},
            paragraph=item.paragraph,
            paragraph_council_id=meeting.council_id if item.paragraph is not None else None,
            paragraph_year=meeting.date.year if item.paragraph is not None else None,
        )
        AgendaItemSection.objects.bulk_create(
            AgendaItemSection(item=copy, position=s.position, heading=s.heading, body=s.body)
            for s in item.sections.all()
        )
        # the documents go with their items; the copies share the approved revision's files
        ItemDocument.objects.bulk_create(
            ItemDocument(item=copy, **{f: getattr(document, f) for f in DOCUMENT_COPIED})
            for document in item.documents.all()
        )
        deliberation.copy(item, copy)
    signals.minutes_corrected.send(sender=Minutes, source=source, minutes=new, items=copies)
    audit.record(
        "minutes.correction_started", request=request, actor=actor, obj=meeting, reason=reason[:500]
    )
    return new


@transaction.atomic
def publication_withdraw(*, revision, actor, reason: str, request=None):
    """Withdraw the public copy of approved minutes, and the public extracts of its §§ with
    it; the record stays in the archive."""

    check_text(reason)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Ange skälet till att den publicerade kopian dras tillbaka.")
    if PublicationWithdrawal.objects.filter(revision=revision).exists():
        raise NotAllowed("Den publicerade kopian är redan tillbakadragen.")
    withdrawal = PublicationWithdrawal.objects.create(
        revision=revision, reason=reason, withdrawn_by=actor
    )
    search.index_meeting(revision.minutes.meeting_id)
    publication.unpublish_after_commit(revision)
    publication.unpublish_extracts_after_commit(revision)
    _forget_current_pdf(revision.minutes.meeting)
    audit.record(
        "minutes.publication_withdrawn",
        request=request,
        actor=actor,
        obj=revision.minutes.meeting,
        reason=reason[:500],
    )
    return withdrawal
