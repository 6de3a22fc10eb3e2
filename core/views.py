import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

ACCESSIBILITY_UPDATED = datetime.date(2026, 11, 27)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check: JSON for the editor's requests (so that it can fetch a fresh token
    and try again), a Swedish page in the site's layout for everything else."""
    wants_json = "application/json" in request.headers.get("Accept", "") or (
        request.content_type == "application/json"
    )
    if wants_json:
        return JsonResponse(
            {"error": "Sidans säkerhetsnyckel har gått ut; försöker igen.", "csrf": True},
            status=403,
        )
    return render(request, "core/csrf_failure.html", status=403)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tillgänglighetsredogörelse, DOS-lagen), with where to report
    problems: ``ACCESSIBILITY_CONTACT``."""
    return render(
        request,
        "core/accessibility.html",
        {"contact": settings.ACCESSIBILITY_CONTACT, "updated": ACCESSIBILITY_UPDATED},
    )
