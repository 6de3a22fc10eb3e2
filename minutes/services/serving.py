"""Who serves at each § of a nämnd's meeting, derived from the attendance and the jäv.

At the item in position k (the meeting's item order; the § printed is the meeting's first §
plus k − 1) a person serves (tjänstgör: may move, vote and reserve) when

- the attendance lists them as present with an elected role that decides (ordförande, vice
  ordförande, ledamot), or as a serving substitute (``Attendance.Status.SUBSTITUTE``, "ersätter
  N.N."), and k lies in their range (``from_position``–``to_position``; open ends run to the
  meeting's start or end), and
- they have not reported jäv at that item; whoever steps in for a disqualified member serves at
  that item only.

Substitutes present without serving, representatives and officials never serve. Everything here
reads in a fixed number of queries, whatever the size of the meeting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from councils.models import Membership, Person
from minutes.models import Attendance, Disqualification, Minutes

Role = Membership.Role
DECIDING_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)
ELECTED_ROLES = (*DECIDING_ROLES, Role.SUBSTITUTE)


def within(row: Attendance, position: int) -> bool:
    return (row.from_position is None or row.from_position <= position) and (
        row.to_position is None or position <= row.to_position
    )


def role_of(row: Attendance) -> str:
    return row.membership.role if row.membership_id else Role.MEMBER


def decides(row: Attendance, position: int) -> bool:
    """Whether the attendance row alone makes its person serve at the item in ``position``."""
    if not within(row, position):
        return False
    if row.status == Attendance.Status.SUBSTITUTE:
        return True
    return row.status == Attendance.Status.PRESENT and role_of(row) in DECIDING_ROLES


@dataclass
class Roll:
    """The attendance of one revision and the jäv at its items, read once."""

    rows: list[Attendance]
    # item position → [(disqualified person id, substitute person id or None)]
    disqualified: dict[int, list[tuple[int, int | None]]] = field(default_factory=dict)

    @classmethod
    def of(cls, minutes: Minutes) -> Roll:
        rows = list(
            Attendance.objects.filter(minutes=minutes)
            .select_related("person", "membership", "substitute_for")
            .order_by("position", "id")
        )
        disqualified: dict[int, list[tuple[int, int | None]]] = {}
        for position, person_id, substitute_id in Disqualification.objects.filter(
            item__minutes=minutes
        ).values_list("item__position", "person_id", "substitute_id"):
            disqualified.setdefault(position, []).append((person_id, substitute_id))
        return cls(rows, disqualified)

    def row(self, person_id: int) -> Attendance | None:
        return next((r for r in self.rows if r.person_id == person_id), None)

    def people(self) -> dict[int, Person]:
        return {r.person_id: r.person for r in self.rows}

    def by_attendance(self, position: int) -> set[int]:
        """Who the attendance alone makes serve at the item in ``position`` (before jäv)."""
        return {r.person_id for r in self.rows if decides(r, position)}

    def serving(
        self, position: int, disqualified: Iterable[tuple[int, int | None]] | None = None
    ) -> set[int]:
        """Who serves at the item in ``position``; ``disqualified`` replaces the stored jäv of
        that item (for checking what is about to be saved)."""
        jav = self.disqualified.get(position, []) if disqualified is None else disqualified
        people = self.by_attendance(position)
        for person_id, substitute_id in jav:
            people.discard(person_id)
            if substitute_id:
                people.add(substitute_id)
        return people

    def may_step_in(self, person_id: int, position: int) -> bool:
        """A substitute for a disqualified member: present at the item with an elected role,
        and not already serving there. A member present for part of the meeting is there only
        within their range; a serving substitute outside their range is present without
        serving, and may step in."""
        row = self.row(person_id)
        return (
            row is not None
            and row.status != Attendance.Status.ABSENT
            and (row.status == Attendance.Status.SUBSTITUTE or within(row, position))
            and role_of(row) in ELECTED_ROLES
            and person_id not in self.by_attendance(position)
        )

    def presiding(self, position: int, chaired_by_id: int | None) -> int | None:
        """Who presides at the item, and so holds the casting vote (utslagsröst, KL 6 kap.
        33 §): the person who chaired the meeting when serving there, else the ordförande,
        else the vice ordförande serving there (the chair may have left for jäv)."""
        serving = self.serving(position)
        candidates = [chaired_by_id] + [
            r.person_id
            for role in (Role.CHAIR, Role.VICE_CHAIR)
            for r in self.rows
            if r.membership_id and r.membership.role == role
        ]
        return next((p for p in candidates if p is not None and p in serving), None)


def party_of(row: Attendance | None) -> str:
    return row.membership.party if row is not None and row.membership_id else ""


def name_with_party(roll: Roll, person_id: int, people: dict[int, Person] | None = None) -> str:
    """ "Per Holm (M)" """
    row = roll.row(person_id)
    name = row.person.name if row else (people or {}).get(person_id, Person(name="?")).name
    party = party_of(row)
    return f"{name} ({party})" if party else name


def genitive(name: str) -> str:
    """Swedish genitive: "Per Holms", "Lars" (a name ending in s, x or z takes no s)."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def genitive_with_party(roll: Roll, person_id: int) -> str:
    """ "Per Holms (M)" """
    row = roll.row(person_id)
    name = genitive(row.person.name if row else "?")
    party = party_of(row)
    return f"{name} ({party})" if party else name
