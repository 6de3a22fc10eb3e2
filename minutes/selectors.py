"""Reads for the public pages about meetings: a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Exists, OuterRef
from django.utils import timezone

from councils.models import Council
from minutes.models import Meeting, Minutes


@dataclass(frozen=True)
class MeetingYear:
    year: int
    meetings: list[Meeting]


def meetings_by_year(council: Council) -> tuple[list[Meeting], list[MeetingYear]]:
    """The council's coming meetings (soonest first) and its past meetings grouped by year
    (newest first), each marked with whether approved minutes exist: one query."""
    today = timezone.localdate()
    meetings = list(
        Meeting.objects.filter(council=council)
        .annotate(
            has_approved_minutes=Exists(
                Minutes.objects.filter(meeting=OuterRef("pk"), status=Minutes.Status.APPROVED)
            )
        )
        .order_by("-date", "-start_time")
    )
    upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: m.date)
    past = [m for m in meetings if m.date < today]
    years = [
        MeetingYear(year, list(group)) for year, group in groupby(past, key=lambda m: m.date.year)
    ]
    return upcoming, years
