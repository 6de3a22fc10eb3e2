"""Saving minutes in the legacy text format (parsed by ``minutes.legacy``) as approved
historical minutes: the council, the people and their memberships, the attendance, the items,
and the frozen revision, in one transaction."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from core import audit
from councils.models import Council, Membership, Municipality, Person
from minutes import legacy
from minutes.models import AgendaItem, AgendaItemSection, Attendance, Meeting, Minutes
from minutes.services.approval import (
    freeze_htmls,
    historical_snapshot,
    record_historical_revision,
)
from minutes.services.errors import ImportFailed

Role = Membership.Role


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
    date_note: str = ""  # where the meeting date came from, one line
    # a dry run's ``render_ahead``: the HTML the real import will render (approval.freeze_htmls)
    htmls: list[str] = field(default_factory=list)


# A date in the file's name, e.g. "protokoll-2013-02-21.txt"; the last one counts.
_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def date_from_name(source: str) -> datetime.date | None:
    """The date in a file's name (``…-2013-02-21.txt``), or None if it has no valid one."""
    for year, month, day in reversed(_NAME_DATE.findall(PurePath(source).name)):
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def meeting_date(
    parsed: legacy.LegacyMinutes, given: datetime.date | None, source: str
) -> tuple[datetime.date, str]:
    """The meeting's date and one line saying where it came from. The closing line carries the
    date the notes were signed, often days after the meeting, so a date given by the user wins,
    then a date in the file's name, and the closing line's date is the last resort."""
    if given is not None:
        return given, f"Mötesdatum {given:%Y-%m-%d} angivet med --date."
    hint = "ange --date om mötet hölls en annan dag"
    named = date_from_name(source) if source else None
    if named is not None:
        return named, f"Mötesdatum {named:%Y-%m-%d} taget från filnamnet; {hint}."
    return parsed.date, f"Mötesdatum {parsed.date:%Y-%m-%d} taget från avslutningsraden; {hint}."


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
    # distinct: an archive's council holds a membership per person and meeting imported, and
    # reading each of them grew every import with the archive's size
    names.update(
        Person.objects.filter(memberships__council=council)
        .values_list("name", flat=True)
        .distinct()
    )
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
    date: datetime.date | None = None,
    render_ahead: bool = False,
) -> ImportReport:
    """Import minutes in the legacy text format as approved historical minutes.

    The council is found by slug (or created, named by the document's page header) in the
    municipality given by slug or by the closing line's place. People are matched by name or
    created without logins; memberships end on the meeting date. Everything is saved in one
    transaction, or nothing is; ``dry_run`` reports what would happen and saves nothing.

    The meeting is held on ``date`` if given, else on the date in the name of the ``source``
    file, else on the closing line's date (see ``meeting_date``); the revision is signed on the
    closing line's date. ``render_ahead`` (with ``dry_run``): the report carries the HTML the
    real import will render, so that a bulk import can render many side by side beforehand.
    """
    try:
        parsed = legacy.parse(text)
    except legacy.LegacyFormatError as error:
        raise ImportFailed(f"Filen kan inte läsas, {error}.") from error
    day, date_note = meeting_date(parsed, date, source)
    if day > timezone.localdate():
        raise ImportFailed(
            f"Mötesdatum {day:%Y-%m-%d} har inte inträffat än; "
            "minnesanteckningar från ett kommande möte kan inte importeras som justerade."
        )

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
            date_note=date_note,
        )
        if day > parsed.date:
            report.warnings.append(
                f"Mötesdatum {day:%Y-%m-%d} ligger efter avslutningsradens datum "
                f"{parsed.date:%Y-%m-%d}, då anteckningarna skrevs under."
            )
        if council.name != parsed.council:
            report.warnings.append(
                f"Dokumentets sidhuvud säger ”{parsed.council}”, men rådet heter ”{council.name}”."
            )
        if Meeting.objects.filter(council=council, date=day).exists():
            raise ImportFailed(
                f"{council.name} har redan ett möte den {day:%Y-%m-%d}; inget importerades."
            )

        people = _People(council, report)
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
        # Signed on the closing line's date; noon keeps the date the same in every time zone.
        signed = datetime.datetime.combine(parsed.date, datetime.time(12), tzinfo=datetime.UTC)
        if not dry_run:
            record_historical_revision(minutes=minutes, approved_at=signed, closed_on=parsed.date)
        elif render_ahead:
            snapshot, _anslag = historical_snapshot(
                minutes, approved_at=signed, closed_on=parsed.date
            )
            report.htmls = freeze_htmls(snapshot)
        if dry_run:
            transaction.set_rollback(True)
    return report
