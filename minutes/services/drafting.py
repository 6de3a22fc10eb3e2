"""Drafting: the draft minutes from the standing agenda, the attendance, the items (text,
sub-sections, the points another app keeps) and their order. The meeting itself (its date,
times and place, the next meeting) is ``minutes.services.meetings``.

Every write runs in one transaction, checks that the minutes are still a draft, and writes an
audit row. Concurrent edits are caught by conditional updates (UPDATE … WHERE version = v): the
save that lost gets Conflict, with what is stored now."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from core import audit
from core.dates import long_date
from councils.models import Council, Membership, Person
from minutes.models import (
    AgendaItem,
    AgendaItemSection,
    Attendance,
    Meeting,
    Minutes,
    StandingItem,
)
from minutes.services import paragraphs
from minutes.services.errors import Conflict, InvalidInput, NotEditable
from minutes.services.text import check_text, plain_text_to_html

Role = Membership.Role

PREVIOUS_MEETING_PLACEHOLDER = "{föregående möte}"
YEAR_PLACEHOLDER = "{år}"
PREVIOUS_YEAR_PLACEHOLDER = "{föregående år}"


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


def ensure_draft(minutes: Minutes) -> None:
    """NotEditable unless the minutes are a draft."""
    if minutes.status != Minutes.Status.DRAFT:
        raise NotEditable(NotEditable.message)


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
    if council.numbers_paragraphs:
        paragraphs.lock_council(council)
        paragraphs.renumber_year(council, date.year, changed=minutes, refusal=paragraphs.STARTING)

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
        ensure_draft(current)
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
        **paragraphs.parts_as_text(item),
    }


# Items that close a meeting ("Övriga frågor", "Nästa möte", "Mötets avslutande"): they stay at
# the end of the standing agenda and of the minutes, and what is added goes before them.
CLOSING_TITLES = ("övrig", "nästa möte", "mötets avslut", "mötet avslutas", "avslutning")


def is_closing(title: str) -> bool:
    """Whether an item with ``title`` is one of those that close a meeting."""
    return title.strip().casefold().startswith(CLOSING_TITLES)


def _closing_run(titles: list[str]) -> int:
    """How many of ``titles`` (in order) at the end are closing items."""
    count = 0
    for title in reversed(titles):
        if not is_closing(title):
            break
        count += 1
    return count


@transaction.atomic
def standing_item_ensure(*, council: Council, title: str, actor, request=None) -> StandingItem:
    """The council's standing item with ``title``, added at the end of its standing agenda (before
    the closing items, "Övriga frågor") if it has none: for a tool of another app that needs an
    item at every meeting."""
    existing = StandingItem.objects.filter(council=council, title=title).first()
    if existing is not None:
        return existing
    standing = list(StandingItem.objects.filter(council=council).order_by("position"))
    closing = standing[len(standing) - _closing_run([s.title for s in standing]) :]
    position = (standing[-1].position if standing else 0) + 1
    if closing:
        position = closing[0].position
        for entry in reversed(closing):  # from the end, so no two share a position on the way
            StandingItem.objects.filter(pk=entry.pk).update(position=F("position") + 1)
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


def lock_draft(minutes: Minutes) -> Minutes:
    """The minutes row, locked until the transaction ends, and checked to be a draft."""
    locked = Minutes.objects.select_for_update(no_key=True).get(pk=minutes.pk)
    ensure_draft(locked)
    return locked


@transaction.atomic
def item_create(*, minutes: Minutes, title: str, actor, request=None) -> AgendaItem:
    """A new item at the end of the agenda, before the items that close the meeting ("Övriga
    frågor", "Nästa möte")."""
    check_text(title)
    title = title.strip()
    if not title:
        raise InvalidInput("Ärendet behöver en rubrik.")
    minutes = lock_draft(minutes)
    paragraphs.before_items_change(minutes)
    current = list(
        AgendaItem.objects.filter(minutes=minutes)
        .order_by("position")
        .values_list("pk", "position", "title")
    )
    item = AgendaItem.objects.create(
        minutes=minutes,
        position=(current[-1][1] if current else 0) + 1,
        number=str(len(current) + 1),
        title=title[:255],
    )
    closing = _closing_run([t for _pk, _position, t in current])
    if closing:
        order = [pk for pk, _position, _title in current]
        order.insert(len(order) - closing, item.pk)
        _renumber(minutes, order)
    paragraphs.after_items_changed(minutes)
    item.refresh_from_db()
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
    parts: paragraphs.PartsInput | None = None,
) -> int:
    """Save an item and its sub-sections if nobody saved it since ``version``; returns the new
    version. Rich text passes the one allow-list; a confidential item needs its legal ground.

    ``parts``: a nämnd's § also saves its structured parts (minutes.services.paragraphs); its
    decision points are then its decision, and ``decision`` keeps them as text, a line each.
    A råd's item has no parts, and ``parts`` is ignored for it."""
    fields: dict = {}
    if parts is not None and item.minutes.meeting.council.numbers_paragraphs:
        check_text(*(str(v) for v in dataclasses.astuple(parts)))
        fields = paragraphs.clean_parts(parts)
        decision = "\n".join(fields["decision_points"])
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
    lock_draft(item.minutes)
    updated = AgendaItem.objects.filter(pk=item.pk, version=version).update(
        version=F("version") + 1,
        title=title,
        body=plain_text_to_html(body),
        decision=decision.strip(),
        is_public=is_public,
        confidentiality_ground=ground if not is_public else "",
        **fields,
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
    lock_draft(item.minutes)
    AgendaItem.objects.filter(pk=item.pk).update(points=cleaned, version=F("version") + 1)
    item.refresh_from_db()
    audit.record(
        "item.points_set", request=request, actor=actor, obj=item, source=source, count=len(cleaned)
    )
    return item


@transaction.atomic
def item_delete(*, item: AgendaItem, actor, request=None) -> None:
    minutes = lock_draft(item.minutes)
    paragraphs.before_items_change(minutes)
    audit.record("item.deleted", request=request, actor=actor, obj=item, title=item.title)
    item.delete()
    remaining = list(
        AgendaItem.objects.filter(minutes=minutes).order_by("position").values_list("pk", flat=True)
    )
    _renumber(minutes, remaining)
    paragraphs.after_items_changed(minutes)


@transaction.atomic
def items_reorder(*, minutes: Minutes, ordered_ids: list[int], actor, request=None) -> None:
    """Put the items in the given order (all of them, each once)."""
    minutes = lock_draft(minutes)
    paragraphs.before_items_change(minutes)
    current = set(AgendaItem.objects.filter(minutes=minutes).values_list("pk", flat=True))
    if len(ordered_ids) != len(current) or set(ordered_ids) != current:
        raise InvalidInput("Ordningen stämmer inte med ärendena; ladda om sidan och försök igen.")
    _renumber(minutes, ordered_ids)
    paragraphs.after_items_changed(minutes)
    audit.record(
        "items.reordered", request=request, actor=actor, obj=minutes.meeting, order=ordered_ids
    )


def item_move(*, item: AgendaItem, step: int, actor, request=None) -> None:
    """Move an item one place up (step -1) or down (+1); at either end nothing happens."""
    with transaction.atomic():
        minutes = lock_draft(item.minutes)
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
