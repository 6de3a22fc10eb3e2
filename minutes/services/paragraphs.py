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
