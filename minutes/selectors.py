"""Reads for the public pages about meetings: a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from core.dates import long_date, time_span
from councils.models import Council
from minutes.models import Meeting, Minutes

SHOWN_YEARS = 2  # a council page lists the meetings of its latest years; older ones by year


@dataclass(frozen=True)
class MeetingLine:
    """A meeting as the council page lists it, formatted once here rather than by template
    filters (a council page lists dozens)."""

    iso: str  # 2020-02-24
    url: str
    day: str  # 24 februari 2020
    details: str  # ", kl 08.30 – 10.30, Kommunstyrelsesalen"
    pdf_url: str  # the readable address of the approved PDF, or ""


@dataclass(frozen=True)
class MeetingYear:
    year: int
    meetings: list[MeetingLine]


@dataclass(frozen=True)
class YearCount:
    year: int
    meetings: int


@dataclass(frozen=True)
class CouncilMeetings:
    upcoming: list[MeetingLine]  # soonest first
    years: list[MeetingYear]  # the years shown, newest first
    other_years: list[YearCount]  # the years with past meetings that are not shown
    year: int | None  # the year asked for, when it has meetings


def council_meetings(council: Council, *, year: int | None = None) -> CouncilMeetings:
    """The council's coming meetings and its past meetings of the latest years (or of ``year``),
    each marked with whether approved minutes exist: one query. A council meets a dozen times a
    year, so every row of its meetings is few enough to read; formatting them all is not."""
    today = timezone.localdate()
    rows = list(
        Meeting.objects.filter(council=council)
        .annotate(
            approved=Exists(
                Minutes.objects.filter(meeting=OuterRef("pk"), status=Minutes.Status.APPROVED)
            )
        )
        .order_by("-date", "-start_time")
        .values_list("date", "start_time", "end_time", "place", "approved")
    )
    counts: list[YearCount] = []
    for row in rows:
        if row[0] >= today:
            continue
        if counts and counts[-1].year == row[0].year:
            counts[-1] = YearCount(row[0].year, counts[-1].meetings + 1)
        else:
            counts.append(YearCount(row[0].year, 1))
    known = {c.year for c in counts}
    shown = {year} if year in known else {c.year for c in counts[:SHOWN_YEARS]}
    base = reverse("minutes:council", args=[council.municipality.slug, council.slug])
    prefix = f"{council.municipality.slug}-{council.slug}"
    upcoming: list[MeetingLine] = []
    years: list[MeetingYear] = []
    for day, start, end, place, approved in rows:
        if day < today and day.year not in shown:
            continue
        iso = day.isoformat()
        details = "".join(f", {part}" for part in (time_span(start, end), place) if part)
        pdf = f"{base}{iso}/{prefix}-{iso}.pdf" if approved else ""
        line = MeetingLine(iso, f"{base}{iso}/", long_date(day), details, pdf)
        if day >= today:
            upcoming.insert(0, line)  # the rows come newest first; coming ones soonest first
        elif years and years[-1].year == day.year:
            years[-1].meetings.append(line)
        else:
            years.append(MeetingYear(day.year, [line]))
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

    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_PDF_SQL, [municipality, council, day])
        row = cursor.fetchone()
    return PublicPdf(*row) if row else None
