"""Drafting: the draft minutes from the standing agenda, the attendance, the items (text,
sub-sections, the points another app keeps) and their order. The meeting itself (its date,
times and place, the next meeting) is ``minutes.services.meetings``.

Every write runs in one transaction, checks that the minutes are still a draft, and writes an
audit row. Concurrent edits are caught by conditional updates (UPDATE … WHERE version = v): the
save that lost gets Conflict, with what is stored now."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q

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
from minutes.services import deliberation as deliberations
from minutes.services import paragraphs
from minutes.services.errors import Conflict, InvalidInput, NotEditable
from minutes.services.serving import DECIDING_ROLES
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
    # a nämnd's: present or serving at these items only (the meeting's item order, 1-based)
    from_position: int | None = None
    to_position: int | None = None
    is_adjuster: bool = False


@dataclass(frozen=True)
class AdjustmentInput:
    """A nämnd's justering: where and when (the front page's "Justeringens plats och tid")."""

    place: str = ""
    date: datetime.date | None = None
    time: datetime.time | None = None


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
    adjustment: AdjustmentInput | None = None,
) -> int:
    """Replace the attendance block if nobody changed it since ``version``; returns the new
    version. Entries with an empty status (does not take part) are left out.

    A nämnd's entries may hold for part of the meeting and name the justerare; ``adjustment``
    is the justering's place and time (left as it is when None)."""
    check_text(others_present, adjustment.place if adjustment else "")
    for entry in entries:
        if entry.status == Attendance.Status.SUBSTITUTE and not entry.substitute_for_id:
            raise InvalidInput("Ange vem ersättaren tjänstgör för.")
        if entry.substitute_for_id and entry.substitute_for_id == entry.person_id:
            raise InvalidInput("En person kan inte vara ersättare för sig själv.")
    taking_part = [e for e in entries if e.status]
    if minutes.meeting.council.numbers_paragraphs:
        from minutes.services import justering  # justering builds on approval, which uses this

        justering.check_attendance_open(minutes)
        _check_committee_attendance(taking_part, minutes.meeting.chaired_by_id)
    else:
        taking_part = [
            dataclasses.replace(e, from_position=None, to_position=None, is_adjuster=False)
            for e in taking_part
        ]
    fields = {}
    if adjustment is not None:
        if len(adjustment.place.strip()) > 150:
            raise InvalidInput("Justeringens plats får vara högst 150 tecken.")
        fields = {
            "adjustment_place": adjustment.place.strip(),
            "adjustment_date": adjustment.date,
            "adjustment_time": adjustment.time,
        }
    updated = Minutes.objects.filter(
        pk=minutes.pk, attendance_version=version, status=Minutes.Status.DRAFT
    ).update(
        attendance_version=F("attendance_version") + 1,
        others_present=others_present.strip(),
        **fields,
    )
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
            from_position=entry.from_position,
            to_position=entry.to_position,
            is_adjuster=entry.is_adjuster,
        )
        for position, entry in enumerate(taking_part, start=1)
    )
    audit.record("minutes.attendance_saved", request=request, actor=actor, obj=minutes.meeting)
    return version + 1


def _check_committee_attendance(entries: list[AttendanceEntry], chaired_by_id: int | None) -> None:
    """A nämnd's attendance: ranges that make sense; a serving substitute who replaces a
    deciding member and never serves at the same § as that member or as another substitute
    for the same seat; and one or two justerare among the members deciding, not the person
    who chairs (who signs anyway)."""
    roles = dict(
        Membership.objects.filter(
            pk__in={e.membership_id for e in entries if e.membership_id}
        ).values_list("pk", "role")
    )
    names = dict(
        Person.objects.filter(pk__in={e.person_id for e in entries}).values_list("pk", "name")
    )
    for entry in entries:
        for bound in (entry.from_position, entry.to_position):
            if bound is not None and not 1 <= bound <= 999:
                raise InvalidInput("Ange paragraferna som ordningsnummer på mötet, från 1.")
        if (
            entry.from_position is not None
            and entry.to_position is not None
            and entry.from_position > entry.to_position
        ):
            raise InvalidInput(
                f"{names.get(entry.person_id, '')}: närvaron slutar före den börjar."
            )
        if entry.status == Attendance.Status.ABSENT and (entry.from_position or entry.to_position):
            raise InvalidInput(
                f"{names.get(entry.person_id, '')} är frånvarande; ange inga paragrafer för närvaron."
            )

    def span(entry: AttendanceEntry) -> tuple[int, int]:
        return (entry.from_position or 1, entry.to_position or 10**6)

    present = {
        e.person_id: e
        for e in entries
        if e.status == Attendance.Status.PRESENT
        and roles.get(e.membership_id, Membership.Role.MEMBER) in DECIDING_ROLES
    }
    seats = dict(
        Membership.objects.filter(
            person_id__in={e.substitute_for_id for e in entries if e.substitute_for_id},
            council_id__in=Membership.objects.filter(
                pk__in={e.membership_id for e in entries if e.membership_id}
            ).values("council_id"),
            role__in=DECIDING_ROLES,
        ).values_list("person_id", "role")
    )
    filled: dict[int, list[AttendanceEntry]] = {}
    for entry in entries:
        if entry.status != Attendance.Status.SUBSTITUTE:
            continue
        replaced = entry.substitute_for_id
        if replaced not in seats:
            raise InvalidInput(
                f"{names.get(entry.person_id, '')} kan bara ersätta en ledamot: "
                f"{names.get(replaced, 'den valda personen')} har ingen plats i nämnden att ersätta."
            )
        for other in filled.setdefault(replaced, []):
            (a, b), (c, d) = span(entry), span(other)
            if a <= d and c <= b:
                raise InvalidInput(
                    f"{names.get(entry.person_id, '')} och {names.get(other.person_id, '')} "
                    f"kan inte båda ersätta {names.get(replaced, '')} vid samma paragrafer; "
                    "ange paragraferna."
                )
        filled[replaced].append(entry)
        if replaced not in present:
            continue
        (a, b), (c, d) = span(entry), span(present[replaced])
        if a <= d and c <= b:
            raise InvalidInput(
                f"{names.get(entry.person_id, '')} kan inte tjänstgöra för "
                f"{names.get(replaced, '')} vid paragrafer där "
                f"{names.get(replaced, '')} själv är närvarande; ange paragraferna."
            )
    adjusters = [e for e in entries if e.is_adjuster]
    if len(adjusters) > 2:
        raise InvalidInput("Välj en eller två justerare.")
    for entry in adjusters:
        role = roles.get(entry.membership_id, Membership.Role.MEMBER)
        deciding = entry.status == Attendance.Status.SUBSTITUTE or (
            entry.status == Attendance.Status.PRESENT and role in DECIDING_ROLES
        )
        if not deciding:
            raise InvalidInput(
                f"{names.get(entry.person_id, '')} kan inte justera: justerarna väljs bland de "
                "beslutande, ledamöterna och de tjänstgörande ersättarna."
            )
        if entry.person_id == chaired_by_id:
            raise InvalidInput(
                f"{names.get(entry.person_id, '')} är ordförande och justerar redan protokollet; "
                "välj en annan ledamot till justerare."
            )


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
        **(
            deliberations.as_json(deliberations.state_of(item))
            if item.minutes.meeting.council.numbers_paragraphs
            else {}
        ),
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
    after = {pk: n for n, pk in enumerate(ordered_ids, start=1)}
    from minutes.services import justering

    justering.check_positions_kept(minutes, after)  # a § justerad at once keeps its place
    before = dict(items.values_list("position", "pk"))
    items.update(position=F("position") + offset)
    for position, item_id in enumerate(ordered_ids, start=1):
        items.filter(pk=item_id).update(position=position, number=str(position))
    _follow_items(minutes, before, after)


def _follow_items(minutes: Minutes, before: dict[int, int], after: dict[int, int]) -> None:
    """Attendance for part of a nämnd's meeting names its first and last item by position:
    when items are inserted, deleted or moved, the bounds follow their items (a bound on a
    deleted item moves to the nearest item inside the range), so "närvarande §§ 1–5" keeps
    meaning the items it meant. ``before``: position → item id; ``after``: item id →
    position."""
    rows = list(
        Attendance.objects.filter(minutes=minutes).filter(
            Q(from_position__isnull=False) | Q(to_position__isnull=False)
        )
    )
    if not rows or not after:
        return

    def moved(bound: int | None, *, first: bool) -> int | None:
        if bound is None or bound > max(before, default=0):
            return bound  # none, or a § not yet on the agenda
        # the item at the bound, or the nearest surviving one inside the range
        steps = range(bound, max(before) + 1) if first else range(bound, 0, -1)
        for old in steps:
            if before.get(old) in after:
                return after[before[old]]
        return min(after.values()) if first else max(after.values())

    for row in rows:
        start = moved(row.from_position, first=True)
        end = moved(row.to_position, first=False)
        if start is not None and end is not None and start > end:
            start, end = min(start, end), max(start, end)
        row.from_position, row.to_position = start, end
    Attendance.objects.bulk_update(rows, ["from_position", "to_position"])


def lock_draft(minutes: Minutes) -> Minutes:
    """The minutes row, locked until the transaction ends, and checked to be a draft."""
    locked = Minutes.objects.select_for_update(no_key=True).get(pk=minutes.pk)
    ensure_draft(locked)
    return locked


def lock_draft_item(item: AgendaItem) -> Minutes:
    """The item's minutes locked and checked to be a draft, and the item checked to be open to
    change: a § sent for, or through, omedelbar justering is not."""
    locked = lock_draft(item.minutes)
    from minutes.services import justering  # justering builds on approval, which uses drafting

    justering.check_item_editable(item)
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
    deliberation: deliberations.DeliberationInput | None = None,
) -> int:
    """Save an item and its sub-sections if nobody saved it since ``version``; returns the new
    version. Rich text passes the one allow-list; a confidential item needs its legal ground.

    ``parts``: a nämnd's § also saves its structured parts (minutes.services.paragraphs); its
    decision points are then its decision, and ``decision`` keeps them as text, a line each.
    ``deliberation``: a nämnd's § also saves its motions, proposition, votes, reservations and
    jäv (minutes.services.deliberation), refused for a person who does not serve at the §.
    A råd's item has no parts, and ``parts`` and ``deliberation`` are ignored for it."""
    fields: dict = {}
    committee = item.minutes.meeting.council.numbers_paragraphs
    if not committee:
        deliberation = None
    if deliberation is not None:
        deliberations.check(item, deliberation)
    if parts is not None and committee:
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
    lock_draft_item(item)
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
    if deliberation is not None:
        deliberations.replace(item, deliberation)
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
    lock_draft_item(item)
    AgendaItem.objects.filter(pk=item.pk).update(points=cleaned, version=F("version") + 1)
    item.refresh_from_db()
    audit.record(
        "item.points_set", request=request, actor=actor, obj=item, source=source, count=len(cleaned)
    )
    return item


@transaction.atomic
def item_delete(*, item: AgendaItem, actor, request=None) -> None:
    minutes = lock_draft_item(item)
    from minutes.services import justering

    justering.check_item_deletable(item)
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
