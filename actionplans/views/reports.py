"""The secretaries' annual report pages: assembling a year's report, editing and reassembling
it, and its PDF (a preview marked UTKAST, or the frozen file once adopted)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actionplans import pdf, selectors, services
from actionplans.forms import ReportCreateForm, ReportForm
from actionplans.models import AnnualReport
from actionplans.views.common import (
    editable_council,
    frozen_as_conflict,
    stored_report_pdf,
    year_document,
    year_url,
)
from minutes.views.downloads import rendered_pdf_response, storage_failure_is_503


def _report(request, municipality, council, year, action) -> AnnualReport:
    return year_document(AnnualReport, request, municipality, council, year, action)


def _report_url(report: AnnualReport) -> str:
    return year_url("plans:report", report)


@login_required
@require_POST
def report_add(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    council_obj = editable_council(request, municipality, council, "annualreport.create")
    form = ReportCreateForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_create(
                council=council_obj,
                year=form.cleaned_data["year"],
                actor=request.user,
                request=request,
            )
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Verksamhetsberättelsen är sammanställd. Lägg till en inledning och läs igenom."),
            )
            return redirect(_report_url(report))
    else:
        messages.error(request, _("Ange ett år med fyra siffror."))
    return redirect(reverse("plans:list", args=[municipality, council]))


@frozen_as_conflict
@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, municipality: str, council: str, year: int) -> HttpResponse:
    report = _report(request, municipality, council, year, "annualreport.edit")
    form = ReportForm(request.POST or None, instance=report)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_update(
                    report=report,
                    title=form.cleaned_data["title"],
                    introduction=form.cleaned_data["introduction"],
                    body=form.cleaned_data["body"],
                    actor=request.user,
                    request=request,
                )
            except services.PlanFrozen:
                raise
            except services.PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Verksamhetsberättelsen är sparad."))
                return redirect(_report_url(report))
        status = 400
    return render(
        request,
        "actionplans/report_edit.html",
        {
            "report": report,
            "council": report.council,
            "form": form if not report.is_adopted else None,
            "adoption": selectors.report_adoption(report),
        },
        status=status,
    )


@frozen_as_conflict
@login_required
@require_POST
def report_reassemble(
    request: HttpRequest, municipality: str, council: str, year: int
) -> HttpResponse:
    report = _report(request, municipality, council, year, "annualreport.reassemble")
    services.report_reassemble(report=report, actor=request.user, request=request)
    messages.success(request, _("Texten är sammanställd på nytt ur mötena och handlingsplanen."))
    return redirect(_report_url(report))


@login_required
@require_GET
@storage_failure_is_503
def report_draft_pdf(
    request: HttpRequest, municipality: str, council: str, year: int
) -> HttpResponse:
    """The report for its editors: the frozen PDF once adopted, else a preview marked UTKAST."""
    report = _report(request, municipality, council, year, "annualreport.pdf")
    name = selectors.file_name(report.council, "verksamhetsberattelse", report.year)
    if report.is_adopted:
        return stored_report_pdf(request, report, name, cache="private, no-store")
    return rendered_pdf_response(
        lambda: pdf.report_pdf(report, adopted_on=None, draft=True),
        name,
        cache="private, no-store",
    )
