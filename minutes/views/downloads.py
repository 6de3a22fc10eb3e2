"""Serving an item's documents: never by the web server, always through these checks, and as
attachments that a browser does not open or sniff."""

from __future__ import annotations

import functools
import logging

from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from councils import access
from minutes import publication, services
from minutes.models import ApprovedRevision, ItemDocument, Meeting, Notice
from minutes.notices import NoticeSnapshot
from minutes.pdf import RenderError, render_notice_pdf
from minutes.snapshot import MinutesSnapshot

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


def document_response(document: ItemDocument, filename: str, *, cache: str) -> HttpResponse:
    """The file as a download under its readable name (any other name is not found), with the
    type it was found to be, ``attachment``, ``nosniff`` and a sandbox for good measure."""
    if filename != document.download_name:
        raise Http404(_("Handlingen finns inte under det namnet."))
    storage = storages[document.storage]
    if not storage.exists(document.file_name):
        raise Http404(_("Handlingens fil saknas i arkivet."))
    response = FileResponse(
        storage.open(document.file_name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = cache
    response["ETag"] = f'"{document.sha256}"'
    return response


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
    notice = latest_notice(meeting)
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
    """A public document of a meeting, for everyone."""
    council_obj = access.get_public_council(municipality, council)
    document = (
        ItemDocument.objects.select_related("item__minutes__meeting")
        .filter(
            pk=document_id,
            item__minutes__meeting__council=council_obj,
            item__minutes__meeting__date=date,
        )
        .first()
    )
    if (
        document is None
        or not (document.is_public and document.item.is_public)
        or document.pk not in public_document_ids(document.item.minutes.meeting)
    ):
        raise Http404(_("Det finns ingen offentlig handling med det numret."))
    return document_response(document, filename, cache="public, max-age=300")


def rendered_pdf_response(render, filename: str, *, cache: str) -> HttpResponse:
    """``render()``'s PDF shown inline under ``filename``; a render that fails (too slow, too
    big) is a 503 that says why in Swedish."""
    try:
        pdf = render()
    except RenderError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


def notice_response(notice: Notice, *, internal: bool, cache: str) -> HttpResponse:
    """A notice as PDF, rendered from what was sent: the same notice gives the same bytes."""
    snapshot = NoticeSnapshot.from_dict(notice.snapshot)
    council = notice.meeting.council
    name = f"kallelse-{council.municipality.slug}-{council.slug}-{notice.meeting.date:%Y-%m-%d}.pdf"
    return rendered_pdf_response(
        lambda: render_notice_pdf(snapshot, changes=notice.changes, internal=internal),
        name,
        cache=cache,
    )


def latest_notice(meeting: Meeting) -> Notice | None:
    return meeting.notices.order_by("-number").first()


def meeting_notice_pdf(
    request: HttpRequest, municipality: str, council: str, date: str
) -> HttpResponse:
    """A coming meeting's notice, for everyone (no internal documents, no confidential titles)."""
    council_obj = access.get_public_council(municipality, council)
    notice = (
        Notice.objects.select_related("meeting__council__municipality")
        .filter(meeting__council=council_obj, meeting__date=date)
        .order_by("-number")
        .first()
    )
    if notice is None:
        raise Http404(_("Ingen kallelse är skickad till mötet."))
    return notice_response(notice, internal=False, cache="public, max-age=300")
