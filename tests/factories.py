"""Small helpers that build valid objects with sensible defaults, so tests state only what they
are about."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model

from councils.models import Council, Membership, Municipality, Person
from minutes.models import AgendaItem, Meeting, Minutes

_seq = itertools.count(1)
PASSWORD = "rätt-lösenord-123"
TERM_START = datetime.date(2020, 1, 1)


def municipality(name: str | None = None, **kwargs) -> Municipality:
    n = next(_seq)
    name = name or f"Testkommun {n}"
    return Municipality.objects.create(
        name=name,
        slug=kwargs.pop("slug", f"kommun-{n}"),
        place_name=kwargs.pop("place_name", name.removesuffix(" kommun")),
        **kwargs,
    )


def council(muni: Municipality | None = None, name: str | None = None, **kwargs) -> Council:
    n = next(_seq)
    return Council.objects.create(
        municipality=muni or municipality(),
        name=name or f"Testrådet {n}",
        slug=kwargs.pop("slug", f"radet-{n}"),
        **kwargs,
    )


def person(name: str | None = None, **kwargs) -> Person:
    return Person.objects.create(name=name or f"Person {next(_seq)}", **kwargs)


def user(username: str | None = None, *, person_obj: Person | None = None, **kwargs):
    u = get_user_model().objects.create_user(
        username=username or f"user{next(_seq)}", password=PASSWORD, **kwargs
    )
    if person_obj is not None:
        person_obj.user = u
        person_obj.save(update_fields=["user"])
    return u


def membership(
    person_obj: Person, council_obj: Council, role: str = Membership.Role.MEMBER, **kwargs
) -> Membership:
    kwargs.setdefault("start_date", TERM_START)
    return Membership.objects.create(person=person_obj, council=council_obj, role=role, **kwargs)


def meeting(council_obj: Council, date: datetime.date | None = None, **kwargs) -> Meeting:
    return Meeting.objects.create(
        council=council_obj,
        date=date or datetime.date(2020, 2, 24),
        start_time=kwargs.pop("start_time", datetime.time(8, 30)),
        end_time=kwargs.pop("end_time", datetime.time(10, 30)),
        **kwargs,
    )


def minutes(meeting_obj: Meeting, **kwargs) -> Minutes:
    return Minutes.objects.create(meeting=meeting_obj, **kwargs)


def item(minutes_obj: Minutes, position: int = 1, **kwargs) -> AgendaItem:
    kwargs.setdefault("title", f"Ärende {position}")
    return AgendaItem.objects.create(
        minutes=minutes_obj, position=position, number=str(position), **kwargs
    )
