import datetime
import re

from django.db.models import Exists, OuterRef
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pagecache import public_page
from councils import access
from councils import selectors as council_selectors
from councils import tools as council_tools
from councils.models import Council, Municipality
from minutes import ical, noticeboard, publication, search, selectors
from minutes.models import ApprovedRevision, Extract, Meeting, Notice
from minutes.notices import NoticeSnapshot
from minutes.snapshot import MinutesSnapshot


@public_page(params=("ar",))
def council_detail(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """A council's public page: its members as the minutes group them, its coming meetings and
    the meetings of its latest years (``?ar=2019`` for an older one), and the documents the apps
    above list (adopted plans and reports). Five queries whatever the number of members,
    meetings and documents."""
    council_obj = access.get_public_council(municipality, council)
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = None
    return render(
        request,
        "minutes/council_detail.html",
        {
            "council": council_obj,
            "members": council_selectors.member_groups(council_obj),
            "meetings": selectors.council_meetings(council_obj, year=year),
            "pages": council_tools.public_pages(),
            "documents": council_tools.public_documents(council_obj),
            "follow": council_tools.follow_form(),
        },
    )


@public_page
def municipality_detail(request: HttpRequest, municipality: str) -> HttpResponse:
    """A municipality's public page: its councils, each with its latest approved minutes and
    their PDF, and the link to its anslagstavla with the number of current announcements.
    Three queries whatever the number of councils."""
    municipality_obj = get_object_or_404(Municipality, slug=municipality)
    return render(
        request,
        "minutes/municipality_detail.html",
        {
            "municipality": municipality_obj,
            "councils": selectors.municipality_councils(municipality_obj),
            "announcements_up": noticeboard.current_count(municipality_obj, timezone.localdate()),
        },
    )


@public_page
def noticeboard_page(request: HttpRequest, municipality: str) -> HttpResponse:
    """The municipality's anslagstavla (Kommunallagen 8 kap. 9–12 §§): the announcements up
    today, newest first, and the latest taken down. Three queries whatever their number."""
    municipality_obj = get_object_or_404(Municipality, slug=municipality)
    today = timezone.localdate()
    up = noticeboard.current(municipality_obj, today)
    down = noticeboard.archived(municipality_obj, today)[: noticeboard.ARCHIVE_ON_PAGE + 1]
    down = noticeboard.lines(municipality_obj, down)
    return render(
        request,
        "minutes/noticeboard.html",
        {
            "municipality": municipality_obj,
            "today": today,
            "current": noticeboard.cards(noticeboard.lines(municipality_obj, up), today),
            "archive": noticeboard.cards(down[: noticeboard.ARCHIVE_ON_PAGE], today),
            "more_in_archive": len(down) > noticeboard.ARCHIVE_ON_PAGE,
            "follow": council_tools.follow_form(),
        },
    )


@public_page(params=("sida",))
def noticeboard_archive(request: HttpRequest, municipality: str) -> HttpResponse:
    """The anslagstavla's archive: the announcements taken down or withdrawn, the latest taken
    down first, a page at a time (``?sida=2``). Three queries."""
    municipality_obj = get_object_or_404(Municipality, slug=municipality)
    today = timezone.localdate()
    page = noticeboard.archive_page(municipality_obj, today, request.GET.get("sida"))
    return render(
        request,
        "minutes/noticeboard_archive.html",
        {"municipality": municipality_obj, "today": today, "page": page},
    )


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


@public_page(params=("q", "kommun", "rad", "sida"))
def search_page(request: HttpRequest) -> HttpResponse:
    """Full-text search over the public text of approved minutes, for everyone; optionally within
    one council (``kommun`` and ``rad``; anything else searches everywhere). At most four
    queries."""
    query = request.GET.get("q", "")[:200]
    council_obj = None
    municipality, council = request.GET.get("kommun", ""), request.GET.get("rad", "")
    if _SLUG.fullmatch(municipality) and _SLUG.fullmatch(council):
        council_obj = (
            Council.objects.select_related("municipality")
            .filter(municipality__slug=municipality, slug=council)
            .first()
        )
    try:
        page = int(request.GET.get("sida", "1"))
    except ValueError:
        page = 1
    results = search.search(query, council=council_obj, page=page)
    return render(
        request,
        "minutes/search.html",
        {
            "query": query,
            "council": council_obj,
            "results": results,
            "follow": council_tools.follow_form() if results.words else None,
        },
    )


def approved_pdf(
    request: HttpRequest,
    municipality: str,
    council: str,
    meeting_id: int,
    revision: int | None = None,
) -> HttpResponse:
    """An approved PDF by the meeting's id: the current one, or an earlier (superseded)
    revision by its number. Redirects to the immutable file; one query."""
    revisions = ApprovedRevision.objects.filter(
        minutes__meeting_id=meeting_id,
        minutes__meeting__council__slug=council,
        minutes__meeting__council__municipality__slug=municipality,
    )
    if revision is not None:
        revisions = revisions.filter(minutes__revision=revision)
    return _redirect_to_published(revisions)


def _redirect_to_published(revisions) -> HttpResponse:
    """Redirect to the immutable published file of the newest of ``revisions``; a copy whose
    publication was withdrawn answers 410 with the reason. Never a new rendering."""
    stored = (
        revisions.select_related("minutes__meeting__council__municipality", "withdrawal")
        .order_by("-minutes__revision")
        .first()
    )
    if stored is None:
        raise Http404(_("Det finns inga godkända minnesanteckningar här."))
    if publication.is_withdrawn(stored):
        return _withdrawn(stored.withdrawal.reason)
    response = HttpResponseRedirect(publication.published_url(stored))
    response["Cache-Control"] = STABLE_CACHE
    return response


# A readable address may come to mean a corrected revision: cached briefly, unlike the file.
STABLE_CACHE = "public, max-age=300"


def _withdrawn(reason: str) -> HttpResponse:
    return HttpResponse(
        _("Den publicerade kopian har dragits tillbaka: %(reason)s") % {"reason": reason},
        status=410,
        content_type="text/plain; charset=utf-8",
    )


def _day(date: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(date)
    except ValueError:
        raise Http404(_("Ogiltigt datum.")) from None


def _meetings_on(municipality: str, council: str, date: str):
    """The council's first meeting that day, as a one-row queryset (a subquery for others)."""
    return (
        Meeting.objects.filter(
            council__municipality__slug=municipality, council__slug=council, date=_day(date)
        )
        .order_by("start_time", "pk")
        .values("pk")[:1]
    )


@public_page
def meeting_detail(
    request: HttpRequest, municipality: str, council: str, date: str
) -> HttpResponse:
    """A meeting's public page: the approved minutes as HTML from the approved revision's public
    snapshot, the PDF with its size and SHA-256, and earlier (superseded) or withdrawn copies.
    Drafts are never shown; before approval, the agenda and public documents of the notice
    once it is sent. Three queries, four before approval."""
    council_obj = access.get_public_council(municipality, council)
    meeting = Meeting.objects.filter(pk__in=_meetings_on(municipality, council, date)).first()
    if meeting is None:
        moved = selectors.moved_meeting_date(municipality, council, _day(date))
        if moved is not None:
            # temporary: a later correction, or a new meeting, may take the date again
            return HttpResponseRedirect(
                reverse("minutes:meeting", args=[municipality, council, moved.isoformat()])
            )
        raise Http404(_("Rådet hade inget möte den dagen."))
    revisions = list(
        ApprovedRevision.objects.filter(minutes__meeting=meeting)
        .select_related("minutes", "withdrawal")
        .order_by("-minutes__revision")
    )
    current = revisions[0] if revisions else None
    withdrawal = current.withdrawal if current and publication.is_withdrawn(current) else None
    # before the minutes are approved: the agenda of the latest notice, once one is sent
    notice = None if current else meeting.latest_notice()
    docs_base = reverse("minutes:meeting", args=[municipality, council, date]) + "handlingar/"
    with translation.override("sv"):
        # the record's document links, in the fragment every language's page shares (cached)
        record_docs_base = (
            reverse("minutes:meeting", args=[municipality, council, date]) + "handlingar/"
        )
    # a justerat protokoll's published extracts, linked from their §§ (a nämnd's only)
    extracts = (
        [
            {
                "paragraph": e.paragraph,
                "label": e.label,
                "url": publication.url_for(publication.extract_published_name(e)),
                "size": e.pdf_size,
                "sha256": e.pdf_sha256,
            }
            for e in publication.public_extracts(current)
        ]
        if current and not withdrawal and council_obj.numbers_paragraphs
        else []
    )
    # before the protokoll is justerat: its §§ justerade at once, public already (and announced)
    at_once = (
        list(
            Extract.objects.filter(minutes__meeting=meeting, immediate=True, is_public=True)
            .exclude(pdf_name="")
            .select_related("minutes__meeting__council__municipality")
            .order_by("paragraph")
        )
        if current is None and council_obj.numbers_paragraphs
        else []
    )
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "extracts": extracts,
            "at_once": [
                {
                    "extract": e,
                    "url": publication.url_for(publication.extract_published_name(e)),
                }
                for e in at_once
            ],
            "council": council_obj,
            "meeting": meeting,
            "current": current,
            "withdrawal": withdrawal,
            "doc": MinutesSnapshot.from_dict(current.snapshot)
            if current and not withdrawal
            else None,
            "earlier": revisions[1:],
            "pdf_url": publication.readable_url(municipality, council, meeting.date),
            "docs_base": docs_base,
            "record_docs_base": record_docs_base,
            "notice": NoticeSnapshot.from_dict(notice.snapshot) if notice else None,
            "notice_number": notice.number if notice else 0,
            "notice_sent": notice.sent_at if notice else None,
            "notice_size": notice.pdf_size if notice else None,
        },
    )


def meeting_pdf(
    request: HttpRequest, municipality: str, council: str, date: str, filename: str
) -> HttpResponse:
    """The stable, readable address of a meeting's current public PDF: a redirect to its
    immutable file, in one query."""
    day = _day(date)
    if filename != publication.file_name(municipality, council, day):
        raise Http404(_("Filen finns inte."))
    current = selectors.current_public_pdf(municipality, council, day)
    if current is None:
        moved = selectors.moved_meeting_date(municipality, council, day)
        if moved is not None:  # temporary, as the page's
            return HttpResponseRedirect(publication.readable_url(municipality, council, moved))
        raise Http404(_("Det finns inga godkända minnesanteckningar här."))
    if current.withdrawal_reason is not None:
        return _withdrawn(current.withdrawal_reason)
    name = publication.name_for(current.sha256, municipality, council, day, current.revision)
    response = HttpResponseRedirect(publication.url_for(name))
    response["Cache-Control"] = STABLE_CACHE
    return response


def council_calendar(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """The council's coming meetings as an iCalendar feed, each event linking to its page."""
    council_obj = access.get_public_council(municipality, council)
    meetings = (
        Meeting.objects.filter(council=council_obj, date__gte=timezone.localdate())
        .annotate(notice_sent=Exists(Notice.objects.filter(meeting=OuterRef("pk"))))
        .order_by("date")[:100]
    )
    domain = ical.uid_domain()
    events = []
    for meeting in meetings:
        page = request.build_absolute_uri(
            reverse("minutes:meeting", args=[municipality, council, f"{meeting.date:%Y-%m-%d}"])
        )
        events.append(
            {
                "uid": f"meeting-{meeting.pk}@{domain}",
                "summary": f"{council_obj.name}: möte",
                "date": meeting.date,
                "start": meeting.start_time,
                "end": meeting.end_time,
                "stamp": meeting.updated_at,
                "place": meeting.place,
                "url": page,
                "description": f"Kallelse och dagordning: {page}" if meeting.notice_sent else "",
            }
        )
    name = f"{council_obj.name}, {council_obj.municipality.name}"
    response = HttpResponse(
        ical.meeting_calendar(name, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{municipality}-{council}.ics"'
    return response
