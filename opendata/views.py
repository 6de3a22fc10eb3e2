"""The "Öppna data" page, and the published export for the embedded set-up."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from councils import access
from councils.models import CC0
from councils.selectors import municipalities_with_councils
from minutes import publication
from minutes.views.downloads import IMMUTABLE, storage_failure_is_503, stored_file_response
from opendata import build, export
from opendata.models import OpenDataExport


@require_safe
def page(
    request: HttpRequest, municipality: str | None = None, council: str | None = None
) -> HttpResponse:
    """What is open, where: the API, the feeds of each council, the whole archive as one file,
    and the licence each municipality gives (three queries); about one council first, with its
    own addresses, when the council's page links here (four)."""
    focus = access.get_public_council(municipality, council) if council else None
    latest = export.latest()
    return render(
        request,
        "opendata/page.html",
        {
            "cc0": CC0,
            "focus": focus,
            "focus_api": build.api_url("organization", str(focus.pk)) if focus else "",
            "municipalities": municipalities_with_councils(),
            "api": build.api_url("system"),
            "site": build.site(),
            "export": latest,
            "export_url": export.url_of(latest) if latest else "",
        },
    )


@require_safe
@storage_failure_is_503
def export_file(request: HttpRequest, sha256: str, filename: str) -> HttpResponse:
    """A published export's zip archive, for the embedded set-up (in production the front web
    server serves the published storage itself)."""
    name = f"oppna-data/{sha256}/{filename}"
    if not OpenDataExport.objects.filter(name=name).exists():
        raise Http404(_("Filen finns inte."))
    return stored_file_response(
        request,
        storage=publication.STORAGE,
        name=name,
        sha256=sha256,
        filename=filename,
        cache=IMMUTABLE,
        content_type="application/zip",
        attachment=True,
    )
