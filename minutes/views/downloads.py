"""Every view that hands out a file: the immutable published PDFs, items' documents, the
notices' and the internal minutes' stored PDFs, and the draft's preview. Stored files are
never served by the web server from the archive, always through these checks, by one helper
(``stored_file_response``); a storage that fails is a 503 that says so."""

from __future__ import annotations

import datetime
import functools
import logging
import re

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseGone,
    HttpResponseNotModified,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from config.storage import IMMUTABLE
from core import audit
from councils import access
from minutes import publication, services
from minutes.models import ApprovedRevision, Extract, ItemDocument, Meeting, Minutes, Notice
from minutes.notices import NoticeSnapshot
from minutes.pdf import RenderError, render_minutes_pdf
from minutes.snapshot import MinutesSnapshot, build_snapshot
from minutes.views.loading import load_meeting

logger = logging.getLogger(__name__)


def storage_failure_is_503(view):
    """A download whose storage fails (a lost disk, an object store that does not answer) is a
    503 that says so in Swedish, with Retry-After, instead of a 500."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (services.StorageUnavailable, *services.STORAGE_ERRORS):
            logger.exception("File storage failed on %s", request.path)
            response = HttpResponse(
                _("Filarkivet svarar inte just nu, så filen kan inte hämtas. Försök igen om en "
                  "stund."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )  # fmt: skip
            response["Retry-After"] = "60"
            return response

    return wrapped


# A single range of bytes: "bytes=0-1023", "bytes=1024-" or the last bytes, "bytes=-500". The
# digits are bounded (18 fit any file and a 64-bit offset): a longer run is nonsense, answered
# with the whole file, and would make int() refuse (more than 4300 digits) with a 500.
_RANGE = re.compile(r"^bytes=(?:(\d{1,18})-(\d{0,18})|-(\d{1,18}))$")
_CHUNK = 64 * 1024
UNSATISFIABLE = "unsatisfiable"


def requested_range(request: HttpRequest, size: int, etag: str):
    """The one byte range a GET asks for, as (first, last) inclusive; None for the whole file
    (no Range, a Range this does not answer, or an If-Range that names another version); or
    UNSATISFIABLE. Several ranges are answered with the whole file, which RFC 9110 (14.2)
    allows; nginx would send multipart/byteranges, which PDF viewers do not need."""
    header = request.headers.get("Range")
    if request.method != "GET" or not header:
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        return None  # another version (or a date: these files send no Last-Modified)
    match = _RANGE.match(header.replace(" ", ""))
    if match is None:
        return None  # several ranges, another unit or nonsense: the whole file
    first, last, suffix = match.groups()
    if suffix is not None:
        length = int(suffix)
        if length == 0 or size == 0:
            return UNSATISFIABLE
        return max(0, size - length), size - 1
    first = int(first)
    if first >= size:
        return UNSATISFIABLE
    if last and int(last) < first:
        return None  # "bytes=5-2" is no range (RFC 9110 14.1.1): the whole file
    return first, min(int(last), size - 1) if last else size - 1


def _read_range(file, first: int, last: int):
    try:
        file.seek(first)
        left = last - first + 1
        while left > 0:
            chunk = file.read(min(_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    finally:
        file.close()


def missing_file(request: HttpRequest, storage: str, name: str, message: str = "") -> Http404:
    """The 404 for a file the database names but its storage does not hold, logged as such."""
    logger.error(
        "Stored file missing: %r in storage %r, asked for at %s", name, storage, request.path
    )
    return Http404(message or _("Filen saknas i arkivet."))


def stored_file_response(
    request: HttpRequest,
    *,
    storage: str,
    name: str,
    sha256: str,
    filename: str,
    cache: str,
    content_type: str = "application/pdf",
    attachment: bool = False,
    missing: str = "",
    present: bool = False,
) -> HttpResponse:
    """A stored file under its readable ``filename``: its SHA-256 as the ETag (a client that
    has it gets 304 and no file is opened), the given cache policy and ``nosniff``; shown
    inline, or as an ``attachment`` with a sandbox that a browser cannot run anything in. A
    file that is not in its storage is a 404 that says so (``missing``), logged as missing
    (``verify_documents`` reports it too); only a storage that fails is the 503.

    A single byte range is answered with 206 (PDF viewers fetch large files in parts), an
    unsatisfiable one with 416, as nginx answers in production. A 304 carries the headers of
    the 200 (a cache merges them into its stored copy) but those of the body: the same
    Content-Security-Policy, or none for a PDF shown inline. A caller that has just made sure
    the file is there says so (``present``) and the storage is not asked twice."""
    if not present and not services.stored_file_exists(storage, name):
        raise missing_file(request, storage, name, missing)
    etag = f'"{sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        file = storages[storage].open(name, "rb")
        size = file.size
        byte_range = requested_range(request, size, etag)
        if byte_range is None:
            response = FileResponse(file, content_type=content_type)
        elif byte_range == UNSATISFIABLE:
            file.close()
            response = HttpResponse(
                _("Den begärda delen av filen finns inte: filen är {size} byte.").format(size=size),
                status=416,
                content_type="text/plain; charset=utf-8",
            )
            response["Content-Range"] = f"bytes */{size}"
        else:
            first, last = byte_range
            response = StreamingHttpResponse(
                _read_range(file, first, last), status=206, content_type=content_type
            )
            response["Content-Length"] = str(last - first + 1)
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    if attachment or content_type != "application/pdf":
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    else:
        # the page policy stays off a PDF shown inline (core.middleware.PolicyMiddleware), and
        # off its 304, which has no Content-Type to tell it by
        response._csp_config = {}
        response._csp_ro_config = {}
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


def rendered_pdf_response(render, filename: str, *, cache: str) -> HttpResponse:
    """``render()``'s PDF shown inline under ``filename``, for what is not frozen yet (a draft);
    a render that fails (too slow, too big) is a 503 that says why in Swedish."""
    try:
        pdf = render()
    except RenderError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Published minutes ------------------------------------------------------------------------------


@require_safe
@storage_failure_is_503
def published_file(request: HttpRequest, sha256: str, filename: str) -> HttpResponse:
    """An immutable published PDF, for the embedded set-up (in production the front web server
    serves the published storage itself, with the same headers). No query when the file is
    there; one that republishes it when a restore or a failed publication left it missing.
    Shown inline; with ?download=1 (OParl's downloadUrl) as an attachment to save."""
    name = f"{sha256}/{filename}"
    if not services.stored_file_exists(publication.STORAGE, name):
        stored = _published_revision(sha256, filename)
        if stored is not None:
            if not services.stored_file_exists("default", stored.pdf_name):
                raise missing_file(request, "default", stored.pdf_name)
            publication.publish(stored)
        else:
            extract = _published_extract(sha256, filename)
            if extract is None:
                raise Http404(_("Filen finns inte."))
            if not services.stored_file_exists("default", extract.pdf_name):
                raise missing_file(request, "default", extract.pdf_name)
            publication.publish_extract(extract)
    return stored_file_response(
        request,
        storage=publication.STORAGE,
        name=name,
        sha256=sha256,
        filename=filename,
        cache=IMMUTABLE,
        attachment=request.GET.get(publication.DOWNLOAD) == "1",
        present=True,
    )


def _published_revision(sha256: str, filename: str) -> ApprovedRevision | None:
    """The public revision a published address names, if any (the same bytes may be shared by
    several meetings' revisions, so the date and revision number in the name narrow it)."""
    named = publication.parse_file_name(filename)
    if named is None:
        return None
    # the date is the one the PDF states, which a correction may have changed since
    candidates = ApprovedRevision.objects.filter(
        pdf_sha256=sha256,
        minutes__revision=named.revision,
        withdrawal__isnull=True,
    ).select_related("minutes__meeting__council__municipality", "withdrawal")
    name = f"{sha256}/{filename}"
    return next((r for r in candidates if publication.published_name(r) == name), None)


def _published_extract(sha256: str, filename: str) -> Extract | None:
    """The public extract (protokollsutdrag) a published address names, if any, unless the
    publication of its protokoll was withdrawn."""
    if not filename.endswith(".pdf") or "-paragraf-" not in filename:
        return None
    candidates = (
        Extract.objects.filter(pdf_sha256=sha256, is_public=True)
        .exclude(pdf_name="")
        .select_related("minutes__meeting__council__municipality")
    )
    name = f"{sha256}/{filename}"
    found = next((e for e in candidates if publication.extract_published_name(e) == name), None)
    if found is None or publication.extract_is_withdrawn(found):
        return None
    return found


# --- Items' documents -------------------------------------------------------------------------------


def document_response(
    request: HttpRequest,
    document: ItemDocument,
    filename: str,
    *,
    cache: str,
    attachment: bool = True,
) -> HttpResponse:
    """The file as a download under its readable name (any other name is not found), with the
    type it was found to be, ``attachment``, ``nosniff`` and a sandbox for good measure; or,
    not as an ``attachment``, for a browser to show (OParl's accessUrl, below)."""
    if filename != document.download_name:
        raise Http404(_("Handlingen finns inte under det namnet."))
    return stored_file_response(
        request,
        storage=document.storage,
        name=document.file_name,
        sha256=document.sha256,
        filename=filename,
        cache=cache,
        content_type=document.content_type,
        attachment=attachment,
        missing=_("Handlingens fil saknas i arkivet."),
    )


def public_document_ids(meeting: Meeting) -> set[int]:
    """The documents the public may download for a meeting: the public documents of public
    items in its current approved revision, unless that publication was withdrawn; before the
    minutes are approved, those of the latest notice sent (offentlighetsprincipen)."""
    current = (
        ApprovedRevision.objects.filter(minutes__meeting=meeting)
        .select_related("withdrawal")
        .order_by("-minutes__revision")
        .first()
    )
    if current is not None:
        if publication.is_withdrawn(current):
            return set()
        doc = MinutesSnapshot.from_dict(current.snapshot)
        return {d.id for item in doc.items for d in item.public_documents}
    notice = meeting.latest_notice()
    if notice is None:
        return set()
    return {
        d.id
        for item in NoticeSnapshot.from_dict(notice.snapshot).items
        for d in item.public_documents
    }


@storage_failure_is_503
def meeting_document(
    request: HttpRequest,
    municipality: str,
    council: str,
    date: str,
    document_id: int,
    filename: str,
) -> HttpResponse:
    """A public document of a meeting, for everyone; under the date a correction moved the
    meeting from, a (temporary) redirect to its address under the meeting's date now."""
    council_obj = access.get_public_council(municipality, council)
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:
        raise Http404(_("Ogiltigt datum.")) from None
    # by its number within the council, whatever the date: a document belongs to one meeting
    document = (
        ItemDocument.objects.select_related("item__minutes__meeting")
        .filter(pk=document_id, item__minutes__meeting__council=council_obj)
        .first()
    )
    missing = _("Det finns ingen offentlig handling med det numret.")
    if document is None or not (document.is_public and document.item.is_public):
        raise Http404(missing)
    meeting = document.item.minutes.meeting
    if meeting.date != day:
        # the meeting's own approved record once stated the date asked for: it moved from there
        if not ApprovedRevision.objects.filter(
            minutes__meeting=meeting, snapshot__meeting_date=day.isoformat()
        ).exists():
            raise Http404(missing)
        return HttpResponseRedirect(
            reverse(
                "minutes:document",
                args=[municipality, council, meeting.date.isoformat(), document_id, filename],
            )
        )
    if document.pk not in public_document_ids(meeting):
        raise Http404(missing)
    # the site's links download it; ?inline=1 is OParl's accessUrl, which must not be an
    # attachment (OParl 1.1, 2.8 "Dateizugriffe"): shown, still with nosniff and, unless a
    # PDF, the sandbox
    return document_response(
        request,
        document,
        filename,
        cache="public, max-age=300",
        attachment=request.GET.get(publication.INLINE) != "1",
    )


@login_required
@require_GET
@storage_failure_is_503
def document_download(
    request: HttpRequest,
    municipality: str,
    council: str,
    meeting_id: int,
    document_id: int,
    filename: str,
) -> HttpResponse:
    """Any document of the meeting, public or internal, for the council's members."""
    rights = access.get_council_for_member(request, municipality, council)
    document = get_object_or_404(
        ItemDocument.objects.select_related("item"),
        pk=document_id,
        item__minutes__meeting_id=meeting_id,
        item__minutes__meeting__council=rights.council,
    )
    return document_response(request, document, filename, cache="private, no-store")


# --- Notices ------------------------------------------------------------------------------------------


def _notice_response(request: HttpRequest, notice: Notice, *, internal: bool, cache: str):
    """A notice's PDF as it was stored when the notice was sent: never a render."""
    return stored_file_response(
        request,
        storage="private" if internal else "default",
        name=notice.internal_pdf_name if internal else notice.pdf_name,
        sha256=notice.internal_pdf_sha256 if internal else notice.pdf_sha256,
        filename=notice.download_name,
        cache=cache,
        missing=_("Kallelsens PDF saknas i arkivet."),
    )


def _latest_public_notice(municipality: str, council: str, date: str) -> Notice:
    council_obj = access.get_public_council(municipality, council)
    try:
        day = datetime.date.fromisoformat(date)
    except ValueError:  # 2021-02-30 has the form of a date
        raise Http404(_("Ogiltigt datum.")) from None
    notice = (
        Notice.objects.select_related("meeting__council__municipality")
        .filter(meeting__council=council_obj, meeting__date=day)
        .order_by("-number")
        .first()
    )
    if notice is None:
        raise Http404(_("Ingen kallelse är skickad till mötet."))
    return notice


@require_safe
@storage_failure_is_503
def meeting_notice_pdf(
    request: HttpRequest, municipality: str, council: str, date: str
) -> HttpResponse:
    """A coming meeting's notice, for everyone (no internal documents, no confidential titles).
    The address comes to mean an updated notice when one is sent: cached briefly."""
    notice = _latest_public_notice(municipality, council, date)
    return _notice_response(request, notice, internal=False, cache="public, max-age=300")


@require_safe
@storage_failure_is_503
def meeting_notice_sent_pdf(
    request: HttpRequest, municipality: str, council: str, date: str, number: int
) -> HttpResponse:
    """One sent notice by its number (``kallelse-2.pdf``: the first update): always the same
    bytes, for as long as it is the meeting's notice; once an update replaces it, gone (410,
    naming the update's address: OParl's invitation names this address, with the file's
    checksum). With ?download=1 an attachment to save."""
    notice = _latest_public_notice(municipality, council, date)
    if int(number) > notice.number:
        raise Http404(_("Ingen sådan kallelse är skickad till mötet."))
    if int(number) < notice.number:
        current = reverse(
            "minutes:notice_sent_pdf", args=[municipality, council, date, notice.number]
        )
        return HttpResponseGone(
            _("Kallelsen har ersatts av en uppdaterad kallelse: {url}").format(
                url=request.build_absolute_uri(current)
            ),
            content_type="text/plain; charset=utf-8",
        )
    return stored_file_response(
        request,
        storage="default",
        name=notice.pdf_name,
        sha256=notice.pdf_sha256,
        filename=notice.download_name,
        cache="public, max-age=300",
        attachment=request.GET.get(publication.DOWNLOAD) == "1",
        missing=_("Kallelsens PDF saknas i arkivet."),
    )


@login_required
@require_GET
@storage_failure_is_503
def notice_pdf(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The latest notice as the members' PDF (internal documents named too)."""
    page = load_meeting(request, municipality, council, meeting_id, minutes_required=False)
    notice = page.meeting.latest_notice()
    if notice is None:
        raise Http404(_("Ingen kallelse är skickad till mötet."))
    return _notice_response(request, notice, internal=True, cache="private, no-store")


# --- The members' copies of minutes ------------------------------------------------------------------


@login_required
@require_GET
@storage_failure_is_503
def internal_pdf(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The internal copy of approved minutes, with confidential items in full: for the
    council's members only, from the private storage."""
    page = load_meeting(request, municipality, council, meeting_id)
    minutes = page.minutes
    revision = (
        getattr(minutes, "approved_revision", None)
        if minutes.status == Minutes.Status.APPROVED
        else None
    )
    if revision is None or not revision.internal_pdf_name:
        raise Http404(_("Det finns ingen intern version av minnesanteckningarna."))
    audit.record("minutes.internal_pdf_read", request=request, obj=page.meeting)
    return stored_file_response(
        request,
        storage="private",
        name=revision.internal_pdf_name,
        sha256=revision.internal_pdf_sha256,
        filename=f"intern-{municipality}-{council}-{page.meeting.date:%Y-%m-%d}.pdf",
        cache="private, no-store",
        missing=_("Den interna PDF:en saknas i arkivet."),
    )


@login_required
def draft_preview(
    request: HttpRequest, municipality: str, council: str, meeting_id: int
) -> HttpResponse:
    """The draft minutes as the PDF will look, with an UTKAST watermark and no signatures:
    for the council's members only (404 for everyone else)."""
    page = load_meeting(request, municipality, council, meeting_id, minutes_required=False)
    # only the latest revision can be unapproved: a correction starts from approved minutes
    minutes = page.minutes
    if minutes is None or minutes.status == Minutes.Status.APPROVED:
        raise Http404(_("Mötet har inget utkast att förhandsgranska."))
    return rendered_pdf_response(
        lambda: render_minutes_pdf(build_snapshot(minutes), draft=True),
        f"utkast-{municipality}-{council}-{page.meeting.date:%Y-%m-%d}.pdf",
        cache="private, no-store",
    )
