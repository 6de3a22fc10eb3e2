"""A nämnd's paragraphs (§§): its items are numbered through the calendar year per council.

The first § of a meeting follows the last § of the council's previous meeting that year (by
meeting date); the first meeting of a year starts at § 1. A råd's items keep their numbers
1, 2, 3 … and nothing here touches them.

Storage: ``AgendaItem.paragraph`` on every revision (a correction keeps the §§ it corrects),
and ``paragraph_council`` / ``paragraph_year`` on the items of each meeting's newest minutes
only; the database's unique constraint on (council, year, paragraph) over those rows is the
guarantee that two meetings of one council never hold the same § in a year.

Every write that changes a nämnd meeting's items (start, insert, delete, reorder), its date, or
the status of its minutes (submission) holds the council's row lock (after the meeting and the
minutes, the one lock order of ``minutes.services.meetings.check_date_free``) and renumbers the
year in one pass (:func:`renumber_year`): the drafts follow each other in date order, the
minutes that are submitted, approved or being corrected keep their §§, and a draft pushed past
such minutes is refused, since approved §§ never change. Renumbering runs in two phases (the
drafts' items first leave the constraint, then take their new §§), so it never trips the
constraint midway, and the lock makes concurrent writers wait for each other instead of failing
on it."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from core.dates import long_date
from councils.models import Council
from minutes.models import AgendaItem, Meeting, Minutes, ParagraphRenumbering
from minutes.services.errors import InvalidInput


def paragraph_label(prefix: str, number: int) -> str:
    """ "§ 12", or with the council's prefix "KS § 12"."""
    return f"{prefix} § {number}" if prefix else f"§ {number}"


def span_label(prefix: str, first: int, last: int) -> str:
    if first == last:
        return paragraph_label(prefix, first)
    return f"{prefix} §§ {first}–{last}" if prefix else f"§§ {first}–{last}"


def numbers_paragraphs(council: Council) -> bool:
    return council.numbers_paragraphs


def lock_council(council: Council) -> None:
    """The council's row, locked until the transaction ends: the year's §§ are renumbered by
    one writer at a time (FOR NO KEY UPDATE, as check_date_free takes it)."""
    Council.objects.select_for_update(no_key=True).filter(pk=council.pk).first()


def _is_fixed(minutes: Minutes) -> bool:
    """Minutes whose §§ no longer move: submitted, approved, or a correction of approved ones."""
    return minutes.status != Minutes.Status.DRAFT or minutes.corrects_id is not None


def _has_paragraph_at_once(minutes: Minutes) -> bool:
    """A § of the minutes is sent for, or through, omedelbar justering: its number is fixed."""
    from minutes.models import Extract, MinutesEvent

    return (
        MinutesEvent.objects.filter(minutes=minutes, item__isnull=False).exists()
        or Extract.objects.filter(minutes__meeting_id=minutes.meeting_id, immediate=True).exists()
    )


def check_may_change(minutes: Minutes) -> None:
    """InvalidInput for a correction of a nämnd's protokoll that would add, remove or reorder
    §§: the approved §§ stand, and the numbers after them may belong to later meetings."""
    if minutes.corrects_id is not None and minutes.meeting.council.numbers_paragraphs:
        raise InvalidInput(
            "En rättelse kan inte lägga till, ta bort eller flytta paragrafer: ett justerat "
            "protokolls paragrafer ändras aldrig. Rätta texten i paragraferna i stället."
        )


ADDING = ("Paragrafen kan inte läggas till", " Lägg ärendet på ett senare möte.")
MOVING = ("Mötet kan inte flyttas till det datumet", "")
STARTING = ("Mötets paragrafer kan inte numreras", "")


def renumber_year(
    council: Council,
    year: int,
    *,
    changed: Minutes | None = None,
    refusal: tuple[str, str] = ADDING,
) -> None:
    """Number the §§ of the council's meetings in ``year`` (the caller holds the council's
    lock, see :func:`lock_council`). ``changed``: the minutes the secretary is writing to now
    (its notice goes); any other draft whose first § moves gets one (ParagraphRenumbering).
    InvalidInput, and nothing changes, when a draft would reach into the §§ of a later meeting
    whose minutes are submitted or approved."""
    if not council.numbers_paragraphs:
        return
    last = 0
    plan: list[tuple[Minutes, list[tuple[int, int | None]], int]] = []
    meetings = Meeting.objects.filter(council=council, date__year=year).order_by("date", "pk")
    for meeting in meetings:
        live = meeting.minutes.order_by("-revision").first()
        if live is None:
            continue
        items = list(live.items.order_by("position").values_list("pk", "paragraph"))
        if _is_fixed(live):
            numbers = [p for _pk, p in items if p is not None]
            if numbers and min(numbers) <= last:
                state = (
                    "ett justerat protokoll"
                    if live.status == Minutes.Status.APPROVED or live.corrects_id
                    else "ett protokoll som väntar på justering"
                )
                lead, hint = refusal
                raise InvalidInput(
                    f"{lead}: mötet den {long_date(meeting.date)} har {state} med "
                    f"{span_label(council.paragraph_prefix, min(numbers), max(numbers))}, "
                    f"och dess paragrafer ändras inte.{hint}"
                )
            last = max(numbers, default=last)
            continue
        old_first = items[0][1] if items else None
        if old_first is not None and old_first != last + 1 and _has_paragraph_at_once(live):
            lead, hint = refusal
            raise InvalidInput(
                f"{lead}: mötet den {long_date(meeting.date)} har en paragraf som är justerad "
                f"omedelbart eller väntar på det, och dess paragrafer ändras inte.{hint}"
            )
        plan.append((live, items, last + 1))
        last += len(items)
    # phase one: the drafts' items leave the constraint; phase two: each takes its new §
    moving = [pk for _live, items, _start in plan for pk, _p in items]
    AgendaItem.objects.filter(pk__in=moving).update(paragraph_council=None, paragraph_year=None)
    for live, items, start in plan:
        for offset, (pk, _old) in enumerate(items):
            AgendaItem.objects.filter(pk=pk).update(
                paragraph=start + offset,
                number=str(start + offset),
                paragraph_council=council,
                paragraph_year=year,
            )
        old_start = items[0][1] if items else None
        if changed is not None and live.pk == changed.pk:
            ParagraphRenumbering.objects.filter(minutes=live).delete()
        elif old_start is not None and old_start != start:
            ParagraphRenumbering.objects.create(
                minutes=live, first_before=old_start, first_after=start
            )


def renumbering_notice(minutes: Minutes) -> tuple[int, int] | None:
    """For the secretary: (the first § the draft had when they last changed its §§, the first
    § it has now), when an earlier meeting has moved it since; else None."""
    if not minutes.meeting.council.numbers_paragraphs or minutes.status != Minutes.Status.DRAFT:
        return None
    rows = list(minutes.renumberings.order_by("created_at", "id"))
    if not rows or rows[0].first_before == rows[-1].first_after:
        return None
    return rows[0].first_before, rows[-1].first_after


def after_items_changed(minutes: Minutes) -> None:
    """Within a write to a nämnd draft's items (the caller has locked the minutes): lock the
    council and renumber the meeting's year."""
    council = minutes.meeting.council
    if not council.numbers_paragraphs:
        return
    lock_council(council)
    renumber_year(council, minutes.meeting.date.year, changed=minutes)


def before_items_change(minutes: Minutes) -> None:
    """Within a write to a nämnd draft's items, before anything is written: the council's lock
    (so concurrent writers of the year wait here), and a correction refused."""
    council = minutes.meeting.council
    if not council.numbers_paragraphs:
        return
    check_may_change(minutes)
    lock_council(council)


def renumber_meeting_years(meeting: Meeting, *years: int) -> None:
    """After a nämnd meeting moved (the caller holds the meeting and the council): its old
    year and its new one."""
    council = meeting.council
    if not council.numbers_paragraphs:
        return
    lock_council(council)
    for year in sorted(set(years)):
        renumber_year(council, year, refusal=MOVING)


def transfer_to_correction(source: Minutes) -> None:
    """A correction becomes the meeting's newest minutes: the source's items leave the
    constraint (they keep their §§ as printed), so that the copies can hold the same §§."""
    source.items.filter(paragraph_council__isnull=False).update(
        paragraph_council=None, paragraph_year=None
    )


# --- The structured parts of a § -----------------------------------------------------------
# Each part is optional. The lists are edited as text, a row per line (the same in the plain
# form and in the editor's JSON), and stored as lists; the rich-text body is the
# ärendebeskrivning, edited as item text always was.

CASE_NUMBER = re.compile(r"[0-9A-Za-zÅÄÖåäöÉéÜü][0-9A-Za-zÅÄÖåäöÉéÜü .:/_–-]*")
BASIS_ROW = re.compile(r"^(?P<title>.*?)[\s,;–-]*\(?(?P<date>\d{4}-\d{1,2}-\d{1,2})\)?$")
NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
MAX_ROWS = 50


@dataclass(frozen=True)
class PartsInput:
    """A §'s parts as the secretary types them: the lists a row per line."""

    case_number: str = ""
    basis: str = ""  # "Tjänsteskrivelse, 2020-03-02" per line; the date may be left out
    proposal: str = ""
    decision_points: str = ""  # a decision point per line
    protocol_note: str = ""
    recipients: str = ""  # a name or unit per line
    immediate_adjustment: bool = False


def _rows(text: str, part: str, longest: int) -> list[str]:
    rows = [" ".join(line.split()) for line in (text or "").splitlines()]
    rows = [row for row in rows if row]
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"{part} kan ha högst {MAX_ROWS} rader.")
    if any(len(row) > longest for row in rows):
        raise InvalidInput(f"En rad i {part.lower()} är för lång (högst {longest} tecken).")
    return rows


def _basis_row(row: str) -> dict:
    match = BASIS_ROW.match(row)
    title, day = (match["title"].strip(), match["date"]) if match else (row, "")
    if day:
        try:
            day = datetime.date.fromisoformat(
                "-".join(part.zfill(2) for part in day.split("-"))
            ).isoformat()
        except ValueError:
            raise InvalidInput(
                f"Datumet {day} i beslutsunderlaget finns inte. Skriv det som ÅÅÅÅ-MM-DD."
            ) from None
    if not title:
        raise InvalidInput(
            "En rad i beslutsunderlaget har ett datum men ingen titel, till exempel "
            "”Tjänsteskrivelse, 2020-03-02”."
        )
    return {"title": title, "date": day}


def clean_parts(parts: PartsInput) -> dict:
    """The model fields of a § from what the secretary typed; InvalidInput, in Swedish, for
    what cannot be kept."""
    case_number = " ".join((parts.case_number or "").split())
    if len(case_number) > 40:
        raise InvalidInput("Diarienumret är för långt (högst 40 tecken).")
    if case_number and not (
        CASE_NUMBER.fullmatch(case_number) and any(c.isdigit() for c in case_number)
    ):
        raise InvalidInput(
            "Diarienumret ser inte ut som ett diarienummer. Skriv till exempel ”KS 2020/123”."
        )
    proposal, note = (parts.proposal or "").strip(), (parts.protocol_note or "").strip()
    if len(proposal) > 10000 or len(note) > 10000:
        raise InvalidInput("Förslaget till beslut eller protokollsanteckningen är för lång.")
    points = [NUMBERED.sub("", row) for row in _rows(parts.decision_points, "Beslutet", 2000)]
    return {
        "case_number": case_number,
        "basis": [_basis_row(row) for row in _rows(parts.basis, "Beslutsunderlaget", 250)],
        "proposal": proposal,
        "decision_points": [point for point in points if point],
        "protocol_note": note,
        "recipients": _rows(parts.recipients, "Beslutet skickas till", 150),
        "immediate_adjustment": bool(parts.immediate_adjustment),
    }


def basis_line(row: dict) -> str:
    """ "Tjänsteskrivelse, 2020-03-02", as typed and as printed."""
    return f"{row['title']}, {row['date']}" if row.get("date") else row["title"]


def parts_as_text(item: AgendaItem) -> dict:
    """A §'s parts as the editor shows them. Decision points not yet given are the item's
    decision, a point per line (a standing item's decision, say)."""
    points = item.decision_points or [
        line.strip() for line in item.decision.splitlines() if line.strip()
    ]
    return {
        "case_number": item.case_number,
        "basis": "\n".join(basis_line(row) for row in item.basis or ()),
        "proposal": item.proposal,
        "decision_points": "\n".join(points),
        "protocol_note": item.protocol_note,
        "recipients": "\n".join(item.recipients or ()),
        "immediate_adjustment": item.immediate_adjustment,
    }
