"""The public action plan pages: a council's adopted plans and reports, a plan's page and the
PDFs under their readable names."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actionplans import pdf, selectors
from actionplans.views.common import stored_report_pdf
from councils import access
from minutes.views.downloads import rendered_pdf_response, storage_failure_is_503


def public_list(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """The council's adopted plans and annual reports, for everyone: three queries."""
    council_obj = access.get_public_council(municipality, council)
    reports = list(selectors.public_reports(council_obj))
    for report in reports:
        name = selectors.file_name(council_obj, "verksamhetsberattelse", report.year)
        report.public_url = reverse(
            "plans_public:report_pdf", args=[municipality, council, report.year, name]
        )
    return render(
        request,
        "actionplans/public_list.html",
        {
            "council": council_obj,
            "plans": list(selectors.public_plans(council_obj)),
            "reports": reports,
        },
    )


def public_plan(request: HttpRequest, municipality: str, council: str, year: int) -> HttpResponse:
    """A plan's goals, activities, status and follow-ups, with how far each goal has come and
    the meetings that adopted it: six queries whatever the plan's size."""
    council_obj = access.get_public_council(municipality, council)
    found = selectors.public_plan(council_obj, year)
    if found is None:
        raise Http404(_("Rådet har ingen antagen handlingsplan för det året."))
    plan, adoptions, goals = found
    return render(
        request,
        "actionplans/public_plan.html",
        {
            "council": council_obj,
            "plan": plan,
            "adoptions": adoptions,
            "adopted_now": any(a.plan_revision == plan.revision for a in adoptions),
            "goals": goals,
            "pdf_name": selectors.file_name(council_obj, "handlingsplan", plan.year),
        },
    )


@require_GET
def public_plan_pdf(
    request: HttpRequest, municipality: str, council: str, year: int, filename: str
) -> HttpResponse:
    """An adopted plan as PDF under its readable name; any other name is not found."""
    year = int(year)
    council_obj = access.get_public_council(municipality, council)
    plan = selectors.public_plans(council_obj).filter(year=year).first()
    if plan is None or filename != selectors.file_name(council_obj, "handlingsplan", year):
        raise Http404(_("Rådet har ingen antagen handlingsplan för det året."))
    plan.council = council_obj
    return rendered_pdf_response(lambda: pdf.plan_pdf(plan), filename, cache="public, max-age=300")


@require_GET
@storage_failure_is_503
def public_report_pdf(
    request: HttpRequest, municipality: str, council: str, year: int, filename: str
) -> HttpResponse:
    """An adopted annual report: the PDF frozen when it was adopted, under its readable name."""
    year = int(year)
    council_obj = access.get_public_council(municipality, council)
    report = selectors.public_reports(council_obj).filter(year=year).first()
    if report is None or filename != selectors.file_name(
        council_obj, "verksamhetsberattelse", year
    ):
        raise Http404(_("Rådet har ingen antagen verksamhetsberättelse för det året."))
    return stored_report_pdf(request, report, filename, cache="public, max-age=86400")
