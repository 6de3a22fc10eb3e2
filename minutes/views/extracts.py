"""The staff's pages of a justerat protokoll's extracts: the members' download of an extract
(the internal PDF when the § is confidential) and the secretary's expediering of it by
e-mail to the §'s recipients."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import audit
from councils.access import Need
from minutes import services
from minutes.models import Extract
from minutes.services import expediering
from minutes.views.downloads import storage_failure_is_503, stored_file_response
from minutes.views.loading import MeetingPage, load_meeting


class _Missing(Exception):
    pass


def _extract(page: MeetingPage, extract_id: int) -> Extract:
    extract = (
        Extract.objects.select_related("minutes__meeting__council__municipality")
        .filter(pk=extract_id, minutes__meeting=page.meeting)
        .first()
    )
    if extract is None:
        raise _Missing
    return extract


def _missing(request: HttpRequest, page: MeetingPage) -> HttpResponse:
    """404 that says why: the extracts are made by the task worker after the justering."""
    return render(
        request, "minutes/drafting/extract_missing.html", {"back_url": page.url}, status=404
    )


@login_required
@require_GET
@storage_failure_is_503
def extract_pdf(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, extract_id: int
) -> HttpResponse:
    """An extract for the council's members: the internal PDF (confidential parts in full)
    when there is one, from the private storage, else the public one."""
    page = load_meeting(request, municipality, council, meeting_id)
    try:
        extract = _extract(page, extract_id)
    except _Missing:
        return _missing(request, page)
    if extract.internal_pdf_name:
        audit.record("extract.internal_pdf_read", request=request, obj=page.meeting)
        return stored_file_response(
            request,
            storage="private",
            name=extract.internal_pdf_name,
            sha256=extract.internal_pdf_sha256,
            filename=f"intern-{extract.file_name}",
            cache="private, no-store",
            missing=_("Utdragets PDF saknas i arkivet."),
        )
    return stored_file_response(
        request,
        storage="default",
        name=extract.pdf_name,
        sha256=extract.pdf_sha256,
        filename=extract.file_name,
        cache="private, no-store",
        missing=_("Utdragets PDF saknas i arkivet."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def extract_send(
    request: HttpRequest, municipality: str, council: str, meeting_id: int, extract_id: int
) -> HttpResponse:
    """Expediering: the secretary sends the extract to the §'s recipients, an address each."""
    page = load_meeting(
        request, municipality, council, meeting_id, need=Need.EDIT, action="extract.send"
    )
    try:
        extract = _extract(page, extract_id)
    except _Missing:
        return _missing(request, page)
    recipients = expediering.recipients_of(extract)
    entered = [r.email for r in recipients]
    error = ""
    if request.method == "POST":
        entered = [request.POST.get(f"email_{n}", "").strip()[:254] for n in range(len(recipients))]
        try:
            sent = expediering.extract_send(
                extract=extract,
                addresses={r.name: email for r, email in zip(recipients, entered, strict=True)},
                actor=request.user,
                request=request,
            )
        except (services.InvalidInput, services.NotAllowed) as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _("Utdraget %(label)s skickas till %(who)s.")
                % {"label": extract.label, "who": ", ".join(d.recipient for d in sent)},
            )
            return redirect(page.url + "#utdrag")
    return render(
        request,
        "minutes/drafting/extract_send.html",
        {
            "page": page,
            "meeting": page.meeting,
            "extract": extract,
            "rows": list(zip(recipients, entered, strict=True)),
            "error": error,
        },
        status=400 if error else 200,
    )
