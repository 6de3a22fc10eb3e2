from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from councils import access
from councils import selectors as council_selectors
from minutes import selectors
from minutes.models import Meeting, Minutes
from minutes.pdf import RenderError, render_minutes_pdf
from minutes.snapshot import build_snapshot


def council_detail(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """A council's public page: its members as the minutes group them, and its meetings by
    year. Three queries whatever the number of members and meetings."""
    council_obj = access.get_public_council(municipality, council)
    upcoming, years = selectors.meetings_by_year(council_obj)
    return render(
        request,
        "minutes/council_detail.html",
        {
            "council": council_obj,
            "members": council_selectors.member_groups(council_obj),
            "upcoming": upcoming,
            "years": years,
        },
    )


@login_required
def draft_preview(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The draft minutes as the PDF will look, with an UTKAST watermark and no signatures:
    for the council's members only (404 for everyone else)."""
    rights = access.get_council_for_member(request, municipality, council)
    meeting = get_object_or_404(Meeting, pk=meeting_id, council=rights.council)
    minutes = meeting.minutes.exclude(status=Minutes.Status.APPROVED).order_by("-revision").first()
    if minutes is None:
        raise Http404(_("Mötet har inget utkast att förhandsgranska."))
    try:
        pdf = render_minutes_pdf(build_snapshot(minutes), draft=True)
    except RenderError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"utkast-{municipality}-{council}-{meeting.date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def approved_pdf(
    request: HttpRequest,
    municipality: str,
    council: str,
    meeting_id: int,
    revision: int | None = None,
) -> HttpResponse:
    """An approved PDF by the meeting's id: the current one, or an earlier (superseded)
    revision by its number."""
    council_obj = access.get_public_council(municipality, council)
    meeting = get_object_or_404(Meeting, pk=meeting_id, council=council_obj)
    return _serve_approved(meeting, municipality, council, revision)


def _serve_approved(
    meeting: Meeting, municipality: str, council: str, revision: int | None
) -> HttpResponse:
    """The stored bytes of an approved revision, never a new rendering; a copy whose
    publication was withdrawn answers 410 with the reason."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse

    from minutes.models import ApprovedRevision

    revisions = ApprovedRevision.objects.filter(minutes__meeting=meeting).select_related(
        "minutes", "withdrawal"
    )
    if revision is not None:
        revisions = revisions.filter(minutes__revision=revision)
    stored = revisions.order_by("-minutes__revision").first()
    if stored is None:
        raise Http404(_("Mötet har inga godkända minnesanteckningar."))
    withdrawal = getattr(stored, "withdrawal", None)
    if withdrawal is not None:
        return HttpResponse(
            _("Den publicerade kopian har dragits tillbaka: %(reason)s")
            % {"reason": withdrawal.reason},
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    suffix = f"-version-{stored.minutes.revision}" if stored.minutes.revision > 1 else ""
    response = FileResponse(
        default_storage.open(stored.pdf_name, "rb"),
        content_type="application/pdf",
        filename=f"{municipality}-{council}-{meeting.date:%Y-%m-%d}{suffix}.pdf",
    )
    response["ETag"] = f'"{stored.pdf_sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _meeting_by_date(council_obj, date: str) -> Meeting:
    import datetime

    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        raise Http404(_("Ogiltigt datum.")) from None
    meeting = (
        Meeting.objects.filter(council=council_obj, date=day).order_by("start_time", "pk").first()
    )
    if meeting is None:
        raise Http404(_("Rådet hade inget möte den dagen."))
    return meeting


def meeting_detail(
    request: HttpRequest, municipality: str, council: str, date: str
) -> HttpResponse:
    """A meeting's public page: the approved minutes as HTML from the approved revision's public
    snapshot, the PDF with its size and SHA-256, and earlier (superseded) or withdrawn copies.
    Drafts are never shown. Three queries."""
    from minutes.models import ApprovedRevision
    from minutes.snapshot import MinutesSnapshot

    council_obj = access.get_public_council(municipality, council)
    meeting = _meeting_by_date(council_obj, date)
    revisions = list(
        ApprovedRevision.objects.filter(minutes__meeting=meeting)
        .select_related("minutes", "withdrawal")
        .order_by("-minutes__revision")
    )
    current = revisions[0] if revisions else None
    withdrawal = getattr(current, "withdrawal", None) if current else None
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "council": council_obj,
            "meeting": meeting,
            "current": current,
            "withdrawal": withdrawal,
            "doc": MinutesSnapshot.from_dict(current.snapshot)
            if current and not withdrawal
            else None,
            "earlier": revisions[1:],
            "filename": f"{municipality}-{council}-{meeting.date:%Y-%m-%d}.pdf",
        },
    )


def meeting_pdf(
    request: HttpRequest, municipality: str, council: str, date: str, filename: str
) -> HttpResponse:
    """The stable, readable address of a meeting's current public PDF."""
    council_obj = access.get_public_council(municipality, council)
    meeting = _meeting_by_date(council_obj, date)
    if filename != f"{municipality}-{council}-{meeting.date:%Y-%m-%d}.pdf":
        raise Http404(_("Filen finns inte."))
    response = _serve_approved(meeting, municipality, council, None)
    if response.status_code == 200:
        response["Cache-Control"] = "public, max-age=300"
    return response


def council_calendar(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """The council's coming meetings as an iCalendar feed, each event linking to its page."""
    import datetime
    from zoneinfo import ZoneInfo

    import icalendar
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    council_obj = access.get_public_council(municipality, council)
    meetings = Meeting.objects.filter(council=council_obj, date__gte=timezone.localdate()).order_by(
        "date"
    )[:100]
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Protokollet//Mötesplan//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{council_obj.name}, {council_obj.municipality.name}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{request.get_host()}")
        event.add("summary", f"{council_obj.name}: möte")
        if meeting.start_time:
            start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
            end_time = meeting.end_time or (start + datetime.timedelta(hours=2)).time()
            event.add("dtstart", start)
            event.add("dtend", datetime.datetime.combine(meeting.date, end_time, tzinfo=zone))
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + datetime.timedelta(days=1))
        event.add("dtstamp", meeting.updated_at)
        if meeting.place:
            event.add("location", meeting.place)
        page = reverse("minutes:meeting", args=[municipality, council, f"{meeting.date:%Y-%m-%d}"])
        event.add("url", request.build_absolute_uri(page))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{municipality}-{council}.ics"'
    return response
