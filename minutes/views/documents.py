"""Serving an item's documents: never by the web server, always through these checks, and as
attachments that a browser does not open or sniff."""

from __future__ import annotations

from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from councils import access
from minutes import documents as kinds
from minutes import publication
from minutes.models import ApprovedRevision, ItemDocument, Meeting
from minutes.snapshot import MinutesSnapshot


def document_response(document: ItemDocument, filename: str, *, cache: str) -> HttpResponse:
    """The file as a download under its readable name (any other name is not found), with the
    type it was found to be, ``attachment``, ``nosniff`` and a sandbox for good measure."""
    kind = kinds.KINDS.get(document.content_type)
    if kind is None or filename != kinds.download_name(document.title, kind):
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
    items in its current approved revision, unless that publication was withdrawn."""
    current = (
        ApprovedRevision.objects.filter(minutes__meeting=meeting)
        .select_related("withdrawal")
        .order_by("-minutes__revision")
        .first()
    )
    if current is None or publication.is_withdrawn(current):
        return set()
    doc = MinutesSnapshot.from_dict(current.snapshot)
    return {d.id for item in doc.items for d in item.public_documents}


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
    if document is None or document.pk not in public_document_ids(document.item.minutes.meeting):
        raise Http404(_("Det finns ingen offentlig handling med det numret."))
    return document_response(document, filename, cache="public, max-age=300")
