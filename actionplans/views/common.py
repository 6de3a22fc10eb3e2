"""What the action plan views share: rights from councils.access (404 outside the council, 403
for a member who may not edit), a plan or report of a year loaded for its editors, the 409 for
a change the document's state does not allow, and an adopted report's frozen PDF."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplans import services
from actionplans.models import ActionPlan, AnnualReport
from councils import access
from councils.models import Council
from minutes.services import stored_file_exists
from minutes.views.downloads import stored_file_response


def frozen_as_conflict(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A change the document's state does not allow (an adopted plan's goals, an item in
    minutes under approval) is a 409 with the page that says why, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.PlanFrozen as error:
            return render(request, "actionplans/frozen.html", {"message": str(error)}, status=409)

    return wrapper


def editable_council(request: HttpRequest, municipality: str, council: str, action: str) -> Council:
    """The council whose plans and reports the user may edit, or 404/403 (and an audit row)."""
    rights = access.get_council_for_member(request, municipality, council)
    access.require(request, rights.can_edit_minutes, action=action, obj=rights.council)
    return rights.council


def year_document[D: (ActionPlan, AnnualReport)](
    model: type[D], request: HttpRequest, municipality: str, council: str, year: int, action: str
) -> D:
    """The council's plan or report of ``year``, for those who may edit it."""
    council_obj = editable_council(request, municipality, council, action)
    return get_object_or_404(
        model.objects.select_related("council__municipality"), council=council_obj, year=year
    )


def year_url(name: str, document: ActionPlan | AnnualReport) -> str:
    """The URL ``name`` (``plans:plan``, ``plans:report``) of the document's page."""
    council = document.council
    return reverse(name, args=[council.municipality.slug, council.slug, document.year])


def stored_report_pdf(
    request: HttpRequest, report: AnnualReport, name: str, *, cache: str
) -> HttpResponse:
    """The frozen PDF of an adopted report. A file lost from the storage (a restore without
    the files) is rendered again from the report, and stored back only when the bytes are
    exactly the adopted ones; when they are not, a 404 that says why in Swedish."""
    missing = _("Verksamhetsberättelsens PDF saknas i arkivet.")
    if not stored_file_exists("default", report.pdf_name):
        try:
            services.report_restore_pdf(report)
        except services.ReportNotReproducible as error:
            return HttpResponse(str(error), status=404, content_type="text/plain; charset=utf-8")
    return stored_file_response(
        request,
        storage="default",
        name=report.pdf_name,
        sha256=report.pdf_sha256,
        filename=name,
        cache=cache,
        missing=missing,
    )
