"""Reads about meetings that need care: a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from core.dates import long_date, time_span
from councils.models import Council, Municipality
from minutes.models import ApprovedRevision, Meeting, Minutes, MinutesEvent
from minutes.publication import readable_url

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
            # a scalar subquery (probed per meeting through its index) rather than EXISTS, which
            # PostgreSQL may answer by hashing every approved minutes of every council
            approved=Subquery(
                Minutes.objects.filter(
                    meeting=OuterRef("pk"), status=Minutes.Status.APPROVED
                ).values("pk")[:1]
            )
        )
        .order_by("-date", "-start_time")
        .values_list("date", "start_time", "end_time", "place", "approved")
    )
    counts: list[YearCount] = []
    for row in rows:
        if _coming(row[0], row[4], today):
            continue
        if counts and counts[-1].year == row[0].year:
            counts[-1] = YearCount(row[0].year, counts[-1].meetings + 1)
        else:
            counts.append(YearCount(row[0].year, 1))
    known = {c.year for c in counts}
    shown = {year} if year in known else {c.year for c in counts[:SHOWN_YEARS]}
    base = reverse("minutes:council", args=[council.municipality.slug, council.slug])
    text = line_texts()
    upcoming: list[MeetingLine] = []
    years: list[MeetingYear] = []
    for day, start, end, place, approved in rows:
        coming = _coming(day, approved, today)
        if not coming and day.year not in shown:
            continue
        iso = day.isoformat()
        pdf = ""
        if approved is not None:
            pdf = readable_url(council.municipality.slug, council.slug, day, council_url=base)
        line = MeetingLine(iso, f"{base}{iso}/", *text(day, start, end, place), pdf)
        if coming:
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


def line_texts():
    """How a meeting line reads in the request's language, decided once per page: a function of
    (day, start, end, place) giving the day ("24 februari 2020") and the details (", kl 08.30 –
    10.30, Kommunstyrelsesalen"). Swedish as the minutes write it; another language in Django's
    formats for it, without the "kl"."""
    swedish = get_language() == "sv"
    day_text = long_date if swedish else lambda day: date_format(day, "j F Y")
    clock = "kl" if swedish else ""

    def text(day, start, end, place) -> tuple[str, str]:
        details = "".join(
            f", {part}" for part in (time_span(start, end, clock=clock), place) if part
        )
        return day_text(day), details

    return text


def _coming(day: datetime.date, approved: int | None, today: datetime.date) -> bool:
    return Meeting.coming(day, approved=approved is not None, today=today)


@dataclass(frozen=True)
class CouncilLatest:
    """A council as its municipality's page lists it, with its latest approved minutes."""

    council: Council
    url: str
    latest: MeetingLine | None  # the meeting of the latest approved minutes


def municipality_councils(municipality: Municipality) -> list[CouncilLatest]:
    """The municipality's councils by name, each with the meeting of its latest approved
    minutes: one query whatever the number of councils."""
    latest = Meeting.objects.filter(
        council=OuterRef("pk"), minutes__status=Minutes.Status.APPROVED
    ).order_by("-date", "-start_time")
    councils = (
        Council.objects.filter(municipality=municipality)
        .annotate(
            latest_date=Subquery(latest.values("date")[:1]),
            latest_start=Subquery(latest.values("start_time")[:1]),
            latest_end=Subquery(latest.values("end_time")[:1]),
            latest_place=Subquery(latest.values("place")[:1]),
        )
        .order_by("name")
    )
    text = line_texts()
    out = []
    for council in councils:
        council.municipality = municipality
        base = reverse("minutes:council", args=[municipality.slug, council.slug])
        line = None
        if council.latest_date is not None:
            day = council.latest_date
            line = MeetingLine(
                day.isoformat(),
                f"{base}{day.isoformat()}/",
                *text(day, council.latest_start, council.latest_end, council.latest_place),
                readable_url(municipality.slug, council.slug, day, council_url=base),
            )
        out.append(CouncilLatest(council, base, line))
    return out


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


# The answer is remembered for a minute in each process: the readable address is the busiest public
# path, and browsers may keep its redirect for five minutes anyway (Cache-Control). A withdrawal
# deletes the file the redirect points to, so a redirect remembered a little longer leads to a 404,
# never to the withdrawn file; the process that approves or withdraws forgets at once.
CURRENT_PDF_SECONDS = 60


def _current_pdf_key(municipality: str, council: str, day: datetime.date) -> str:
    return f"current-pdf:{municipality}:{council}:{day.isoformat()}"


def current_public_pdf(municipality: str, council: str, day: datetime.date) -> PublicPdf | None:
    """The newest approved revision of the council's (first) meeting that day: one query, or
    none when this process asked within the last minute."""
    key = _current_pdf_key(municipality, council, day)
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # () stands for "no approved minutes"
    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_PDF_SQL, [municipality, council, day])
        row = cursor.fetchone()
    found = PublicPdf(*row) if row else None
    cache.set(key, found or (), CURRENT_PDF_SECONDS)
    return found


def forget_current_pdf(meeting: Meeting) -> None:
    """After an approval, a correction or a withdrawal of ``meeting``'s minutes, or a move of
    the meeting (to and from its date): what this process remembers of its date."""
    council = meeting.council
    municipality = council.municipality.slug
    cache.delete_many(
        [
            _current_pdf_key(municipality, council.slug, meeting.date),
            _moved_key(municipality, council.slug, meeting.date),
        ]
    )


def _moved_key(municipality: str, council: str, day: datetime.date) -> str:
    return f"moved-meeting:{municipality}:{council}:{day.isoformat()}"


def moved_meeting_date(municipality: str, council: str, day: datetime.date) -> datetime.date | None:
    """Where the public addresses of ``day`` lead when the council has no meeting that day
    now, but a correction moved one away from it: the date that meeting has now (of the
    newest approved revision that stated ``day``). None while a meeting is on ``day``: its
    addresses are its own. One query, made only where the address would otherwise answer 404,
    and remembered as long as the current PDF (:func:`forget_current_pdf` forgets both)."""
    key = _moved_key(municipality, council, day)
    cached = cache.get(key)
    if cached is not None:
        return datetime.date.fromisoformat(cached) if cached else None  # "" stands for none
    found = (
        ApprovedRevision.objects.filter(
            minutes__meeting__council__slug=council,
            minutes__meeting__council__municipality__slug=municipality,
            snapshot__meeting_date=day.isoformat(),
        )
        .exclude(minutes__meeting__date=day)
        .exclude(
            Exists(Meeting.objects.filter(council=OuterRef("minutes__meeting__council"), date=day))
        )
        .order_by("-pk")
        .values_list("minutes__meeting__date", flat=True)
        .first()
    )
    cache.set(key, found.isoformat() if found else "", CURRENT_PDF_SECONDS)
    return found


def previous_submission(minutes: Minutes) -> dict | None:
    """The snapshot of the submission before the latest one (what the approver read before a
    return), or None when the minutes were submitted once."""
    submissions = list(
        minutes.events.filter(kind=MinutesEvent.Kind.SUBMITTED, item__isnull=True).order_by(
            "-created_at"
        )[:2]
    )
    if len(submissions) < 2 or not submissions[1].snapshot:
        return None
    return submissions[1].snapshot
