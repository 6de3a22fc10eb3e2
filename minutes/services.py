"""Writes to meetings and minutes. Each function is one transaction and leaves an audit row."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify

from core import audit
from core.dates import long_date
from core.sanitize import sanitize_html
from councils.models import Council, Membership, Municipality, Person
from minutes import legacy, notices, publication, search, selectors, signals, tasks, uploads
from minutes.models import (
    AgendaItem,
    AgendaItemSection,
    ApprovedRevision,
    Attendance,
    ItemDocument,
    Meeting,
    Minutes,
    MinutesEvent,
    Notice,
    NoticeRecipient,
    PublicationWithdrawal,
    Signature,
    StandingItem,
)
from minutes.pdf import render_minutes_pdf
from minutes.snapshot import build_snapshot

Role = Membership.Role


class ImportFailed(Exception):
    """The legacy minutes could not be imported; nothing was saved. The message is Swedish."""


@dataclass
class RepresentativeSplit:
    entry: str
    label: str
    name: str
    kind: str  # "titel" or "organisation"
    known: bool


@dataclass
class ImportReport:
    council: Council
    meeting: Meeting | None
    minutes: Minutes | None
    council_created: bool
    municipality_created: bool
    people_created: list[str] = field(default_factory=list)
    splits: list[RepresentativeSplit] = field(default_factory=list)
    items: list[tuple[str, str, int]] = field(default_factory=list)  # number, title, sections
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


def _find_municipality(place: str, slug: str | None) -> tuple[Municipality, bool]:
    if slug:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise ImportFailed(f"Kommunen ”{slug}” finns inte.")
        return municipality, False
    municipality = (
        Municipality.objects.filter(Q(place_name__iexact=place) | Q(name__iexact=f"{place} kommun"))
        .order_by("pk")
        .first()
    )
    if municipality is not None:
        return municipality, False
    return Municipality.objects.create(
        name=f"{place} kommun", slug=slugify(place), place_name=place
    ), True


def _known_names(council: Council, entries: list[str]) -> list[str]:
    """Names of people already known that an entry may end with: the council's people and
    anyone whose name equals the last two to five words of an entry (one query each)."""
    candidates = set()
    for entry in entries:
        words = entry.split()
        candidates.update(" ".join(words[-n:]) for n in range(2, min(5, len(words)) + 1))
    names = set(Person.objects.filter(name__in=candidates).values_list("name", flat=True))
    names.update(Person.objects.filter(memberships__council=council).values_list("name", flat=True))
    return sorted(names)


class _People:
    """Finds or creates people by name, preferring those who already serve the council."""

    def __init__(self, council: Council, report: ImportReport) -> None:
        self.council = council
        self.report = report
        self.cache: dict[str, Person] = {}

    def get(self, name: str) -> Person:
        if name not in self.cache:
            person = (
                Person.objects.filter(name=name, memberships__council=self.council).first()
                or Person.objects.filter(name=name).order_by("pk").first()
            )
            if person is None:
                person = Person.objects.create(name=name)
                self.report.people_created.append(name)
            self.cache[name] = person
        return self.cache[name]


def _membership(
    person: Person, council: Council, role: str, day: datetime.date, **details: str
) -> Membership:
    """The membership in force on ``day``, or a new one for that day alone: imported minutes
    say who served at one meeting, not for how long."""
    existing = (
        Membership.objects.current(day)
        .filter(person=person, council=council, role=role)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    return Membership.objects.create(
        person=person, council=council, role=role, start_date=day, end_date=day, **details
    )


def import_legacy_minutes(
    *,
    text: str,
    council_slug: str,
    municipality_slug: str | None = None,
    dry_run: bool = False,
    source: str = "",
) -> ImportReport:
    """Import minutes in the legacy text format as approved historical minutes.

    The council is found by slug (or created, named by the document's page header) in the
    municipality given by slug or by the closing line's place. People are matched by name or
    created without logins; memberships end on the meeting date. Everything is saved in one
    transaction, or nothing is; ``dry_run`` reports what would happen and saves nothing.
    """
    try:
        parsed = legacy.parse(text)
    except legacy.LegacyFormatError as error:
        raise ImportFailed(f"Filen kan inte läsas, {error}.") from error

    with transaction.atomic():
        municipality, municipality_created = _find_municipality(
            parsed.closing_place, municipality_slug
        )
        council = Council.objects.filter(municipality=municipality, slug=council_slug).first()
        council_created = council is None
        if council is None:
            council = Council.objects.create(
                municipality=municipality,
                slug=council_slug,
                name=parsed.council,
                kind=Council.Kind.COUNCIL,
                document_title=Council.DocumentTitle.NOTES,
                default_place=parsed.place,
            )
        report = ImportReport(
            council=council,
            meeting=None,
            minutes=None,
            council_created=council_created,
            municipality_created=municipality_created,
            dry_run=dry_run,
        )
        if council.name != parsed.council:
            report.warnings.append(
                f"Dokumentets sidhuvud säger ”{parsed.council}”, men rådet heter ”{council.name}”."
            )
        if Meeting.objects.filter(council=council, date=parsed.date).exists():
            raise ImportFailed(
                f"{council.name} har redan ett möte den {parsed.date:%Y-%m-%d}; inget importerades."
            )

        people = _People(council, report)
        day = parsed.date
        signed = {role: name for name, role in parsed.signatures}
        meeting = Meeting.objects.create(
            council=council,
            date=day,
            start_time=parsed.start,
            end_time=parsed.end,
            place=parsed.place,
            chaired_by=people.get(signed["Ordförande"]) if "Ordförande" in signed else None,
            secretary=people.get(signed["Sekreterare"]) if "Sekreterare" in signed else None,
        )
        minutes = Minutes.objects.create(
            meeting=meeting,
            revision=1,
            status=Minutes.Status.APPROVED,
            others_present=parsed.others,
        )

        attendance: list[Attendance] = []
        seen: set[int] = set()

        def attend(person: Person, membership: Membership, **extra) -> None:
            if person.pk in seen:
                report.warnings.append(
                    f"{person.name} står två gånger i närvarolistan; den andra togs bort."
                )
                return
            seen.add(person.pk)
            attendance.append(
                Attendance(
                    minutes=minutes,
                    person=person,
                    membership=membership,
                    position=len(attendance) + 1,
                    **extra,
                )
            )

        for entry in parsed.elected:
            person = people.get(entry.name)
            membership = _membership(person, council, entry.role, day, party=entry.party)
            if entry.substitute_for:
                attend(
                    person,
                    membership,
                    status=Attendance.Status.SUBSTITUTE,
                    substitute_for=people.get(entry.substitute_for),
                )
            else:
                attend(person, membership)

        known = _known_names(council, parsed.representatives)
        for entry in parsed.representatives:
            split = legacy.split_representative(entry, known)
            is_org = legacy.looks_like_organisation(split.label)
            report.splits.append(
                RepresentativeSplit(
                    entry,
                    split.label,
                    split.name,
                    "organisation" if is_org else "titel",
                    split.name in known,
                )
            )
            person = people.get(split.name)
            details = {"organisation": split.label} if is_org else {"title": split.label}
            attend(person, _membership(person, council, Role.REPRESENTATIVE, day, **details))
        Attendance.objects.bulk_create(attendance)

        if meeting.secretary is not None:
            _membership(meeting.secretary, council, Role.SECRETARY, day)

        for position, item in enumerate(parsed.items, start=1):
            row = AgendaItem.objects.create(
                minutes=minutes,
                position=position,
                number=item.number,
                title=item.title,
                body=item.body_html(),
            )
            AgendaItemSection.objects.bulk_create(
                AgendaItemSection(
                    item=row,
                    position=n,
                    heading=section.heading,
                    body="".join(b.html() for b in section.blocks),
                )
                for n, section in enumerate(item.sections, start=1)
            )
            report.items.append((item.number, item.title, len(item.sections)))

        report.meeting, report.minutes = meeting, minutes
        audit.record("minutes.imported", obj=meeting, source=source, dry_run=dry_run)
        if not dry_run:
            # Signed on the closing line's date; noon keeps the date the same in every time zone.
            signed = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
            record_historical_revision(minutes=minutes, approved_at=signed)
        if dry_run:
            transaction.set_rollback(True)
    return report


# --- Drafting ------------------------------------------------------------------------------------
#
# Every write below runs in one transaction, checks that the minutes are still a draft, and
# writes an audit row. Concurrent edits are caught by conditional updates (UPDATE … WHERE
# version = v): the save that lost gets Conflict, with what is stored now.

logger = logging.getLogger(__name__)

PREVIOUS_MEETING_PLACEHOLDER = "{föregående möte}"
YEAR_PLACEHOLDER = "{år}"
PREVIOUS_YEAR_PLACEHOLDER = "{föregående år}"


class NotEditable(Exception):
    """The minutes are no longer a draft."""

    message = "Minnesanteckningarna är inte längre ett utkast och kan inte ändras."


class Conflict(Exception):
    """Someone saved in between; ``current`` is what is stored now."""

    def __init__(self, current: dict) -> None:
        super().__init__("conflict")
        self.current = current


class InvalidInput(Exception):
    """Input that cannot be saved; the message is Swedish and meant for the user."""


class StorageUnavailable(Exception):
    """The file storage failed (a full disk, an object store that does not answer): nothing was
    saved, and the message says so."""

    message = (
        "Filarkivet svarar inte just nu, så ingenting är sparat. Försök igen om en stund; "
        "kvarstår felet, kontakta systemförvaltaren."
    )

    def __str__(self) -> str:
        return self.message


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]  # local disk
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # FILE_STORAGE=s3 not installed
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


@contextmanager
def _file_storage():
    """Turn a storage failure into StorageUnavailable; the caller's transaction rolls back."""
    try:
        yield
    except STORAGE_ERRORS as error:
        logger.exception("File storage failed")
        raise StorageUnavailable from error


@dataclass(frozen=True)
class AttendanceEntry:
    person_id: int
    membership_id: int | None
    status: str  # Attendance.Status, or "" for "does not take part"
    substitute_for_id: int | None = None


@dataclass(frozen=True)
class SectionInput:
    heading: str
    body: str


ATTENDING_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.REPRESENTATIVE)


def _ensure_draft(minutes: Minutes) -> None:
    if minutes.status != Minutes.Status.DRAFT:
        raise NotEditable(NotEditable.message)


_HTML_TAG = re.compile(
    r"</?(p|br|ul|ol|li|h[1-6]|strong|em|b|i|u|s|a|blockquote|div|span|sub|sup|script|style|img|svg|iframe)\b",
    re.IGNORECASE,
)


def plain_text_to_html(text: str) -> str:
    """What a form without the editor sends (plain text) becomes paragraphs; HTML is sanitized."""

    text = (text or "").replace("\r\n", "\n")
    if not _HTML_TAG.search(text):
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        text = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return sanitize_html(text)


def check_text(*values: str) -> None:
    """Refuse text no database keeps well: NUL characters and lone surrogates (InvalidInput)."""
    for value in values:
        if "\x00" in (value or ""):
            raise InvalidInput("Texten innehåller ett otillåtet tecken (NUL).")
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput("Texten innehåller ett ogiltigt tecken.") from None


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
    :func:`minutes_start`)."""
    meeting = Meeting.objects.create(
        council=council, date=date, start_time=start_time, end_time=end_time, place=place
    )
    audit.record("meeting.created", request=request, actor=actor, obj=meeting)
    minutes_start(meeting=meeting, actor=actor, request=request)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def minutes_start(*, meeting: Meeting, actor, request=None) -> Minutes:
    """Draft minutes for a meeting that has none, from the council's standing agenda: items
    (those for the year's first meeting only when it is), their sub-sections, the decision
    approving the previous meeting's minutes with that meeting's date in words, and the
    attendance list of everyone who serves the council on the day. The council's chair and the
    secretary who starts are noted as chairing and keeping the minutes."""

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes.exists():
        raise InvalidInput("Mötet har redan minnesanteckningar.")
    council, date = meeting.council, meeting.date
    previous = Meeting.objects.filter(council=council, date__lt=date).order_by("-date").first()
    first_of_year = not Meeting.objects.filter(
        council=council, date__year=date.year, date__lt=date
    ).exists()
    person = (
        Person.objects.filter(user=actor).first()
        if actor is not None and actor.is_authenticated
        else None
    )
    current = Membership.objects.current(date).filter(council=council)
    if meeting.chaired_by_id is None:
        chair = current.filter(role=Role.CHAIR).select_related("person").first()
        meeting.chaired_by = chair.person if chair else None
    if (
        meeting.secretary_id is None
        and person
        and current.filter(person=person, role=Role.SECRETARY).exists()
    ):
        meeting.secretary = person
    meeting.save(update_fields=["chaired_by", "secretary", "updated_at"])
    minutes = Minutes.objects.create(meeting=meeting, revision=1, status=Minutes.Status.DRAFT)

    previous_date = f"den {long_date(previous.date)}" if previous else "[datum för föregående möte]"

    def fill(text: str) -> str:
        return (
            text.replace(PREVIOUS_MEETING_PLACEHOLDER, previous_date)
            .replace(PREVIOUS_YEAR_PLACEHOLDER, str(date.year - 1))
            .replace(YEAR_PLACEHOLDER, str(date.year))
        )

    position = 0
    for entry in StandingItem.objects.filter(council=council).order_by("position"):
        if entry.first_meeting_of_year and not first_of_year:
            continue
        position += 1
        item = AgendaItem.objects.create(
            minutes=minutes,
            position=position,
            number=str(position),
            title=fill(entry.title)[:255],
            body=entry.body,
            decision=fill(entry.decision),
        )
        AgendaItemSection.objects.bulk_create(
            AgendaItemSection(item=item, position=n, heading=str(heading))
            for n, heading in enumerate(entry.sections or [], start=1)
        )

    memberships = (
        current.filter(role__in=ATTENDING_ROLES)
        .select_related("person")
        .order_by("position", "person__name")
    )
    seen: set[int] = set()
    rows = []
    for membership in sorted(
        memberships, key=lambda m: (m.role == Role.REPRESENTATIVE, m.position)
    ):
        if membership.person_id in seen:
            continue
        seen.add(membership.person_id)
        rows.append(
            Attendance(
                minutes=minutes,
                person_id=membership.person_id,
                membership=membership,
                status=Attendance.Status.PRESENT,
                position=len(rows) + 1,
            )
        )
    Attendance.objects.bulk_create(rows)
    audit.record("minutes.started", request=request, actor=actor, obj=meeting, items=position)
    return minutes


@transaction.atomic
def attendance_update(
    *,
    minutes: Minutes,
    version: int,
    entries: list[AttendanceEntry],
    others_present: str,
    actor,
    request=None,
) -> int:
    """Replace the attendance block if nobody changed it since ``version``; returns the new
    version. Entries with an empty status (does not take part) are left out."""
    check_text(others_present)
    for entry in entries:
        if entry.status == Attendance.Status.SUBSTITUTE and not entry.substitute_for_id:
            raise InvalidInput("Ange vem ersättaren tjänstgör för.")
        if entry.substitute_for_id and entry.substitute_for_id == entry.person_id:
            raise InvalidInput("En person kan inte vara ersättare för sig själv.")
    updated = Minutes.objects.filter(
        pk=minutes.pk, attendance_version=version, status=Minutes.Status.DRAFT
    ).update(attendance_version=F("attendance_version") + 1, others_present=others_present.strip())
    if not updated:
        current = Minutes.objects.get(pk=minutes.pk)
        _ensure_draft(current)
        raise Conflict({"version": current.attendance_version})
    Attendance.objects.filter(minutes=minutes).delete()
    Attendance.objects.bulk_create(
        Attendance(
            minutes=minutes,
            person_id=entry.person_id,
            membership_id=entry.membership_id,
            status=entry.status,
            substitute_for_id=entry.substitute_for_id
            if entry.status == Attendance.Status.SUBSTITUTE
            else None,
            position=position,
        )
        for position, entry in enumerate((e for e in entries if e.status), start=1)
    )
    audit.record("minutes.attendance_saved", request=request, actor=actor, obj=minutes.meeting)
    return version + 1


def item_state(item: AgendaItem) -> dict:
    """What the editor shows of an item, as JSON."""
    return {
        "version": item.version,
        "title": item.title,
        "body": item.body,
        "decision": item.decision,
        "is_public": item.is_public,
        "confidentiality_ground": item.confidentiality_ground,
        "sections": [
            {"heading": s.heading, "body": s.body} for s in item.sections.order_by("position")
        ],
        "points": item.points,
    }


@transaction.atomic
def standing_item_ensure(*, council: Council, title: str, actor, request=None) -> StandingItem:
    """The council's standing item with ``title``, added at the end of its standing agenda (before
    "Övriga frågor") if it has none: for a tool of another app that needs an item at every
    meeting."""
    existing = StandingItem.objects.filter(council=council, title=title).first()
    if existing is not None:
        return existing
    last = StandingItem.objects.filter(council=council).order_by("-position").first()
    position = (last.position if last else 0) + 1
    if last is not None and last.title.casefold().startswith("övrig"):
        # "Övriga frågor" stays last
        position = last.position
        StandingItem.objects.filter(pk=last.pk).update(position=position + 1)
    item = StandingItem.objects.create(council=council, position=position, title=title)
    audit.record("standing_item.added", request=request, actor=actor, obj=council, title=title)
    return item


def _renumber(minutes: Minutes, ordered_ids: list[int]) -> None:
    """Give the items the positions 1..n in ``ordered_ids`` order, keeping positions unique at
    every step (the unique constraint is not deferred): first out of the way, then into place."""
    offset = 100_000
    items = AgendaItem.objects.filter(minutes=minutes)
    items.update(position=F("position") + offset)
    for position, item_id in enumerate(ordered_ids, start=1):
        items.filter(pk=item_id).update(position=position, number=str(position))


def _lock_draft(minutes: Minutes) -> Minutes:
    """The minutes row, locked until the transaction ends, and checked to be a draft."""
    locked = Minutes.objects.select_for_update(no_key=True).get(pk=minutes.pk)
    _ensure_draft(locked)
    return locked


@transaction.atomic
def item_create(*, minutes: Minutes, title: str, actor, request=None) -> AgendaItem:
    """A new item at the end of the agenda."""
    check_text(title)
    title = title.strip()
    if not title:
        raise InvalidInput("Ärendet behöver en rubrik.")
    minutes = _lock_draft(minutes)
    last = (
        AgendaItem.objects.filter(minutes=minutes)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    position = (last or 0) + 1
    item = AgendaItem.objects.create(
        minutes=minutes, position=position, number=str(position), title=title[:255]
    )
    audit.record("item.created", request=request, actor=actor, obj=item)
    return item


@transaction.atomic
def item_save(
    *,
    item: AgendaItem,
    version: int,
    title: str,
    body: str,
    decision: str,
    is_public: bool,
    confidentiality_ground: str,
    sections: list[SectionInput],
    actor,
    request=None,
) -> int:
    """Save an item and its sub-sections if nobody saved it since ``version``; returns the new
    version. Rich text passes the one allow-list; a confidential item needs its legal ground."""
    check_text(
        title,
        body,
        decision,
        confidentiality_ground,
        *(s.heading for s in sections),
        *(s.body for s in sections),
    )
    title, ground = title.strip(), confidentiality_ground.strip()
    if not title:
        raise InvalidInput("Ärendet behöver en rubrik.")
    if len(title) > 255 or len(ground) > 150 or any(len(s.heading.strip()) > 255 for s in sections):
        raise InvalidInput("En rubrik är för lång (högst 255 tecken, lagrummet högst 150).")
    kept_sections = [s for s in sections if s.heading.strip() or s.body.strip()]
    if any(not s.heading.strip() for s in kept_sections):
        raise InvalidInput("Ge underavsnittet en rubrik, annars kan texten inte sparas.")
    if not is_public and not ground:
        raise InvalidInput(
            "Ett sekretessbelagt ärende måste ange grund för sekretess, till exempel ”OSL 26 kap. 1 §”."
        )
    # The minutes row is locked against a concurrent submission; the item row is then updated on
    # its own columns only. (A condition on the joined minutes would make Django write
    # "WHERE id IN (SELECT …)", which PostgreSQL does not re-check after waiting for the row
    # lock, so both of two simultaneous saves from one version would win.)
    _lock_draft(item.minutes)
    updated = AgendaItem.objects.filter(pk=item.pk, version=version).update(
        version=F("version") + 1,
        title=title,
        body=plain_text_to_html(body),
        decision=decision.strip(),
        is_public=is_public,
        confidentiality_ground=ground if not is_public else "",
    )
    if not updated:
        raise Conflict(item_state(AgendaItem.objects.get(pk=item.pk)))
    AgendaItemSection.objects.filter(item=item).delete()
    AgendaItemSection.objects.bulk_create(
        AgendaItemSection(
            item_id=item.pk, position=n, heading=s.heading.strip(), body=plain_text_to_html(s.body)
        )
        for n, s in enumerate(kept_sections, start=1)
    )
    audit.record("item.saved", request=request, actor=actor, obj=item, version=version + 1)
    return version + 1


POINT_KEYS = ("text", "label", "note")


def _clean_points(points: list[dict], *, depth: int = 0) -> list[dict]:
    cleaned = []
    for point in points:
        entry = {key: str(point.get(key, "")).strip() for key in POINT_KEYS}
        check_text(*entry.values())
        if not entry["text"]:
            raise InvalidInput("En punkt i listan saknar text.")
        entry = {key: value for key, value in entry.items() if value or key == "text"}
        children = point.get("children") or []
        if children and depth:
            raise InvalidInput("Punktlistan kan bara ha en nivå av underpunkter.")
        if children:
            entry["children"] = _clean_points(children, depth=depth + 1)
        cleaned.append(entry)
    return cleaned


@transaction.atomic
def item_set_points(
    *, item: AgendaItem, points: list[dict], source: str, actor, request=None
) -> AgendaItem:
    """Replace the bullet list that a tool of another app keeps in a draft item (the goals of an
    action plan it adopts, the follow-ups it records). ``points`` are dicts with ``text`` and
    optionally ``label``, ``note`` and one level of ``children``; ``source`` names the tool in
    the audit log. The item's version moves on, so an editor open on it sees the change."""
    cleaned = _clean_points(points)
    _lock_draft(item.minutes)
    AgendaItem.objects.filter(pk=item.pk).update(points=cleaned, version=F("version") + 1)
    item.refresh_from_db()
    audit.record(
        "item.points_set", request=request, actor=actor, obj=item, source=source, count=len(cleaned)
    )
    return item


def _file_digest(upload) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


DOCUMENT_COPIED = (
    "position", "title", "is_public", "storage", "file_name", "original_name", "content_type",
    "size", "sha256", "uploaded_by_id",
)  # fmt: skip


def _storage_of(is_public: bool) -> str:
    return ItemDocument.Storage.DEFAULT if is_public else ItemDocument.Storage.PRIVATE


@transaction.atomic
def document_add(
    *, item: AgendaItem, upload, title: str, is_public: bool, actor, request=None
) -> ItemDocument:
    """Attach an uploaded file to a draft item. Its type is judged from its content
    (``minutes.uploads``); the size limit is ``DOCUMENT_MAX_BYTES``. Public documents go to
    the archive, internal ones to the private storage, under a name of their own."""
    check_text(title, upload.name or "")
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise InvalidInput(
            f"Filen är för stor ({filesizeformat(upload.size)}); en handling får vara högst "
            f"{filesizeformat(limit)}."
        )
    if not upload.size:
        raise InvalidInput("Filen är tom.")
    try:
        kind = uploads.detect(upload)
    except uploads.Refused as refusal:
        raise InvalidInput(str(refusal)) from None
    original = uploads.display_name(upload.name)
    title = (title or "").strip() or original.rsplit(".", 1)[0]
    if len(title) > 200:
        raise InvalidInput("Titeln är för lång (högst 200 tecken).")
    minutes = _lock_draft(item.minutes)
    digest, size = _file_digest(upload)
    alias = _storage_of(is_public)
    with _file_storage():
        name = storages[alias].save(uploads.storage_name(original, kind), upload)
    # the file is written before the row commits: if the row fails, the file goes again
    try:
        last = (
            ItemDocument.objects.filter(item=item)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        document = ItemDocument.objects.create(
            item=item,
            position=(last or 0) + 1,
            title=title,
            is_public=is_public,
            storage=alias,
            file_name=name,
            original_name=original,
            content_type=kind.content_type,
            size=size,
            sha256=digest,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            "document.added",
            request=request,
            actor=actor,
            obj=minutes.meeting,
            item=item.pk,
            title=title,
            sha256=digest,
            public=is_public,
        )
    except BaseException:
        storages[alias].delete(name)
        raise
    return document


def _delete_file_unless_shared(storage: str, name: str) -> None:
    """A correction's copy of a document shares the file with the approved one."""
    if not ItemDocument.objects.filter(storage=storage, file_name=name).exists():
        storages[storage].delete(name)


@transaction.atomic
def document_update(
    *, document: ItemDocument, title: str, is_public: bool, actor, request=None
) -> ItemDocument:
    """A draft item's document renamed, or made public or internal (its file moves between
    the archive and the private storage)."""
    check_text(title)
    title = title.strip()
    if not title or len(title) > 200:
        raise InvalidInput("Ge handlingen en titel (högst 200 tecken).")
    _lock_draft(document.item.minutes)
    document = ItemDocument.objects.select_for_update().get(pk=document.pk)
    old_storage, old_name = document.storage, document.file_name
    document.title = title
    if is_public != document.is_public:
        new_storage = _storage_of(is_public)
        with _file_storage(), storages[old_storage].open(old_name, "rb") as source:
            name = storages[new_storage].save(old_name, source)
        document.storage, document.file_name, document.is_public = new_storage, name, is_public
        transaction.on_commit(lambda: _delete_file_unless_shared(old_storage, old_name))
    document.save(update_fields=["title", "is_public", "storage", "file_name"])
    audit.record(
        "document.updated",
        request=request,
        actor=actor,
        obj=document.item.minutes.meeting,
        document=document.pk,
        public=document.is_public,
    )
    return document


@transaction.atomic
def document_delete(*, document: ItemDocument, actor, request=None) -> None:
    _lock_draft(document.item.minutes)
    storage, name = document.storage, document.file_name
    audit.record(
        "document.deleted",
        request=request,
        actor=actor,
        obj=document.item.minutes.meeting,
        title=document.title,
        sha256=document.sha256,
    )
    document.delete()
    transaction.on_commit(lambda: _delete_file_unless_shared(storage, name))


@transaction.atomic
def item_delete(*, item: AgendaItem, actor, request=None) -> None:
    minutes = _lock_draft(item.minutes)
    audit.record("item.deleted", request=request, actor=actor, obj=item, title=item.title)
    item.delete()
    remaining = list(
        AgendaItem.objects.filter(minutes=minutes).order_by("position").values_list("pk", flat=True)
    )
    _renumber(minutes, remaining)


@transaction.atomic
def items_reorder(*, minutes: Minutes, ordered_ids: list[int], actor, request=None) -> None:
    """Put the items in the given order (all of them, each once)."""
    minutes = _lock_draft(minutes)
    current = set(AgendaItem.objects.filter(minutes=minutes).values_list("pk", flat=True))
    if len(ordered_ids) != len(current) or set(ordered_ids) != current:
        raise InvalidInput("Ordningen stämmer inte med ärendena; ladda om sidan och försök igen.")
    _renumber(minutes, ordered_ids)
    audit.record(
        "items.reordered", request=request, actor=actor, obj=minutes.meeting, order=ordered_ids
    )


def item_move(*, item: AgendaItem, step: int, actor, request=None) -> None:
    """Move an item one place up (step -1) or down (+1); at either end nothing happens."""
    with transaction.atomic():
        minutes = _lock_draft(item.minutes)
        order = list(
            AgendaItem.objects.filter(minutes=minutes)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        index = order.index(item.pk)
        target = index + step
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            items_reorder(minutes=minutes, ordered_ids=order, actor=actor, request=request)


def drop_empty_sections(minutes: Minutes) -> int:
    """Remove sub-sections without text (for submission: an organisation that reported nothing
    is not printed). Returns how many were removed."""
    removed = 0
    for section in AgendaItemSection.objects.filter(item__minutes=minutes):
        if not section.body.strip() or section.body.strip() in {"<p></p>", "<p><br></p>"}:
            section.delete()
            removed += 1
    return removed


# --- Approval ------------------------------------------------------------------------------------
#
# draft → submitted → approved, and back submitted → draft (withdrawn by the secretary, or
# returned by the approver with a comment). Each transition locks the minutes row, checks the
# state, writes an event and an audit row, and sends its e-mail after commit.


class NotAllowed(Exception):
    """A transition that the current state or the person does not allow; Swedish message."""


def _lock(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__council").get(pk=minutes.pk)


def _event(minutes: Minutes, kind: str, actor, **fields) -> None:

    MinutesEvent.objects.create(
        minutes=minutes,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        **fields,
    )


def chaired_by(meeting: Meeting, user) -> Person | None:
    """The user's person if that person chaired ``meeting``, else None."""
    if user is None or not user.is_authenticated or meeting.chaired_by_id is None:
        return None
    return Person.objects.filter(user=user, pk=meeting.chaired_by_id).first()


def _check_approver(minutes: Minutes, actor) -> Person:
    """Only the person who chaired the meeting approves or returns its minutes."""
    person = chaired_by(minutes.meeting, actor)
    if person is None:
        raise NotAllowed(
            "Bara den som var ordförande vid mötet godkänner eller återsänder minnesanteckningarna."
        )
    return person


def _after_commit(task_name: str, minutes_id: int) -> None:

    transaction.on_commit(lambda: getattr(tasks, task_name).enqueue(minutes_id))


@transaction.atomic
def minutes_submit(*, minutes: Minutes, actor, request=None) -> Minutes:
    """The secretary sends the draft to the person who chaired the meeting. Empty sub-sections
    are dropped; the submitted snapshot is kept for comparison after a return."""

    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.DRAFT:
        raise NotAllowed("Bara ett utkast kan skickas för godkännande.")
    if minutes.meeting.chaired_by_id is None:
        raise NotAllowed(
            "Det står inte vem som var ordförande vid mötet; be systemförvaltaren ange det."
        )
    if not minutes.items.exists():
        raise NotAllowed("Minnesanteckningarna har inga ärenden.")
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
        raise NotAllowed("Bara minnesanteckningar som väntar på godkännande kan tas tillbaka.")
    minutes.status = Minutes.Status.DRAFT
    minutes.save(update_fields=["status", "updated_at"])
    _event(minutes, MinutesEvent.Kind.WITHDRAWN, actor)
    audit.record("minutes.withdrawn", request=request, actor=actor, obj=minutes.meeting)
    return minutes


@transaction.atomic
def minutes_return(*, minutes: Minutes, actor, comment: str, request=None) -> Minutes:
    """The approver sends the draft back to the secretary with a comment."""

    check_text(comment)
    comment = comment.strip()
    if not comment:
        raise InvalidInput("Skriv vad som behöver ändras.")
    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.SUBMITTED:
        raise NotAllowed("Bara minnesanteckningar som väntar på godkännande kan återsändas.")
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


def store_pdf(
    pdf: bytes, *, storage_alias: str = "default", folder: str = "minutes"
) -> tuple[str, str, int]:
    """Store ``pdf`` under a name made from its SHA-256 (the same bytes are stored once)."""

    storage = storages[storage_alias]
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{folder}/{digest[:2]}/{digest}.pdf"
    with _file_storage():
        if not storage.exists(name):
            saved = storage.save(name, ContentFile(pdf))
            if saved != name:  # a concurrent writer stored the same bytes first
                storage.delete(saved)
    return name, digest, len(pdf)


def _forget_current_pdf(meeting) -> None:
    """Now, and again once committed: a request in between may have remembered the old answer."""
    selectors.forget_current_pdf(meeting)
    transaction.on_commit(lambda: selectors.forget_current_pdf(meeting))


def _freeze(minutes: Minutes, snapshot, approved_at: datetime.datetime, **fields):
    """Render the approved PDF once (and, when items are confidential, the internal one into the
    private storage) and keep both with the snapshot in an insert-only revision."""

    name, digest, size = store_pdf(render_minutes_pdf(snapshot))
    internal_name = internal_digest = ""
    # the internal copy exists when the public one leaves something out: a confidential item,
    # or an internal document named under its item
    if any(
        not item.is_public or any(not d.is_public for d in item.documents)
        for item in snapshot.items
    ):
        internal_name, internal_digest, _size = store_pdf(
            render_minutes_pdf(snapshot, internal=True), storage_alias="private"
        )
    revision = ApprovedRevision.objects.create(
        minutes=minutes,
        snapshot=snapshot.as_dict(),
        pdf_name=name,
        pdf_sha256=digest,
        pdf_size=size,
        internal_pdf_name=internal_name,
        internal_pdf_sha256=internal_digest,
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

    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.SUBMITTED:
        raise NotAllowed("Bara minnesanteckningar som väntar på godkännande kan godkännas.")
    person = _check_approver(minutes, actor)
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


@transaction.atomic
def record_historical_revision(*, minutes: Minutes, approved_at: datetime.datetime, actor=None):
    """Freeze minutes that were approved outside Protokollet (imported, or demo data) in the same
    insert-only revision as online approval: the snapshot, the PDF rendered once from it and its
    SHA-256, and signature rows for the signatories named in the document (not signed online)."""

    minutes = _lock(minutes)
    if minutes.status != Minutes.Status.APPROVED:
        raise NotAllowed("Bara godkända minnesanteckningar kan arkiveras som godkända.")
    if ApprovedRevision.objects.filter(minutes=minutes).exists():
        return minutes.approved_revision
    snapshot = build_snapshot(minutes, created=approved_at)
    revision = _freeze(minutes, snapshot, approved_at)
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
    latest = meeting.minutes.order_by("-revision").first()
    if latest.pk != revision.minutes_id:
        raise NotAllowed(
            "Det finns redan en rättelse av minnesanteckningarna; rätta den senaste versionen."
        )
    source = revision.minutes
    new = Minutes.objects.create(
        meeting=meeting,
        revision=source.revision + 1,
        status=Minutes.Status.DRAFT,
        others_present=source.others_present,
        corrects=revision,
        correction_reason=reason[:5000],
    )
    Attendance.objects.bulk_create(
        Attendance(
            minutes=new,
            person_id=a.person_id,
            membership_id=a.membership_id,
            status=a.status,
            substitute_for_id=a.substitute_for_id,
            position=a.position,
        )
        for a in source.attendance.all()
    )
    for item in source.items.order_by("position").prefetch_related("sections"):
        copy = AgendaItem.objects.create(
            minutes=new,
            position=item.position,
            number=item.number,
            title=item.title,
            body=item.body,
            decision=item.decision,
            is_public=item.is_public,
            confidentiality_ground=item.confidentiality_ground,
            points=item.points,
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
    audit.record(
        "minutes.correction_started", request=request, actor=actor, obj=meeting, reason=reason[:500]
    )
    return new


@transaction.atomic
def publication_withdraw(*, revision, actor, reason: str, request=None):
    """Withdraw the public copy of approved minutes; the record stays in the archive."""

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
    _forget_current_pdf(revision.minutes.meeting)
    audit.record(
        "minutes.publication_withdrawn",
        request=request,
        actor=actor,
        obj=revision.minutes.meeting,
        reason=reason[:500],
    )
    return withdrawal


# --- The notice (kallelse) -------------------------------------------------------------------------


def _latest_minutes_of(meeting: Meeting) -> Minutes | None:
    return meeting.minutes.order_by("-revision").first()


def notice_pending_changes(meeting: Meeting) -> list[str] | None:
    """What changed in the draft agenda since the latest notice was sent: None when no notice
    was sent or the minutes are no longer a draft, else the list (empty when nothing changed)."""
    latest = meeting.notices.order_by("-number").first()
    minutes = _latest_minutes_of(meeting)
    if latest is None or minutes is None or minutes.status != Minutes.Status.DRAFT:
        return None
    now = notices.build_notice(minutes, sent=timezone.now())
    return notices.changes(notices.NoticeSnapshot.from_dict(latest.snapshot), now)


@transaction.atomic
def notice_send(*, meeting: Meeting, actor, request=None) -> Notice:
    """Send the meeting's notice: the agenda of its draft minutes, with each item's documents,
    frozen in a Notice; an e-mail after commit to everyone who serves the council on the day
    (members, substitutes, representatives, secretaries), each recorded. A later notice is an
    update and says what changed; one with nothing changed is refused."""
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("council__municipality")
        .get(pk=meeting.pk)
    )
    minutes = _latest_minutes_of(meeting)
    if minutes is None:
        raise InvalidInput("Mötet har ingen dagordning ännu. Påbörja minnesanteckningarna först.")
    if minutes.status == Minutes.Status.APPROVED:
        raise NotAllowed("Mötet har redan godkända minnesanteckningar; kallelsen är inaktuell.")
    now = timezone.now().replace(microsecond=0)
    snapshot = notices.build_notice(minutes, sent=now)
    if not snapshot.items:
        raise InvalidInput("Dagordningen är tom. Lägg till ärenden innan kallelsen skickas.")
    previous = meeting.notices.order_by("-number").first()
    changed: list[str] = []
    if previous is not None:
        changed = notices.changes(notices.NoticeSnapshot.from_dict(previous.snapshot), snapshot)
        if not changed:
            raise InvalidInput("Dagordningen har inte ändrats sedan kallelsen skickades.")
    notice = Notice.objects.create(
        meeting=meeting,
        number=previous.number + 1 if previous else 1,
        snapshot=snapshot.as_dict(),
        changes=changed,
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_at=now,
    )
    recipients: dict[int, NoticeRecipient] = {}
    memberships = (
        Membership.objects.current(meeting.date)
        .filter(council=meeting.council)
        .select_related("person__user")
        .order_by("role", "position", "id")
    )
    for membership in memberships:
        person = membership.person
        if person.pk in recipients:
            continue
        recipients[person.pk] = NoticeRecipient(
            notice=notice,
            person=person,
            role=membership.get_role_display(),
            email=person.email or (person.user.email if person.user_id else ""),
        )
    NoticeRecipient.objects.bulk_create(recipients.values())
    audit.record(
        "notice.sent",
        request=request,
        actor=actor,
        obj=meeting,
        number=notice.number,
        recipients=len(recipients),
        changes=changed,
    )
    transaction.on_commit(lambda: tasks.send_notice.enqueue(notice.pk))
    return notice


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
    minutes = _lock_draft(minutes)
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
    minutes = _lock_draft(minutes)
    Minutes.objects.filter(pk=minutes.pk).update(next_meeting=None, version=F("version") + 1)
    audit.record("minutes.next_meeting_cleared", request=request, actor=actor, obj=minutes.meeting)
