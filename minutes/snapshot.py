"""The minutes as a document: a plain, immutable structure of everything the PDF shows.

The renderer renders snapshots only, never live model objects, and approval stores exactly this
structure (as JSON), so an approved document can be rendered again to the same bytes.
Everything that is computed for display (the header lines, the closing line, the dates in
words) is computed here once, so that the template only prints.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import long_date, time_span
from councils.models import Council, Membership
from minutes import uploads
from minutes.models import (
    AgendaItem,
    AgendaItemSection,
    Attendance,
    Ballot,
    ItemDocument,
    Minutes,
)
from minutes.services import deliberation, serving
from minutes.services.paragraphs import paragraph_label, span_label

SCHEMA = 1


@dataclass(frozen=True)
class SectionSnapshot:
    heading: str
    body_html: str


@dataclass(frozen=True)
class PointSnapshot:
    """One entry of an item's bullet list: "Goal", or "Activity – done. What was done." """

    text: str
    label: str = ""
    note: str = ""
    children: tuple[PointSnapshot, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PointSnapshot:
        return cls(
            text=str(data.get("text", "")),
            label=str(data.get("label", "")),
            note=str(data.get("note", "")),
            children=tuple(cls.from_dict(c) for c in data.get("children", ())),
        )


@dataclass(frozen=True)
class DocumentSnapshot:
    """A document attached to the item, as approved: named in the PDF ("Bilaga: …"), linked
    from the meeting page, and checked against its SHA-256."""

    id: int
    title: str
    is_public: bool
    content_type: str
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        """The name it downloads under: ``verksamhetsberattelse-2019.pdf``."""
        return uploads.download_name(self.title, uploads.KINDS[self.content_type])

    @property
    def kind_label(self) -> str:
        return uploads.KINDS[self.content_type].label


@dataclass(frozen=True)
class BasisSnapshot:
    """A row of a §'s beslutsunderlag: a document's title and date (ISO, or empty)."""

    title: str
    date: str = ""

    @property
    def line(self) -> str:
        """ "Tjänsteskrivelse, 2020-03-02" """
        return f"{self.title}, {self.date}" if self.date else self.title


@dataclass(frozen=True)
class VoteSnapshot:
    """A votering at a §: what ja and nej stand for, who voted how ("Per Holm (M)"), and the
    result as the protokoll states it."""

    yes_means: str
    no_means: str
    yes: tuple[str, ...] = ()
    no: tuple[str, ...] = ()
    abstain: tuple[str, ...] = ()
    result: str = ""
    column: str = ""  # its heading in the närvaro- och omröstningslista: "§ 7" or "§ 7:2"

    @property
    def proposition_line(self) -> str:
        """ "Ja-röst för förslaget, nej-röst för Per Holms (M) avslagsyrkande." """
        return f"Ja-röst för {self.yes_means}, nej-röst för {self.no_means}."

    @property
    def count_line(self) -> str:
        """ "5 ja, 4 nej, 1 avstår" """
        line = f"{len(self.yes)} ja, {len(self.no)} nej"
        return f"{line}, {len(self.abstain)} avstår" if self.abstain else line


@dataclass(frozen=True)
class RollEntry:
    """A row of the närvaro- och omröstningslista: a member or substitute, whether and where
    they served, and their vote in each votering (in the order of ``MinutesSnapshot.votes``)."""

    name: str
    party: str
    role: str  # "ordförande", "ledamot", "ersättare"
    serving: str  # "Tjänstgör", "Tjänstgör §§ 8–12", "Närvarande", "Frånvarande"
    votes: tuple[str, ...] = ()  # "Ja", "Nej", "Avstår" or "" per votering


@dataclass(frozen=True)
class ItemSnapshot:
    number: str
    title: str
    body_html: str
    decision: str
    is_public: bool
    confidentiality_ground: str
    sections: tuple[SectionSnapshot, ...] = ()
    points: tuple[PointSnapshot, ...] = ()
    documents: tuple[DocumentSnapshot, ...] = ()
    paragraph_label: str = ""  # a nämnd's "KS § 12"; a råd's items are "3."
    # a nämnd's § has structured parts, each shown only when filled (a råd's item has none)
    case_number: str = ""
    basis: tuple[BasisSnapshot, ...] = ()
    proposal: str = ""
    decision_points: tuple[str, ...] = ()
    protocol_note: str = ""
    recipients: tuple[str, ...] = ()
    immediate_adjustment: bool = False
    # a nämnd's deliberation, as the protokoll words it (minutes.services.deliberation)
    disqualifications: tuple[str, ...] = ()
    motions: tuple[str, ...] = ()
    proposition: str = ""
    votes: tuple[VoteSnapshot, ...] = ()
    reservations: tuple[str, ...] = ()
    paragraph: int | None = None  # the § number alone, for the table of contents and anchors
    # a § justerad at once, before the rest of the protokoll: the day ("2026-11-18"); the §
    # is then the one frozen in its own record (minutes.services.justering)
    adjusted_on: str = ""

    @property
    def public_documents(self) -> tuple[DocumentSnapshot, ...]:
        return tuple(d for d in self.documents if d.is_public) if self.is_public else ()

    @property
    def label(self) -> str:
        """The number as printed: "3." or "KS § 12"."""
        return self.paragraph_label or (f"{self.number}." if self.number else "")

    @property
    def heading(self) -> str:
        return f"{self.label} {self.title}" if self.label else self.title


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str  # "Ordförande", "Sekreterare"
    signed: str = ""  # "Justerat elektroniskt 2020-03-02 kl. 14.05" once approved online


@dataclass(frozen=True)
class AnslagSnapshot:
    """The anslagsbevis of a justerat protokoll: the announcement's dates (ISO), where the
    protokoll is kept and who certifies it, all known when the last signature is given."""

    posted_on: str
    last_day_to_appeal: str
    down_on: str
    kept_at: str
    secretary: str


@dataclass(frozen=True)
class MinutesSnapshot:
    schema: int
    municipality: str
    council: str
    council_kind: str
    document_title: str
    meeting_date: str  # ISO date
    date_in_words: str  # "24 februari 2020"
    place_and_time: str  # "Kommunstyrelsesalen kl 08.30 – 10.30"
    elected: str  # "Anders Röhfors (M) ordförande, Hans Ivarsson (C)."
    representatives: str
    absent: str
    others: str
    items: tuple[ItemSnapshot, ...]
    closing_line: str  # "Arboga den 24/2- 2020"
    signatories: tuple[Signatory, ...]
    revision: int
    status: str
    created: str  # ISO timestamp the document states as its creation (approval) time
    correction_reason: str = ""  # for a corrected revision: why it replaces the earlier one
    next_meeting: str = (
        ""  # "Nästa möte: måndag 11 maj 2020 kl 08.30 – 10.30, Kommunstyrelsesalen."
    )
    # a nämnd's protokoll: the front page's lists, a line per person, and the
    # närvaro- och omröstningslista
    deciding: tuple[str, ...] = ()  # "Eva Lund (M) ersätter Per Holm (M), §§ 8–12"
    substitutes: tuple[str, ...] = ()  # ersättare present, not serving
    officials: tuple[str, ...] = ()  # övriga närvarande, with their title
    adjusters: tuple[str, ...] = ()  # "Utses att justera"
    adjustment: str = ""  # "Socialkontoret, 2026-03-12 kl 13.00"
    paragraphs: str = ""  # "5–8" ("Paragrafer 5–8")
    roll: tuple[RollEntry, ...] = ()
    anslag: AnslagSnapshot | None = None
    # a protokollsutdrag: one § of the protokoll, certified by the secretary
    # ("Utdragsbestyrkande"), with the day (ISO)
    is_extract: bool = False
    certified_by: str = ""
    certified_on: str = ""

    @property
    def is_protocol(self) -> bool:
        """A nämnd's protokoll (its items are §§), not a råd's minnesanteckningar."""
        return self.council_kind == "committee"

    @property
    def votes(self) -> tuple[VoteSnapshot, ...]:
        """Every votering of the meeting, in the order of the §§ (the list's columns)."""
        return tuple(v for item in self.items for v in item.votes)

    @property
    def secretary_signs(self) -> bool:
        """A protokoll names its paragraphs beside the secretary's signature, when there is one."""
        return any(s.role == "Sekreterare" for s in self.signatories)

    @property
    def public_votes(self) -> tuple[VoteSnapshot, ...]:
        """The voteringar of the public §§: the public närvaro- och omröstningslista's columns
        (a confidential §'s vote is left out with the §)."""
        return tuple(v for item in self.items if item.is_public for v in item.votes)

    @property
    def public_roll(self) -> tuple[RollEntry, ...]:
        """The närvaro- och omröstningslista with only the public §§' votes, in the order of
        :attr:`public_votes`; empty when no public § had a vote."""
        if not self.public_votes:
            return ()
        shown = [item.is_public for item in self.items for _vote in item.votes]
        return tuple(
            dataclasses.replace(
                entry,
                votes=tuple(v for v, public in zip(entry.votes, shown, strict=False) if public),
            )
            for entry in self.roll
        )

    @property
    def title(self) -> str:
        """The PDF's title: "Minnesanteckningar Förebyggande rådet 2020-02-24"; an extract's
        "Protokollsutdrag Socialnämnden 2026-03-09 SN § 3"."""
        if self.is_extract and self.items:
            return f"Protokollsutdrag {self.council} {self.meeting_date} {self.items[0].label}"
        return f"{self.document_title} {self.council} {self.meeting_date}"

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MinutesSnapshot:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unknown snapshot schema {data.get('schema')!r}")
        items = tuple(_item_from_dict(item) for item in data["items"])
        signatories = tuple(Signatory(**s) for s in data["signatories"])
        committee = {
            key: tuple(data.get(key, ()))
            for key in ("deciding", "substitutes", "officials", "adjusters")
        }
        roll = tuple(
            RollEntry(**{**r, "votes": tuple(r.get("votes", ()))}) for r in data.get("roll", ())
        )
        anslag = AnslagSnapshot(**data["anslag"]) if data.get("anslag") else None
        return cls(
            **{
                **data,
                **committee,
                "items": items,
                "signatories": signatories,
                "roll": roll,
                "anslag": anslag,
            }
        )


def _item_from_dict(item: dict[str, Any]) -> ItemSnapshot:
    """An item of a stored snapshot (``MinutesSnapshot.as_dict``) as it was."""
    return ItemSnapshot(
        **{
            **item,
            "sections": tuple(SectionSnapshot(**s) for s in item["sections"]),
            "points": tuple(PointSnapshot.from_dict(p) for p in item.get("points", ())),
            "documents": tuple(DocumentSnapshot(**d) for d in item.get("documents", ())),
            "basis": tuple(BasisSnapshot(**b) for b in item.get("basis", ())),
            "decision_points": tuple(item.get("decision_points", ())),
            "recipients": tuple(item.get("recipients", ())),
            "disqualifications": tuple(item.get("disqualifications", ())),
            "motions": tuple(item.get("motions", ())),
            "reservations": tuple(item.get("reservations", ())),
            "votes": tuple(
                VoteSnapshot(
                    **{
                        **v,
                        **{k: tuple(v.get(k, ())) for k in ("yes", "no", "abstain")},
                    }
                )
                for v in item.get("votes", ())
            ),
        }
    )


def closing_line(place: str, day: datetime.date) -> str:
    """The seed's convention: "Arboga den 24/2- 2020"."""
    return f"{place} den {day.day}/{day.month}- {day.year}"


def _sentence(parts: list[str]) -> str:
    return f"{', '.join(parts)}." if parts else ""


def elected_entry(name: str, party: str, role: str, substitute_for: str = "") -> str:
    """ "Anders Röhfors (M) ordförande" — the chair and vice chair are named by role."""
    text = f"{name} ({party})" if party else name
    if role == Membership.Role.CHAIR:
        text += " ordförande"
    elif role == Membership.Role.VICE_CHAIR:
        text += " vice ordförande"
    if substitute_for:
        text += f" ersättare för {substitute_for}"
    return text


def representative_entry(label: str, name: str) -> str:
    """ "Kommunpolis Stefan Persson": title or organisation, then the name."""
    return f"{label} {name}" if label else name


def build_snapshot(
    minutes: Minutes,
    *,
    created: datetime.datetime | None = None,
    signed: dict | None = None,
    closed_on: datetime.date | None = None,
    announcement: dict | None = None,
) -> MinutesSnapshot:
    """Everything the document of ``minutes`` shows, read in a fixed number of queries.

    ``created`` is the time the document states (the approval time); it defaults to the last
    change of the minutes, so a draft preview does not change with the clock. ``signed`` maps a
    signatory's role, or ``(role, person id)`` where two share a role (a protokoll's justerare),
    to how it was signed ("Justerat elektroniskt …"). ``closed_on`` is the closing line's date
    when it is not the meeting's (imported minutes signed days later). ``announcement``: a
    justerat protokoll's anslagsbevis (:class:`AnslagSnapshot`'s fields).
    """
    minutes = (
        Minutes.objects.select_related(
            "meeting__council__municipality",
            "meeting__chaired_by",
            "meeting__secretary",
            "next_meeting",
        )
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related(
                    "person", "membership", "substitute_for"
                ).order_by("position", "id"),
            ),
            Prefetch(
                "items",
                queryset=AgendaItem.objects.order_by("position").prefetch_related(
                    Prefetch("sections", queryset=AgendaItemSection.objects.order_by("position")),
                    Prefetch("documents", queryset=ItemDocument.objects.order_by("position", "id")),
                ),
            ),
        )
        .get(pk=minutes.pk)
    )
    meeting = minutes.meeting
    council: Council = meeting.council
    # a correction's draft states the date, times and place it proposes
    stated = minutes.stated_meeting()
    day: datetime.date = stated["date"]

    elected, representatives, absent = [], [], []
    for row in minutes.attendance.all():
        membership = row.membership
        role = membership.role if membership else Membership.Role.MEMBER
        if row.status == Attendance.Status.ABSENT:
            absent.append(row.person.name)
            continue
        if role == Membership.Role.REPRESENTATIVE:
            representatives.append(representative_entry(membership.label, row.person.name))
        else:
            elected.append(
                elected_entry(
                    row.person.name,
                    membership.party if membership else "",
                    role,
                    row.substitute_for.name if row.substitute_for else "",
                )
            )

    place_and_time = " ".join(
        part
        for part in (stated["place"], time_span(stated["start_time"], stated["end_time"]))
        if part
    )
    signed = signed or {}
    committee = council.numbers_paragraphs
    if committee:  # a råd's items have no deliberation to read
        prefetch_related_objects(list(minutes.items.all()), *deliberation.prefetch())
    protocol = _Protocol(minutes) if committee else None
    signers = ((meeting.chaired_by, "Ordförande"), (meeting.secretary, "Sekreterare"))
    if committee:  # the protokoll's order: the secretary, the chair, then the justerare
        signers = (
            (meeting.secretary, "Sekreterare"),
            (meeting.chaired_by, "Ordförande"),
            *((row.person, "Justerare") for row in protocol.adjusters),
        )
    signatories = tuple(
        Signatory(person.name, role, signed.get((role, person.pk)) or signed.get(role, ""))
        for person, role in signers
        if person is not None
    )
    items = tuple(
        ItemSnapshot(
            number=item.number,
            title=item.title,
            body_html=item.body,
            decision=item.decision,
            is_public=item.is_public,
            confidentiality_ground=item.confidentiality_ground,
            sections=tuple(SectionSnapshot(s.heading, s.body) for s in item.sections.all()),
            points=tuple(PointSnapshot.from_dict(p) for p in item.points or ()),
            documents=tuple(
                DocumentSnapshot(d.pk, d.title, d.is_public, d.content_type, d.size, d.sha256)
                for d in item.documents.all()
            ),
            paragraph_label=(
                paragraph_label(council.paragraph_prefix, item.paragraph)
                if item.paragraph is not None
                else ""
            ),
            **_parts(item, council),
            **(protocol.item(item) if protocol else {}),
        )
        for item in minutes.items.all()
    )
    if committee:
        items = _immediate(minutes, items)
    stamp = created or minutes.updated_at
    return MinutesSnapshot(
        schema=SCHEMA,
        municipality=council.municipality.name,
        council=council.name,
        council_kind=council.kind,
        document_title=council.document_title,
        meeting_date=day.isoformat(),
        date_in_words=long_date(day),
        place_and_time=place_and_time,
        elected=_sentence(elected),
        representatives=_sentence(representatives),
        absent=_sentence(absent),
        others=minutes.others_present.strip(),
        items=items,
        closing_line=closing_line(council.municipality.place_name, closed_on or day),
        signatories=signatories,
        revision=minutes.revision,
        status=minutes.status,
        created=stamp.astimezone(datetime.UTC).replace(microsecond=0).isoformat(),
        correction_reason=minutes.correction_reason,
        next_meeting=next_meeting_line(minutes.next_meeting),
        **(protocol.front(items) if protocol else {}),
        anslag=AnslagSnapshot(**announcement) if announcement else None,
    )


def _immediate(minutes: Minutes, items: tuple[ItemSnapshot, ...]) -> tuple[ItemSnapshot, ...]:
    """The §§ justerade at once are the ones frozen in their own records, marked with the day
    (found by the meeting and the § number: a correction's copy of the § is the same §)."""
    from minutes.models import Extract

    frozen = {
        e.paragraph: e
        for e in Extract.objects.filter(
            minutes__meeting_id=minutes.meeting_id, immediate=True
        ).only("paragraph", "snapshot", "adjusted_at")
    }
    if not frozen:
        return items
    return tuple(
        dataclasses.replace(
            _item_from_dict(frozen[shown.paragraph].snapshot["items"][0]),
            adjusted_on=timezone.localdate(frozen[shown.paragraph].adjusted_at).isoformat(),
        )
        if shown.paragraph in frozen
        else shown
        for shown in items
    )


def extract_snapshot(
    snapshot: MinutesSnapshot,
    index: int,
    *,
    certified_by: str,
    certified_on: datetime.date,
    adjusted_on: datetime.date | None = None,
) -> MinutesSnapshot:
    """The protokollsutdrag of the ``index``-th item of ``snapshot``: the protokoll's header and
    front-page facts, that § alone with all its parts, the signatures, and the secretary's
    Utdragsbestyrkande. ``adjusted_on``: the § was justerad at once that day."""
    item = snapshot.items[index]
    if adjusted_on is not None:
        item = dataclasses.replace(item, adjusted_on=adjusted_on.isoformat())
    return dataclasses.replace(
        snapshot,
        items=(item,),
        paragraphs=str(item.paragraph) if item.paragraph is not None else "",
        is_extract=True,
        certified_by=certified_by,
        certified_on=certified_on.isoformat(),
    )


class _Protocol:
    """A nämnd's protokoll: who decided at which §, the deliberation of each § in words, and
    the närvaro- och omröstningslista, from the attendance and the §§ already read."""

    def __init__(self, minutes: Minutes) -> None:
        self.minutes = minutes
        self.items = list(minutes.items.all())
        self.paragraph_at = {i.position: i.paragraph for i in self.items}
        rows = list(minutes.attendance.all())
        disqualified = {
            item.position: [(j.person_id, j.substitute_id) for j in item.disqualifications.all()]
            for item in self.items
        }
        self.roll = serving.Roll(rows, disqualified)
        self.adjusters = [r for r in rows if r.is_adjuster]
        self.chair_id = minutes.meeting.chaired_by_id
        self.documents = {
            d.pk: (d.title, d.is_public) for item in self.items for d in item.documents.all()
        }
        self.ballots: list[dict[int, str]] = []  # each votering's votes, in order
        self.people = {r.person_id: r.person for r in rows}

    def label(self, position: int | None, *, first: bool) -> int:
        if position is None:
            position = 1 if first else len(self.items)
        return self.paragraph_at.get(position) or position

    def span(self, row: Attendance) -> str:
        """ "§§ 1–5" when the row holds for part of the meeting, else ""."""
        if row.from_position is None and row.to_position is None:
            return ""
        return span_label(
            "", self.label(row.from_position, first=True), self.label(row.to_position, first=False)
        )

    def item(self, item: AgendaItem) -> dict[str, Any]:
        data = deliberation.state_of(item)
        roll = self.roll
        votes = []
        presiding = roll.presiding(item.position, self.chair_id)
        for number, vote in enumerate(data.votes, start=1):
            self.ballots.append(vote.ballots)
            named = {
                choice: tuple(
                    serving.name_with_party(roll, p, self.people)
                    for p in _in_roll_order(roll, vote.ballots, choice)
                )
                for choice in Ballot.Choice.values
            }
            column = (item.paragraph and paragraph_label("", item.paragraph)) or item.number
            votes.append(
                VoteSnapshot(
                    yes_means=vote.yes_means,
                    no_means=vote.no_means,
                    yes=named[Ballot.Choice.YES],
                    no=named[Ballot.Choice.NO],
                    abstain=named[Ballot.Choice.ABSTAIN],
                    result=deliberation.result_line(vote, presiding),
                    column=f"{column}:{number}" if len(data.votes) > 1 else column,
                )
            )
        motions = list(data.motions)
        return {
            "paragraph": item.paragraph,
            "disqualifications": tuple(
                deliberation.disqualification_line(roll, j, self.people)
                for j in data.disqualifications
            ),
            "motions": tuple(deliberation.motion_line(roll, motions, m) for m in motions),
            "proposition": data.proposition,
            "votes": tuple(votes),
            "reservations": tuple(
                deliberation.reservation_line(
                    roll,
                    r,
                    self.documents.get(r.document_id, ("", True))[0],
                    public=self.documents.get(r.document_id, ("", True))[1],
                )
                for r in data.reservations
            ),
        }

    def front(self, items: tuple[ItemSnapshot, ...]) -> dict[str, Any]:
        """The front page's lists and the närvaro- och omröstningslista (after :meth:`item`
        has read every §'s votes)."""
        deciding, substitutes, officials, roll = [], [], [], []

        public = {i.position for i in self.items if i.is_public}

        def at(person_id: int, *, stepping_in: bool) -> str:
            """ "§ 2, § 5": where the person stepped in for, or left, a disqualified member.
            Public §§ only: the front page and the list are the public copy's too, and a jäv
            at a confidential § could tell whom the individual case concerns; the § itself
            states it in the internal copy."""
            numbers = sorted(
                self.label(position, first=True)
                for position, jav in self.roll.disqualified.items()
                if position in public
                and any((s if stepping_in else p) == person_id for p, s in jav)
            )
            return ", ".join(paragraph_label("", n) for n in numbers)

        for row in self.roll.rows:
            role = serving.role_of(row)
            name, party = row.person.name, serving.party_of(row)
            who = f"{name} ({party})" if party else name
            span = self.span(row)
            if role in (Membership.Role.REPRESENTATIVE, Membership.Role.SECRETARY):
                if row.status != Attendance.Status.ABSENT:
                    label = row.membership.label if row.membership_id else ""
                    officials.append(f"{name}, {label}" if label else name)
                continue
            if row.status == Attendance.Status.ABSENT:
                state = "Frånvarande"
            elif serving.decides(row, row.from_position or 1) or row.status == "substitute":
                entry = who
                if role == Membership.Role.CHAIR:
                    entry += ", ordförande"
                elif role == Membership.Role.VICE_CHAIR:
                    entry += ", vice ordförande"
                if row.substitute_for_id:
                    replaced = self.roll.row(row.substitute_for_id)
                    entry += f", ersätter {_who(replaced) if replaced else row.substitute_for.name}"
                if span:
                    entry += f", {'tjänstgör' if row.substitute_for_id else 'närvarande'} {span}"
                state = f"Tjänstgör {span}" if span else "Tjänstgör"
                left = at(row.person_id, stepping_in=False)
                if left:
                    entry += f", jäv {left}"
                    state += f", jäv {left}"
                deciding.append(entry)
            else:
                entry, state = who, "Närvarande"
                stepped_in = at(row.person_id, stepping_in=True)
                if stepped_in:
                    entry += f", tjänstgör {stepped_in}"
                    state = f"Tjänstgör {stepped_in}"
                substitutes.append(entry)
            roll.append(
                RollEntry(
                    name=name,
                    party=party,
                    role=str(Membership.Role(role).label),
                    serving=state,
                    votes=tuple(_CHOICE_WORD.get(b.get(row.person_id), "") for b in self.ballots),
                )
            )
        others = [o.strip() for o in self.minutes.others_present.splitlines() if o.strip()]
        numbers = [i.paragraph for i in self.items if i.paragraph is not None]
        first, last = (min(numbers), max(numbers)) if numbers else (None, None)
        adjustment = ", ".join(
            part
            for part in (
                self.minutes.adjustment_place,
                " ".join(
                    p
                    for p in (
                        self.minutes.adjustment_date.isoformat()
                        if self.minutes.adjustment_date
                        else "",
                        f"kl {self.minutes.adjustment_time:%H.%M}"
                        if self.minutes.adjustment_time
                        else "",
                    )
                    if p
                ),
            )
            if part
        )
        return {
            "deciding": tuple(deciding),
            "substitutes": tuple(substitutes),
            "officials": tuple(officials + others),
            "adjusters": tuple(_who(r) for r in self.adjusters),
            "adjustment": adjustment,
            "paragraphs": (
                "" if first is None else str(first) if first == last else f"{first}–{last}"
            ),
            "roll": tuple(roll) if self.ballots else (),
        }


_CHOICE_WORD = {"ja": "Ja", "nej": "Nej", "avstar": "Avstår"}


def _who(row: Attendance) -> str:
    party = serving.party_of(row)
    return f"{row.person.name} ({party})" if party else row.person.name


def _in_roll_order(roll: serving.Roll, ballots: dict[int, str], choice: str) -> list[int]:
    order = {r.person_id: n for n, r in enumerate(roll.rows)}
    return sorted((p for p, c in ballots.items() if c == choice), key=lambda p: order.get(p, 10**6))


def _parts(item: AgendaItem, council: Council) -> dict[str, Any]:
    """A nämnd's § parts; a råd's item has none (its snapshot stays as it was)."""
    if not council.numbers_paragraphs:
        return {}
    return {
        "case_number": item.case_number,
        "basis": tuple(BasisSnapshot(b["title"], b.get("date", "")) for b in item.basis or ()),
        "proposal": item.proposal,
        "decision_points": tuple(item.decision_points or ()),
        "protocol_note": item.protocol_note,
        "recipients": tuple(item.recipients or ()),
        "immediate_adjustment": item.immediate_adjustment,
    }


WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def next_meeting_line(meeting) -> str:
    """ "Nästa möte: måndag 11 maj 2020 kl 08.30 – 10.30, Kommunstyrelsesalen." """
    if meeting is None:
        return ""
    parts = [f"{WEEKDAYS[meeting.date.weekday()]} {long_date(meeting.date)}"]
    span = time_span(meeting.start_time, meeting.end_time)
    if span:
        parts[0] += f" {span}"
    if meeting.place:
        parts.append(meeting.place)
    return f"Nästa möte: {', '.join(parts)}."


def _comparable(data: dict) -> dict:
    """A stored snapshot with every field its schema has now (an older one may lack points or
    documents), and lists where the dataclasses have tuples."""
    with contextlib.suppress(ValueError, TypeError, KeyError):  # else compared as stored
        data = MinutesSnapshot.from_dict(data).as_dict()
    return json.loads(json.dumps(data))


def _content(item: dict) -> dict:
    """What an item says: its documents by what they are, not by their row (a correction copies
    them under new ids)."""
    documents = [
        {k: v for k, v in document.items() if k != "id"} for document in item.get("documents", ())
    ]
    return {**item, "documents": documents}


def changes(before: dict, after: dict) -> list[str]:
    """What changed between two snapshots (as stored, ``as_dict()``), for the approver after a
    return: the items new or renamed, changed and removed, and the parts of the attendance."""
    before, after = _comparable(before), _comparable(after)
    old = {i["number"] + ". " + i["title"]: i for i in before["items"]}
    new = {i["number"] + ". " + i["title"]: i for i in after["items"]}
    out = []
    for heading, item in new.items():
        if heading not in old:
            out.append(_("Nytt eller omdöpt: %(h)s") % {"h": heading})
        elif _content(item) != _content(old[heading]):
            out.append(_("Ändrat: %(h)s") % {"h": heading})
    out += [_("Borttaget: %(h)s") % {"h": h} for h in old if h not in new]
    if after["meeting_date"] != before["meeting_date"]:
        out.append(
            _("Ändrat: mötets datum, %(new)s (tidigare %(old)s)")
            % {
                "new": long_date(datetime.date.fromisoformat(after["meeting_date"])),
                "old": long_date(datetime.date.fromisoformat(before["meeting_date"])),
            }
        )
    if after["place_and_time"] != before["place_and_time"]:
        out.append(
            _("Ändrat: plats och tid, %(new)s (tidigare %(old)s)")
            % {"new": after["place_and_time"] or "–", "old": before["place_and_time"] or "–"}
        )
    for key, label in (
        ("elected", _("Ledamöter")),
        ("representatives", _("Rådsrepresentanter")),
        ("absent", _("Frånvarande")),
        ("others", _("Övriga")),
        ("deciding", _("Beslutande")),
        ("substitutes", _("Ersättare")),
        ("officials", _("Övriga närvarande")),
        ("adjusters", _("Utses att justera")),
        ("adjustment", _("Justeringens plats och tid")),
    ):
        if after.get(key) != before.get(key):
            out.append(_("Ändrat: närvaron (%(l)s)") % {"l": label})
    return out
