"""The justering of a nämnd's protokoll (Kommunallagen 5 kap. 69 §, 6 kap. 35 §, 8 kap. 12 §,
13 kap. 5 §).

The secretary submits the protokoll; the secretary, the person who chaired and each justerare
named in the attendance sign it, in any order, each with their password (and second factor).
Each signature is a row of its own that signs one submission: a return (by the chair or a
justerare, with a comment) or the secretary taking it back ends the submission, and with it
the signatures given so far. The last signature freezes the protokoll as the approved revision
(the PDF rendered once, stored, its hash recorded), with every signature under its name, and
puts the announcement on the municipality's anslagstavla the same day, with the last day to
appeal (``core.legal_time``); the extracts of the §§ are rendered after the commit by the task
worker.

A § flagged for omedelbar justering may be sent on its own, before the rest: the same
signatories sign it, and the last signature freezes it as its own record (an immediate
``Extract``) with its own announcement. The protokoll then holds the § unchanged, marked as
justerad at once; the § keeps its place and its number.

A råd does none of this: its chair approves (minutes.services.approval.minutes_approve).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit, legal_time
from core.dates import long_date
from councils.models import Person
from minutes import signals, tasks
from minutes.models import (
    AdjustmentSignature,
    AgendaItem,
    Announcement,
    ApprovedRevision,
    Attendance,
    Extract,
    Meeting,
    Minutes,
    MinutesEvent,
    Signature,
    SignerRole,
)
from minutes.pdf import build_html, render_many
from minutes.services import approval, paragraphs
from minutes.services.errors import InvalidInput, NotAllowed
from minutes.services.files import store_pdf
from minutes.snapshot import AnslagSnapshot, MinutesSnapshot, build_snapshot, extract_snapshot

logger = logging.getLogger(__name__)

DAYS_TO_ADJUST = 14  # Kommunallagen 5 kap. 69 §, 6 kap. 35 §: within fourteen days
REMIND_DAYS_BEFORE = 3


@dataclass(frozen=True)
class Signer:
    person: Person
    role: str  # SignerRole


@dataclass(frozen=True)
class Progress:
    """Where the justering of a protokoll (or of one § sent at once) stands."""

    signers: tuple[Signer, ...]
    submission: MinutesEvent | None  # the submission being signed; None when not submitted
    signed: dict[int, AdjustmentSignature]  # person id → their signature of the submission
    due: datetime.date
    adjusted_at: datetime.datetime | None = None  # when it was justerat

    @property
    def missing(self) -> tuple[Signer, ...]:
        return tuple(s for s in self.signers if s.person.pk not in self.signed)

    @property
    def is_complete(self) -> bool:
        return bool(self.signers) and not self.missing

    def is_late(self, today: datetime.date | None = None) -> bool:
        """Justerat after the fourteen days, or not yet justerat when they have run out."""
        if self.adjusted_at is not None:
            return timezone.localdate(self.adjusted_at) > self.due
        return (today or timezone.localdate()) > self.due

    def signature_of(self, person_id: int) -> AdjustmentSignature | None:
        return self.signed.get(person_id)


def due_date(meeting: Meeting) -> datetime.date:
    """The last day of the fourteen days after the meeting."""
    return meeting.date + datetime.timedelta(days=DAYS_TO_ADJUST)


def signers(minutes: Minutes) -> tuple[Signer, ...]:
    """Who justerar: the secretary of the meeting, the person who chaired it, and the
    justerare named in the attendance, in the protokoll's order (the secretary first)."""
    adjusters = (
        Attendance.objects.filter(minutes=minutes, is_adjuster=True)
        .select_related("person")
        .order_by("position", "id")
    )
    return roster(minutes.meeting, [row.person for row in adjusters])


def roster(meeting: Meeting, adjusters: list[Person]) -> tuple[Signer, ...]:
    """:func:`signers` from what the caller has read: the meeting (with its secretary and
    chair) and the justerare in the attendance's order."""
    found: list[Signer] = []
    if meeting.secretary_id is not None:
        found.append(Signer(meeting.secretary, SignerRole.SECRETARY))
    if meeting.chaired_by_id is not None:
        found.append(Signer(meeting.chaired_by, SignerRole.CHAIR))
    found += [Signer(person, SignerRole.ADJUSTER) for person in adjusters]
    # one person signs once, in their first role
    seen: set[int] = set()
    return tuple(s for s in found if not (s.person.pk in seen or seen.add(s.person.pk)))


def role_of(minutes: Minutes, person_id: int | None) -> str:
    """The role in which ``person_id`` justerar ``minutes``, or "" for none."""
    if person_id is None:
        return ""
    return next((s.role for s in signers(minutes) if s.person.pk == person_id), "")


def _latest_event(minutes: Minutes, item: AgendaItem | None) -> MinutesEvent | None:
    events = MinutesEvent.objects.filter(minutes=minutes)
    events = events.filter(item=item) if item is not None else events.filter(item__isnull=True)
    return events.order_by("-id").first()


def current_submission(minutes: Minutes, item: AgendaItem | None = None) -> MinutesEvent | None:
    """The submission whose signatures count: the protokoll's while it is submitted, or the
    § sent for omedelbar justering while it waits."""
    if item is None and minutes.status != Minutes.Status.SUBMITTED:
        return None
    latest = _latest_event(minutes, item)
    if latest is None or latest.kind != MinutesEvent.Kind.SUBMITTED:
        return None
    return latest


def immediate_records(meeting_id: int):
    """The meeting's §§ justerade at once, whichever revision of its minutes they were made in
    (a correction's copy of a § is the same §: a correction keeps every § and its number)."""
    return Extract.objects.filter(minutes__meeting_id=meeting_id, immediate=True)


def immediate_record(item: AgendaItem) -> Extract | None:
    if item.paragraph is None:
        return None
    return immediate_records(item.minutes.meeting_id).filter(paragraph=item.paragraph).first()


def paragraph_state(item: AgendaItem) -> str:
    """A § flagged for omedelbar justering: "draft", "submitted" or "adjusted"."""
    if immediate_record(item) is not None:
        return "adjusted"
    return "submitted" if current_submission(item.minutes, item) is not None else "draft"


def progress(minutes: Minutes, item: AgendaItem | None = None) -> Progress:
    """Who has signed the current submission and who has not, and the due date."""
    who = signers(minutes)
    adjusted_at = None
    if item is not None:
        record = immediate_record(item)
        adjusted_at = record.adjusted_at if record else None
    else:
        revision = ApprovedRevision.objects.filter(minutes=minutes).first()
        adjusted_at = revision.approved_at if revision else None
    submission = current_submission(minutes, item)
    signed: dict[int, AdjustmentSignature] = {}
    if submission is not None:
        signed = {s.person_id: s for s in submission.adjustment_signatures.all()}
    elif adjusted_at is not None:
        # justerat: the signatures of the submission that was justerat
        frozen = _latest_event_of_kind(minutes, item, MinutesEvent.Kind.SUBMITTED)
        if frozen is not None:
            signed = {s.person_id: s for s in frozen.adjustment_signatures.all()}
    return Progress(
        signers=who,
        submission=submission,
        signed=signed,
        due=due_date(minutes.meeting),
        adjusted_at=adjusted_at,
    )


def _latest_event_of_kind(minutes, item, kind) -> MinutesEvent | None:
    events = MinutesEvent.objects.filter(minutes=minutes, kind=kind)
    events = events.filter(item=item) if item is not None else events.filter(item__isnull=True)
    return events.order_by("-id").first()


def _check_read(submission: MinutesEvent, submission_id: int | None, what: str) -> None:
    if submission_id is not None and submission_id != submission.pk:
        raise NotAllowed(
            f"{what} har skickats på nytt sedan du öppnade sidan. Läs det som nu väntar på "
            "justering innan du justerar."
        )


def _person_of(actor) -> Person | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Person.objects.filter(user=actor).first()


def _check_signer(minutes: Minutes, actor) -> Signer:
    person = _person_of(actor)
    signer = next(
        (s for s in signers(minutes) if person is not None and s.person.pk == person.pk), None
    )
    if signer is None:
        raise NotAllowed(
            "Bara sekreteraren, den som var ordförande och de utsedda justerarna justerar "
            "protokollet."
        )
    return signer


def check_returner(minutes: Minutes, actor) -> Person:
    """The chair and the justerare may return the protokoll with a comment (the secretary
    takes it back instead)."""
    signer = _check_signer(minutes, actor)
    if signer.role == SignerRole.SECRETARY:
        raise NotAllowed(
            "Sekreteraren återsänder inte protokollet; ta tillbaka det i stället för att ändra."
        )
    return signer.person


def signed_map(signatures) -> dict:
    """The snapshot's signatures: "Justerat elektroniskt …" under each signatory's line, keyed
    by role and person (two justerare share a role)."""
    return {(s.role, s.person_id): approval.signed_text(s.signed_at) for s in signatures}


# --- the whole protokoll ----------------------------------------------------------------------


@transaction.atomic
def sign(
    *, minutes: Minutes, actor, request=None, submission_id: int | None = None
) -> ApprovedRevision | None:
    """``actor`` signs the submitted protokoll. Returns the approved revision when theirs was
    the last signature (it froze the protokoll), else None. ``submission_id``: the submission
    the signatory read (the review page states it); a signature of another, newer one is refused
    (the secretary took it back and changed it meanwhile). Two last signatures at once are
    serialised by the minutes row's lock: the second to commit sees the first's signature and
    freezes; the first does not."""

    Meeting.objects.select_for_update().filter(pk=minutes.meeting_id).first()
    minutes = approval._lock(minutes)
    if not minutes.meeting.council.numbers_paragraphs:
        raise NotAllowed("Ett råds minnesanteckningar godkänns av ordföranden.")
    if minutes.status != Minutes.Status.SUBMITTED:
        raise NotAllowed("Bara ett protokoll som väntar på justering kan justeras.")
    approval._check_held(minutes.meeting, "justeras", minutes.stated_meeting()["date"])
    signer = _check_signer(minutes, actor)
    submission = current_submission(minutes)
    if submission is None:  # a submitted protokoll always has its submission event
        raise NotAllowed("Protokollet väntar inte på justering.")
    _check_read(submission, submission_id, "Protokollet")
    if submission.adjustment_signatures.filter(person=signer.person).exists():
        raise NotAllowed("Du har redan justerat protokollet.")
    now = timezone.now().replace(microsecond=0)
    AdjustmentSignature.objects.create(
        submission=submission,
        minutes=minutes,
        person=signer.person,
        user=actor,
        name=signer.person.name,
        role=signer.role,
        signed_at=now,
        ip_address=audit.client_ip(request),
    )
    audit.record(
        "minutes.signed", request=request, actor=actor, obj=minutes.meeting, role=signer.role
    )
    signatures = list(submission.adjustment_signatures.order_by("signed_at", "id"))
    signed_ids = {s.person_id for s in signatures}
    if any(s.person.pk not in signed_ids for s in signers(minutes)):
        transaction.on_commit(lambda: tasks.notify_signed.enqueue(minutes.pk))
        return None
    return _adjust(minutes, signatures, actor=actor, request=request, now=now)


def anslag_of(minutes: Minutes, day: datetime.date) -> dict:
    """The announcement's dates and facts, known the moment the justering completes."""
    council = minutes.meeting.council
    last_day = legal_time.last_day_to_appeal(day)
    return {
        "posted_on": day.isoformat(),
        "last_day_to_appeal": last_day.isoformat(),
        "down_on": (last_day + datetime.timedelta(days=1)).isoformat(),
        "kept_at": kept_at(council),
        "secretary": minutes.meeting.secretary.name if minutes.meeting.secretary else "",
    }


def kept_at(council) -> str:
    """Where the justerat protokoll is kept (8 kap. 12 §): the council's setting, or its name
    and municipality when none is set."""
    return council.record_kept_at.strip() or f"{council.name}, {council.municipality.name}"


def _post(minutes: Minutes, anslag: dict, **fields) -> Announcement:
    meeting = minutes.meeting
    council = meeting.council
    announcement = Announcement.objects.create(
        municipality=council.municipality,
        council=council,
        meeting=meeting,
        organ=council.name,
        meeting_date=minutes.stated_meeting()["date"],
        posted_on=datetime.date.fromisoformat(anslag["posted_on"]),
        last_day_to_appeal=datetime.date.fromisoformat(anslag["last_day_to_appeal"]),
        down_on=datetime.date.fromisoformat(anslag["down_on"]),
        kept_at=anslag["kept_at"],
        secretary=anslag["secretary"],
        **fields,
    )
    signals.announcement_posted.send(sender=Announcement, announcement=announcement)
    return announcement


def post_protocol(
    minutes: Minutes, revision: ApprovedRevision, snapshot: MinutesSnapshot, anslag: dict, **extra
) -> Announcement:
    """The justerat protokoll's announcement on the anslagstavla; a § of it justerad at once
    was announced on its own, and its time to appeal ran from that day: the note says so."""
    prefix = minutes.meeting.council.paragraph_prefix
    earlier = Announcement.objects.filter(
        meeting=minutes.meeting, kind=Announcement.Kind.PARAGRAPH
    ).order_by("posted_on", "pk")
    note = " ".join(
        f"{paragraphs.paragraph_label(prefix, int(a.paragraphs))} justerades omedelbart och "
        f"anslogs den {long_date(a.posted_on)}, med sista dag att överklaga "
        f"{long_date(a.last_day_to_appeal)}."
        for a in earlier
        if a.paragraphs.isdigit() and a.last_day_to_appeal
    )
    return _post(
        minutes,
        anslag,
        kind=Announcement.Kind.PROTOCOL,
        revision=revision,
        paragraphs=snapshot.paragraphs,
        note=note[:500],
        **extra,
    )


def _adjust(minutes: Minutes, signatures, *, actor, request, now) -> ApprovedRevision:
    """The last signature: freeze the protokoll with every signature and the anslagsbevis, post
    the announcement, and have the extracts rendered once committed."""
    approval.correction_meeting_apply(minutes, actor=actor, request=request)
    anslag = anslag_of(minutes, timezone.localdate(now))
    snapshot = build_snapshot(
        minutes, created=now, signed=signed_map(signatures), announcement=anslag
    )
    revision = approval._freeze(
        minutes,
        snapshot,
        now,
        supersedes=minutes.corrects,
        correction_reason=minutes.correction_reason,
    )
    Signature.objects.bulk_create(
        Signature(
            revision=revision,
            user=s.user,
            name=s.name,
            role=s.role,
            signed_at=s.signed_at,
            ip_address=s.ip_address,
        )
        for s in signatures
    )
    minutes.status = Minutes.Status.APPROVED
    minutes.save(update_fields=["status", "updated_at"])
    approval._event(minutes, MinutesEvent.Kind.APPROVED, actor)
    post_protocol(minutes, revision, snapshot, anslag)
    audit.record(
        "minutes.approved",
        request=request,
        actor=actor,
        obj=minutes.meeting,
        sha256=revision.pdf_sha256,
    )
    revision_id = revision.pk
    transaction.on_commit(lambda: tasks.render_extracts.enqueue(revision_id))
    approval._after_commit("notify_approved", minutes.pk)
    return revision


# --- a § justerad at once ---------------------------------------------------------------------


def _lock_item(item: AgendaItem) -> tuple[Minutes, AgendaItem]:
    Meeting.objects.select_for_update().filter(pk=item.minutes.meeting_id).first()
    minutes = approval._lock(item.minutes)
    item = AgendaItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.minutes_id != minutes.pk:  # pragma: no cover - an item does not change minutes
        raise NotAllowed("Paragrafen hör inte till protokollet.")
    return minutes, item


def _check_immediate(minutes: Minutes, item: AgendaItem) -> None:
    if not minutes.meeting.council.numbers_paragraphs or item.paragraph is None:
        raise NotAllowed("Bara en nämnds paragrafer kan justeras omedelbart.")
    if not item.immediate_adjustment:
        raise NotAllowed("Paragrafen är inte markerad för omedelbar justering.")
    if minutes.status != Minutes.Status.DRAFT:
        raise NotAllowed("Protokollet är redan skickat för justering; paragrafen justeras med det.")


@transaction.atomic
def paragraph_submit(*, item: AgendaItem, actor, request=None) -> MinutesEvent:
    """The secretary sends a § flagged for omedelbar justering to its signatories. From now on
    the § does not change; it keeps its place and number."""
    minutes, item = _lock_item(item)
    _check_immediate(minutes, item)
    approval._check_held(minutes.meeting, "justeras", minutes.stated_meeting()["date"])
    if paragraph_state(item) != "draft":
        raise NotAllowed("Paragrafen är redan skickad för omedelbar justering.")
    from minutes.services import deliberation  # the § must be complete as a protokoll's §

    unresolved = [p for p in deliberation.problems(minutes) if item.title in p]
    if unresolved:
        raise NotAllowed(" ".join(unresolved))
    snapshot, _index = _paragraph_snapshot(minutes, item)
    approval._event(
        minutes, MinutesEvent.Kind.SUBMITTED, actor, item=item, snapshot=snapshot.as_dict()
    )
    audit.record("paragraph.submitted", request=request, actor=actor, obj=item)
    item_id = item.pk
    transaction.on_commit(lambda: tasks.notify_paragraph_submitted.enqueue(item_id))
    return item


@transaction.atomic
def paragraph_withdraw(*, item: AgendaItem, actor, request=None) -> AgendaItem:
    """The secretary takes the § back: the signatures given so far are void."""
    minutes, item = _lock_item(item)
    if paragraph_state(item) != "submitted":
        raise NotAllowed("Paragrafen väntar inte på omedelbar justering.")
    approval._event(minutes, MinutesEvent.Kind.WITHDRAWN, actor, item=item)
    audit.record("paragraph.withdrawn", request=request, actor=actor, obj=item)
    return item


@transaction.atomic
def paragraph_return(*, item: AgendaItem, actor, comment: str, request=None) -> AgendaItem:
    """The chair or a justerare returns the § with a comment: the signatures are void."""
    comment = approval.return_comment(comment)
    minutes, item = _lock_item(item)
    if paragraph_state(item) != "submitted":
        raise NotAllowed("Paragrafen väntar inte på omedelbar justering.")
    check_returner(minutes, actor)
    approval._event(minutes, MinutesEvent.Kind.RETURNED, actor, item=item, comment=comment[:5000])
    audit.record("paragraph.returned", request=request, actor=actor, obj=item)
    item_id = item.pk
    transaction.on_commit(lambda: tasks.notify_paragraph_returned.enqueue(item_id))
    return item


@transaction.atomic
def paragraph_sign(
    *, item: AgendaItem, actor, request=None, submission_id: int | None = None
) -> Extract | None:
    """``actor`` signs the § sent for omedelbar justering; the last signature freezes it as
    its own record, published as an extract with its own announcement. ``submission_id``: as
    for :func:`sign`."""
    minutes, item = _lock_item(item)
    approval._check_held(minutes.meeting, "justeras", minutes.stated_meeting()["date"])
    signer = _check_signer(minutes, actor)
    submission = current_submission(minutes, item)
    if submission is None or paragraph_state(item) != "submitted":
        raise NotAllowed("Paragrafen väntar inte på omedelbar justering.")
    _check_read(submission, submission_id, "Paragrafen")
    if submission.adjustment_signatures.filter(person=signer.person).exists():
        raise NotAllowed("Du har redan justerat paragrafen.")
    now = timezone.now().replace(microsecond=0)
    AdjustmentSignature.objects.create(
        submission=submission,
        minutes=minutes,
        item=item,
        person=signer.person,
        user=actor,
        name=signer.person.name,
        role=signer.role,
        signed_at=now,
        ip_address=audit.client_ip(request),
    )
    audit.record("paragraph.signed", request=request, actor=actor, obj=item, role=signer.role)
    signatures = list(submission.adjustment_signatures.order_by("signed_at", "id"))
    signed_ids = {s.person_id for s in signatures}
    if any(s.person.pk not in signed_ids for s in signers(minutes)):
        return None
    return _adjust_paragraph(minutes, item, signatures, actor=actor, request=request, now=now)


def _paragraph_snapshot(
    minutes: Minutes, item: AgendaItem, **kwargs
) -> tuple[MinutesSnapshot, int]:
    snapshot = build_snapshot(minutes, **kwargs)
    index = next(n for n, i in enumerate(minutes.items.order_by("position")) if i.pk == item.pk)
    return snapshot, index


def _adjust_paragraph(minutes, item, signatures, *, actor, request, now) -> Extract:
    """The last signature of a § sent at once: the § is frozen exactly as its signatories read
    it, the snapshot stored when it was sent (the page they signed shows that one), with their
    signatures, the anslagsbevis and the day."""
    day = timezone.localdate(now)
    anslag = anslag_of(minutes, day)
    submission = current_submission(minutes, item)
    read = MinutesSnapshot.from_dict(submission.snapshot)
    index = next(n for n, shown in enumerate(read.items) if shown.paragraph == item.paragraph)
    signed = {(s.role, s.name): approval.signed_text(s.signed_at) for s in signatures}
    snapshot = dataclasses.replace(
        read,
        created=now.astimezone(datetime.UTC).isoformat(),
        signatories=tuple(
            dataclasses.replace(s, signed=signed.get((s.role, s.name), ""))
            for s in read.signatories
        ),
        anslag=AnslagSnapshot(**anslag),
    )
    extract = _freeze_paragraph(minutes, item, snapshot, index, anslag=anslag, at=now, actor=actor)
    audit.record(
        "paragraph.adjusted", request=request, actor=actor, obj=item, sha256=extract.pdf_sha256
    )
    return extract


def _freeze_paragraph(
    minutes, item, snapshot: MinutesSnapshot, index: int, *, anslag: dict, at, actor, **posted
) -> Extract:
    """A § justerad at once (here or on paper), frozen as its extract from ``snapshot`` (the
    protokoll as it stood, the § its ``index``-th item), with the event and its announcement."""
    day = datetime.date.fromisoformat(anslag["posted_on"])
    secretary = minutes.meeting.secretary.name if minutes.meeting.secretary else ""
    # justerad at the meeting, not at the place and time set for the protokoll's justering
    snapshot = dataclasses.replace(
        snapshot, adjustment=f"Paragrafen justerades omedelbart {day.isoformat()}"
    )
    extract = store_extract(
        minutes=minutes,
        item=item,
        snapshot=extract_snapshot(
            snapshot, index, certified_by=secretary, certified_on=day, adjusted_on=day
        ),
        adjusted_at=at,
        immediate=True,
    )
    approval._event(minutes, MinutesEvent.Kind.APPROVED, actor, item=item)
    _post(
        minutes,
        anslag,
        kind=Announcement.Kind.PARAGRAPH,
        extract=extract,
        paragraphs=str(item.paragraph),
        **posted,
    )
    return extract


@transaction.atomic
def record_paragraph_on_paper(*, item: AgendaItem, adjusted_at: datetime.datetime) -> Extract:
    """A § justerad at once outside Protokollet (on paper at the meeting; the demo, an import):
    frozen in its own record like one justerad here, with its announcement posted that day."""
    minutes, item = _lock_item(item)
    _check_immediate(minutes, item)
    if paragraph_state(item) != "draft":
        raise NotAllowed("Paragrafen är redan skickad för omedelbar justering.")
    day = timezone.localdate(adjusted_at)
    anslag = anslag_of(minutes, day)
    snapshot, index = _paragraph_snapshot(minutes, item, created=adjusted_at, announcement=anslag)
    return _freeze_paragraph(
        minutes, item, snapshot, index, anslag=anslag, at=adjusted_at, actor=None,
        created_at=adjusted_at,
    )  # fmt: skip


def store_extract(
    *,
    minutes: Minutes,
    item: AgendaItem,
    snapshot: MinutesSnapshot,
    adjusted_at: datetime.datetime,
    revision: ApprovedRevision | None = None,
    immediate: bool = False,
    rendered: tuple[bytes | None, bytes | None] | None = None,
) -> Extract:
    """Render the extract once (the public PDF when the § is public, the internal one when
    anything of it is confidential), store it, and keep it with its snapshot. ``rendered``: the
    PDFs ``render_extract_pdfs`` made of this snapshot already."""
    (shown,) = snapshot.items
    public_pdf, internal_pdf = rendered or render_extract_pdfs([snapshot])[0]
    public = internal = None
    if public_pdf is not None:
        public = store_pdf(public_pdf, folder="extracts")
    if internal_pdf is not None:
        internal = store_pdf(internal_pdf, storage_alias="private", folder="extracts")
    extract = Extract.objects.create(
        minutes=minutes,
        revision=revision,
        item=item,
        immediate=immediate,
        paragraph=item.paragraph,
        label=shown.label,
        title=shown.title[:255],
        is_public=shown.is_public,
        snapshot=snapshot.as_dict(),
        pdf_name=public.name if public else "",
        pdf_sha256=public.sha256 if public else "",
        pdf_size=public.size if public else None,
        internal_pdf_name=internal.name if internal else "",
        internal_pdf_sha256=internal.sha256 if internal else "",
        adjusted_at=adjusted_at,
    )
    if public is not None:
        from minutes import publication

        publication.publish_extract_after_commit(extract)
    return extract


def _extract_htmls(snapshot: MinutesSnapshot) -> tuple[str | None, str | None]:
    """The extract's public HTML when its § is public, its internal one when anything of it is
    confidential."""
    (shown,) = snapshot.items
    public = build_html(snapshot) if shown.is_public else None
    internal = build_html(snapshot, internal=True) if approval.has_internal_copy(snapshot) else None
    return public, internal


def render_extract_pdfs(
    snapshots: list[MinutesSnapshot],
) -> list[tuple[bytes | None, bytes | None]]:
    """The PDFs of several extracts, rendered side by side (``minutes.pdf.render_many``)."""
    htmls = [_extract_htmls(s) for s in snapshots]
    results = iter(render_many([h for pair in htmls for h in pair if h is not None]))
    return [tuple(None if h is None else next(results).pdf for h in pair) for pair in htmls]


# extracts rendered side by side per batch, then stored one by one
EXTRACT_BATCH = 8


def render_extracts(revision_id: int) -> int:
    """The extracts of every § of a justerat protokoll not yet made (the task worker calls
    this after the justering commits; run again, it makes only what is missing). A § justerat
    at once already has its extract. Returns how many were made."""
    revision = ApprovedRevision.objects.select_related("minutes__meeting").get(pk=revision_id)
    snapshot = MinutesSnapshot.from_dict(revision.snapshot)
    minutes = revision.minutes
    items = list(minutes.items.filter(paragraph__isnull=False).order_by("position"))
    done = set(Extract.objects.filter(revision=revision).values_list("item_id", flat=True))
    at_once = set(immediate_records(minutes.meeting_id).values_list("paragraph", flat=True))
    secretary = minutes.meeting.secretary.name if minutes.meeting.secretary else ""
    made = 0
    failed: list[BaseException] = []
    positions = {item.pk: n for n, item in enumerate(minutes.items.order_by("position"))}
    certified_on = timezone.localdate(revision.approved_at)
    pending = []
    for item in items:
        if item.pk in done or item.paragraph in at_once:
            continue
        try:
            shown = extract_snapshot(
                snapshot, positions[item.pk], certified_by=secretary, certified_on=certified_on
            )
        except Exception as error:  # one § that fails does not keep the others from being made
            logger.exception("The extract of item %s of revision %s failed", item.pk, revision_id)
            failed.append(error)
            continue
        pending.append((item, shown))
    for start in range(0, len(pending), EXTRACT_BATCH):
        batch = pending[start : start + EXTRACT_BATCH]
        try:
            rendered = render_extract_pdfs([shown for _item, shown in batch])
        except Exception:  # rendered one by one below, so that one bad § fails alone
            rendered = [None] * len(batch)
        for (item, shown), pdfs in zip(batch, rendered, strict=True):
            try:
                with transaction.atomic():
                    store_extract(
                        minutes=minutes,
                        item=item,
                        snapshot=shown,
                        adjusted_at=revision.approved_at,
                        revision=revision,
                        rendered=pdfs,
                    )
            except Exception as error:  # one § that fails does not keep the others from being made
                logger.exception(
                    "The extract of item %s of revision %s failed", item.pk, revision_id
                )
                failed.append(error)
                continue
            made += 1
    if failed:  # the task fails, so that it shows; run again, it makes only what is missing
        raise failed[0]
    return made


def pending_extracts(revision: ApprovedRevision) -> list[str]:
    """The §§ of a justerat protokoll whose extracts are still being made, as labels."""
    minutes = revision.minutes
    done = set(Extract.objects.filter(revision=revision).values_list("paragraph", flat=True))
    done |= set(immediate_records(minutes.meeting_id).values_list("paragraph", flat=True))
    return [
        shown.get("paragraph_label", "")
        for shown in revision.snapshot.get("items", ())
        if shown.get("paragraph") is not None and shown["paragraph"] not in done
    ]


def revisions_missing_extracts():
    """The justerade protokoll (each meeting's newest) some of whose extracts were never made:
    a failed task, or a worker that was down (``manage.py make_extracts``)."""
    for revision in (
        ApprovedRevision.objects.filter(minutes__meeting__council__kind="committee")
        .select_related("minutes__meeting")
        .order_by("pk")
        .iterator(chunk_size=500)
    ):
        if pending_extracts(revision):
            yield revision


# --- what the § lock means for drafting -------------------------------------------------------


def paragraphs_waiting(minutes: Minutes) -> list[str]:
    """The §§ sent for omedelbar justering and not yet justerade, as labels."""
    prefix = minutes.meeting.council.paragraph_prefix
    return [
        paragraphs.paragraph_label(prefix, item.paragraph)
        for item in AgendaItem.objects.filter(
            minutes=minutes, pk__in=MinutesEvent.objects.filter(item__isnull=False).values("item")
        ).order_by("position")
        if paragraph_state(item) == "submitted"
    ]


def check_attendance_open(minutes: Minutes) -> None:
    """While a § waits for omedelbar justering its signatories and the facts they read stand:
    the attendance (and so who justerar) does not change."""
    waiting = paragraphs_waiting(minutes)
    if waiting:
        raise NotAllowed(
            f"{', '.join(waiting)} väntar på omedelbar justering; närvaron kan ändras när den är "
            "justerad eller tagen tillbaka."
        )


def fixed_items(minutes: Minutes) -> dict[int, int]:
    """The §§ that no longer change: sent for or through omedelbar justering (item id →
    position)."""
    adjusted = set(immediate_records(minutes.meeting_id).values_list("paragraph", flat=True))
    ids = set(
        AgendaItem.objects.filter(minutes=minutes, paragraph__in=adjusted).values_list(
            "pk", flat=True
        )
    )
    for item_id in (
        MinutesEvent.objects.filter(minutes=minutes, item__isnull=False)
        .values_list("item_id", flat=True)
        .distinct()
    ):
        if item_id not in ids:
            item = AgendaItem.objects.get(pk=item_id)
            if paragraph_state(item) == "submitted":
                ids.add(item_id)
    return dict(AgendaItem.objects.filter(pk__in=ids).values_list("pk", "position"))


def check_item_editable(item: AgendaItem) -> None:
    """A § sent for, or through, omedelbar justering does not change."""
    state = paragraph_state(item)
    if state == "adjusted":
        raise NotAllowed("Paragrafen är justerad omedelbart och kan inte ändras.")
    if state == "submitted":
        raise NotAllowed("Paragrafen väntar på omedelbar justering; ta tillbaka den för att ändra.")


def check_item_deletable(item: AgendaItem) -> None:
    """A § once sent for omedelbar justering stays: its signatures and events name it."""
    check_item_editable(item)
    if item.events.exists():
        raise NotAllowed(
            "Paragrafen har skickats för omedelbar justering och finns kvar i protokollets "
            "historik; den kan inte tas bort."
        )


def check_positions_kept(minutes: Minutes, after: dict[int, int]) -> None:
    """A change of the agenda that would move a § sent for or through omedelbar justering
    (and so change its number) is refused. ``after``: item id → its new position (a deleted
    item is absent)."""
    for item_id, position in fixed_items(minutes).items():
        if after.get(item_id) != position:
            item = AgendaItem.objects.get(pk=item_id)
            label = paragraphs.paragraph_label(
                minutes.meeting.council.paragraph_prefix, item.paragraph
            )
            raise InvalidInput(
                f"{label} är justerad omedelbart eller väntar på det och behåller sin plats "
                "och sitt nummer; ändra ordningen efter den i stället."
            )


# --- the fourteen days --------------------------------------------------------------------------


def waiting_for(person: Person) -> list[tuple[Minutes, AgendaItem | None]]:
    """What waits for ``person``'s signature: submitted protokoll and §§ sent at once where
    they are a signatory and have not signed."""
    found: list[tuple[Minutes, AgendaItem | None]] = []
    submitted = MinutesEvent.objects.filter(kind=MinutesEvent.Kind.SUBMITTED).filter(
        Q(minutes__meeting__secretary=person)
        | Q(minutes__meeting__chaired_by=person)
        | Q(minutes__attendance__person=person, minutes__attendance__is_adjuster=True)
    )
    candidates = (
        Minutes.objects.filter(pk__in=submitted.values("minutes_id"))
        .filter(
            meeting__council__kind="committee",
            status__in=(Minutes.Status.SUBMITTED, Minutes.Status.DRAFT),
        )
        .select_related(
            "meeting__council__municipality", "meeting__secretary", "meeting__chaired_by"
        )
        .order_by("meeting__date")
    )
    for minutes in candidates:
        if role_of(minutes, person.pk) == "":
            continue
        if minutes.status == Minutes.Status.SUBMITTED:
            submission = current_submission(minutes)
            if submission and not submission.adjustment_signatures.filter(person=person).exists():
                found.append((minutes, None))
        if minutes.status == Minutes.Status.DRAFT:
            item_ids = (
                MinutesEvent.objects.filter(minutes=minutes, item__isnull=False)
                .values_list("item_id", flat=True)
                .distinct()
            )
            for item in AgendaItem.objects.filter(pk__in=item_ids).order_by("position"):
                submission = current_submission(minutes, item)
                if (
                    submission
                    and paragraph_state(item) == "submitted"
                    and not submission.adjustment_signatures.filter(person=person).exists()
                ):
                    found.append((minutes, item))
    return found


REMIND_AT_MOST_DAYS_LATE = 30  # a protokoll long overdue is not reminded of anew


@transaction.atomic
def remind(today: datetime.date | None = None) -> int:
    """The daily reminder of the fourteen days: from three days before they run out, to each
    signatory who has not signed a submitted protokoll, and again from their last day; to the
    secretary, when the protokoll is not even submitted. Once each (``AdjustmentReminder``): a
    second run the same day sends nothing, and a day cron missed is caught up the next day.
    Returns how many reminders were queued."""
    from minutes.models import AdjustmentReminder

    today = today or timezone.localdate()
    Kind = AdjustmentReminder.Kind
    held_by = today - datetime.timedelta(days=DAYS_TO_ADJUST - REMIND_DAYS_BEFORE)
    not_before = today - datetime.timedelta(days=DAYS_TO_ADJUST + REMIND_AT_MOST_DAYS_LATE)
    sent = 0
    candidates = Minutes.objects.filter(
        status__in=(Minutes.Status.SUBMITTED, Minutes.Status.DRAFT),
        corrects__isnull=True,  # a correction has no fourteen days
        meeting__council__kind="committee",
        meeting__date__lte=held_by,
        meeting__date__gte=not_before,
    ).select_related("meeting__council__municipality", "meeting__secretary", "meeting__chaired_by")
    for minutes in candidates:
        kind = Kind.DUE if today >= due_date(minutes.meeting) else Kind.BEFORE
        if minutes.status == Minutes.Status.SUBMITTED:
            people = [signer.person for signer in progress(minutes).missing]
        else:  # not submitted: nobody can justera it yet; the secretary is reminded
            people = [minutes.meeting.secretary] if minutes.meeting.secretary_id else []
        for person in people:
            _reminder, created = AdjustmentReminder.objects.get_or_create(
                minutes=minutes, person=person, kind=kind
            )
            if created:
                transaction.on_commit(
                    lambda m=minutes.pk, p=person.pk, k=kind: tasks.remind_signer.enqueue(m, p, k)
                )
                sent += 1
    return sent
