"""A nämnd's meeting with a full attendance, for the deliberation tests: eleven members (the
chair, the vice chair and nine ledamöter) of whom one is absent and replaced by a serving
substitute, one more substitute present without serving, and an official.

``committee(cast)`` turns the cast's council into a nämnd and returns a ``Committee`` with the
people by role; ``meeting(...)`` gives a draft with its attendance and four §§."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from councils.models import Council, Membership, Person
from minutes import services
from minutes.models import AgendaItem, Minutes
from tests import factories

Role = Membership.Role

MEMBERS = (  # name, party, role
    ("Anna Ek", "S", Role.CHAIR),
    ("Bo Berg", "M", Role.VICE_CHAIR),
    ("Cecilia Dahl", "S", Role.MEMBER),
    ("David Falk", "S", Role.MEMBER),
    ("Eva Grön", "V", Role.MEMBER),
    ("Fredrik Holm", "M", Role.MEMBER),
    ("Greta Ivarsson", "KD", Role.MEMBER),
    ("Hassan Jama", "C", Role.MEMBER),
    ("Ida Karlsson", "SD", Role.MEMBER),
    ("Jonas Lind", "L", Role.MEMBER),  # absent: Karin Mark serves for him
    ("Lena Nyberg", "S", Role.MEMBER),
)
SUBSTITUTES = (("Karin Mark", "L"), ("Lars Olsson", "S"))


@dataclass
class Committee:
    council: Council
    people: dict[str, Person]
    memberships: dict[str, Membership]

    def __getitem__(self, name: str) -> Person:
        return self.people[name]


def committee(cast, *, prefix: str = "SN") -> Committee:
    council = cast.council
    council.kind = Council.Kind.COMMITTEE
    council.document_title = Council.DocumentTitle.PROTOCOL
    council.paragraph_prefix = prefix
    council.save()
    people, memberships = {}, {}
    for name, party, role in MEMBERS:
        people[name] = factories.person(name)
        if role == Role.CHAIR:  # the cast's chair signs in as Anna Ek
            chair = cast.chair.person
            chair.user = None
            chair.save(update_fields=["user"])
            people[name].user = cast.chair
            people[name].save(update_fields=["user"])
        memberships[name] = factories.membership(people[name], council, role, party=party)
    for name, party in SUBSTITUTES:
        people[name] = factories.person(name)
        memberships[name] = factories.membership(
            people[name], council, Role.SUBSTITUTE, party=party
        )
    official = factories.person("Maria Svensson")
    memberships["Maria Svensson"] = factories.membership(
        official, council, Role.REPRESENTATIVE, title="Socialchef"
    )
    people["Maria Svensson"] = official
    return Committee(council, people, memberships)


def attendance(c: Committee, **ranges) -> list[services.AttendanceEntry]:
    """The usual attendance; ``ranges`` maps a name to (from, to) positions for part of it."""
    P, S, A = "present", "substitute", "absent"
    entries = []
    for name, _party, _role in MEMBERS:
        status = A if name == "Jonas Lind" else P
        entries.append(_entry(c, name, status, ranges.get(name)))
    entries.append(_entry(c, "Karin Mark", S, ranges.get("Karin Mark"), c["Jonas Lind"].pk))
    entries.append(_entry(c, "Lars Olsson", P, ranges.get("Lars Olsson")))
    entries.append(_entry(c, "Maria Svensson", P, None))
    return entries


def _entry(c, name, status, span, substitute_for=None, adjusters=("Bo Berg", "Eva Grön")):
    first, last = span or (None, None)
    return services.AttendanceEntry(
        person_id=c[name].pk,
        membership_id=c.memberships[name].pk,
        status=status,
        substitute_for_id=substitute_for,
        from_position=first,
        to_position=last,
        is_adjuster=name in adjusters,
    )


def meeting(c: Committee, *, date=datetime.date(2026, 3, 9), titles=None, **ranges) -> Minutes:
    meeting = services.meeting_create(
        council=c.council,
        date=date,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(16, 0),
        place="Sessionssalen",
        actor=None,
    )
    meeting.chaired_by = c["Anna Ek"]
    meeting.save(update_fields=["chaired_by"])
    minutes = meeting.minutes.get()
    for title in titles or (
        "Val av justerare",
        "Ekonomisk uppföljning",
        "Försörjningsstöd",
        "Delegationsbeslut",
    ):
        services.item_create(minutes=minutes, title=title, actor=None)
    services.attendance_update(
        minutes=minutes,
        version=minutes.attendance_version,
        entries=attendance(c, **ranges),
        others_present="Kim Åberg, nämndsekreterare",
        adjustment=services.AdjustmentInput(
            "Socialkontoret", datetime.date(2026, 3, 16), datetime.time(10, 0)
        ),
        actor=None,
    )
    return Minutes.objects.get(pk=minutes.pk)


def item_at(minutes: Minutes, position: int) -> AgendaItem:
    return AgendaItem.objects.get(minutes=minutes, position=position)


def save(item: AgendaItem, deliberation, **kwargs) -> int:
    item.refresh_from_db()
    return services.item_save(
        item=item,
        version=item.version,
        title=item.title,
        body=kwargs.pop("body", item.body),
        decision="",
        is_public=kwargs.pop("is_public", True),
        confidentiality_ground=kwargs.pop("confidentiality_ground", ""),
        sections=[],
        parts=kwargs.pop("parts", None),
        deliberation=deliberation,
        actor=None,
        **kwargs,
    )


def signing(cast) -> Committee:
    """A nämnd's meeting of 9 March 2026 (its fourteen days ran out on 23 March) with four §§
    whose decisions are written, and its signatories, each of whom can sign in: the secretary
    Sara Sekreterare, the chair Anna Ek and the justerare Bo Berg and Eva Grön. ``c.users``
    maps "Sekreterare", "Ordförande" and the justerare's names to their accounts; ``c.minutes``
    is the draft."""
    from tests import factories

    c = committee(cast)
    minutes = meeting(c)
    held = minutes.meeting
    held.secretary = cast.secretary.person
    held.save(update_fields=["secretary"])
    c.users = {
        "Sekreterare": cast.secretary,
        "Ordförande": cast.chair,
        "Bo Berg": factories.user("boberg", person_obj=c["Bo Berg"]),
        "Eva Grön": factories.user("evagron", person_obj=c["Eva Grön"]),
    }
    for position in range(1, 5):
        save(
            item_at(minutes, position),
            None,
            parts=services.PartsInput(decision_points="Nämnden beslutar."),
        )
    c.minutes = Minutes.objects.get(pk=minutes.pk)
    return c
