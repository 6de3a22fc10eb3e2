"""Reads for the public pages about meetings: a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from councils.models import Council
from minutes.models import Meeting, Minutes

SHOWN_YEARS = 2  # a council page lists the meetings of its latest years; older ones by year


@dataclass(frozen=True)
class MeetingYear:
    year: int
    meetings: list[Meeting]


@dataclass(frozen=True)
class YearCount:
    year: int
    meetings: int


@dataclass(frozen=True)
class CouncilMeetings:
    upcoming: list[Meeting]  # soonest first
    years: list[MeetingYear]  # the years shown, newest first
    other_years: list[YearCount]  # the years with past meetings that are not shown
    year: int | None  # the year asked for, when it has meetings


def council_meetings(council: Council, *, year: int | None = None) -> CouncilMeetings:
    """The council's coming meetings and its past meetings of the latest years (or of ``year``),
    each marked with whether approved minutes exist: two queries, whatever the council's age."""
    today = timezone.localdate()
    counts = [
        YearCount(row["year"], row["meetings"])
        for row in Meeting.objects.filter(council=council, date__lt=today)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(meetings=Count("pk"))
        .order_by("-year")
    ]
    known = {c.year for c in counts}
    shown = [year] if year in known else [c.year for c in counts[:SHOWN_YEARS]]
    window = Q(date__gte=today)
    if shown:
        window |= Q(
            date__gte=datetime.date(min(shown), 1, 1),
            date__lt=min(today, datetime.date(max(shown) + 1, 1, 1)),
        )
    meetings = list(
        Meeting.objects.filter(window, council=council)
        .annotate(
            has_approved_minutes=Exists(
                Minutes.objects.filter(meeting=OuterRef("pk"), status=Minutes.Status.APPROVED)
            )
        )
        .order_by("-date", "-start_time")
    )
    upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: m.date)
    past = [m for m in meetings if m.date < today]
    years = [MeetingYear(y, list(group)) for y, group in groupby(past, key=lambda m: m.date.year)]
    return CouncilMeetings(
        upcoming=upcoming,
        years=years,
        other_years=[c for c in counts if c.year not in shown],
        year=year if year in known else None,
    )


@dataclass(frozen=True)
class PublicPdf:
    sha256: str
    revision: int
    withdrawal_reason: str | None


# The download address is the busiest public path and needs one row: written out rather than
# compiled by the ORM on every request, which took longer than running it.
_CURRENT_PDF_SQL = """
SELECT r.pdf_sha256, mi.revision, w.reason
FROM minutes_approvedrevision r
JOIN minutes_minutes mi ON mi.id = r.minutes_id
LEFT JOIN minutes_publicationwithdrawal w ON w.revision_id = r.id
WHERE mi.meeting_id = (
    SELECT m.id FROM minutes_meeting m
    JOIN councils_council c ON c.id = m.council_id
    JOIN councils_municipality mu ON mu.id = c.municipality_id
    WHERE mu.slug = %s AND c.slug = %s AND m.date = %s
    ORDER BY m.start_time, m.id
    LIMIT 1
)
ORDER BY mi.revision DESC
LIMIT 1
"""


def current_public_pdf(municipality: str, council: str, day: datetime.date) -> PublicPdf | None:
    """The newest approved revision of the council's (first) meeting that day: one query."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_PDF_SQL, [municipality, council, day])
        row = cursor.fetchone()
    return PublicPdf(*row) if row else None
