"""The annual report: assembled from the year's meetings and plan, edited by the secretary,
and frozen as a PDF once a meeting's approved minutes adopt it."""

from __future__ import annotations

import datetime
import hashlib
import logging
from html import escape

from django.db import transaction
from django.utils import timezone

from actionplans import selectors
from actionplans.models import ActionPlan, AnnualReport, ItemLink
from actionplans.pdf import report_pdf
from actionplans.services.errors import (
    PlanError,
    PlanFrozen,
    ReportNotReproducible,
    minutes_errors,
)
from core import audit
from core.dates import long_date
from councils.models import Council, Membership
from minutes import services as minutes_services
from minutes.models import Attendance, Meeting, Minutes

logger = logging.getLogger(__name__)


def _people(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def assemble_report(council: Council, year: int) -> str:
    """The report's text from the year's records, as HTML the secretary then edits: the
    meetings held (dates and attendance from their approved minutes), and the plan's goals and
    activities with their status and the follow-ups made at the meetings."""
    meetings = list(Meeting.objects.filter(council=council, date__year=year).order_by("date"))
    approved = {
        m.meeting_id: m
        for m in Minutes.objects.filter(
            meeting__in=meetings, status=Minutes.Status.APPROVED
        ).order_by("meeting_id", "revision")
    }
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Attendance.objects.filter(minutes__in=approved.values())
        .exclude(status=Attendance.Status.ABSENT)
        .values("minutes_id", "membership__role")
    ):
        kind = "rep" if row["membership__role"] == Membership.Role.REPRESENTATIVE else "elected"
        per = counts.setdefault(row["minutes_id"], {"elected": 0, "rep": 0})
        per[kind] += 1
    held = [m for m in meetings if m.date <= timezone.localdate()]
    parts = ["<h3>Rådets möten</h3>"]
    if held:
        dates = ", ".join(f"{m.date.day} {long_date(m.date).split()[1]}" for m in held)
        parts.append(
            f"<p>{escape(council.name)} har haft {_people(len(held), 'möte', 'möten')} under "
            f"{year}: {dates}.</p><ul>"
        )
        for meeting in held:
            minutes = approved.get(meeting.pk)
            if minutes is None:
                parts.append(
                    f"<li>{long_date(meeting.date)}: minnesanteckningarna är inte godkända.</li>"
                )
                continue
            per = counts.get(minutes.pk, {"elected": 0, "rep": 0})
            parts.append(
                f"<li>{long_date(meeting.date)}: "
                f"{_people(per['elected'], 'ledamot', 'ledamöter')} och "
                f"{_people(per['rep'], 'representant', 'representanter')} deltog.</li>"
            )
        parts.append("</ul>")
    else:
        parts.append(f"<p>Rådet har inte haft några möten under {year}.</p>")

    plan = ActionPlan.objects.filter(council=council, year=year).first()
    if plan is None or not selectors.is_adopted(plan):
        parts.append(
            f"<h3>Handlingsplan {year}</h3><p>Rådet har ingen antagen handlingsplan för {year}.</p>"
        )
        return "".join(parts)
    adoption = selectors.adoptions(plan)[0]
    parts.append(
        f"<h3>{escape(plan.title)}</h3><p>Handlingsplanen antogs den "
        f"{long_date(adoption.meeting.date)}. Så här har målen och insatserna följts upp.</p>"
    )
    for progress in selectors.goal_progress(plan, follow_ups=selectors.public_follow_ups()):
        goal = progress.goal
        parts.append(f"<h4>{goal.position}. {escape(goal.title)}</h4>")
        if progress.counted:
            done = "insats genomförd" if progress.counted == 1 else "insatser genomförda"
            parts.append(f"<p>{progress.done} av {progress.counted} {done}.</p>")
        if not progress.activities:
            parts.append("<p>Inga insatser.</p>")
            continue
        parts.append("<ul>")
        for activity in progress.activities:
            line = f"<strong>{escape(activity.title)}</strong> – {activity.get_status_display().lower()}"
            if activity.responsible:
                line += f" ({escape(activity.responsible)})"
            follow = "".join(
                f"<br>{long_date(f.date)}: {escape(f.text)}" for f in activity.follow_ups.all()
            )
            parts.append(f"<li>{line}.{follow}</li>")
        parts.append("</ul>")
    return "".join(parts)


def _check_report_editable(report: AnnualReport) -> None:
    if report.is_adopted:
        raise PlanFrozen("Verksamhetsberättelsen är antagen och kan inte längre ändras.")
    waiting = (
        ItemLink.objects.filter(report=report)
        .exclude(item__minutes__status=Minutes.Status.DRAFT)
        .select_related("item__minutes__meeting")
        .first()
    )
    if waiting is not None:
        raise PlanFrozen(
            "Verksamhetsberättelsen ligger för godkännande i minnesanteckningarna från mötet den "
            f"{long_date(waiting.item.minutes.meeting.date)} och kan inte ändras nu."
        )


@transaction.atomic
def report_create(*, council: Council, year: int, actor, request=None) -> AnnualReport:
    """A year's annual report, its text assembled from the year's meetings and plan."""
    if not 1900 <= year <= 2200:
        raise PlanError("Ange ett år med fyra siffror.")
    if AnnualReport.objects.filter(council=council, year=year).exists():
        raise PlanError(f"Rådet har redan en verksamhetsberättelse för {year}.")
    report = AnnualReport.objects.create(
        council=council,
        year=year,
        title=f"Verksamhetsberättelse {year}",
        body=assemble_report(council, year),
        assembled_at=timezone.now(),
    )
    audit.record("annualreport.created", request=request, actor=actor, obj=report, year=year)
    return report


@transaction.atomic
def report_update(
    *, report: AnnualReport, title: str, introduction: str, body: str, actor, request=None
) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _check_report_editable(report)
    with minutes_errors():
        minutes_services.check_text(title, introduction, body)
    if not title.strip():
        raise PlanError("Verksamhetsberättelsen behöver en titel.")
    report.title = title.strip()[:200]
    report.introduction = introduction.strip()
    report.body = minutes_services.plain_text_to_html(body)
    report.save(update_fields=["title", "introduction", "body", "updated_at"])
    audit.record("annualreport.updated", request=request, actor=actor, obj=report)
    return report


@transaction.atomic
def report_reassemble(*, report: AnnualReport, actor, request=None) -> AnnualReport:
    """Assemble the text anew from the records (the introduction stays)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _check_report_editable(report)
    report.body = assemble_report(report.council, report.year)
    report.assembled_at = timezone.now()
    report.save(update_fields=["body", "assembled_at", "updated_at"])
    audit.record("annualreport.reassembled", request=request, actor=actor, obj=report)
    return report


def report_freeze(
    *, report: AnnualReport, adopted_at: datetime.datetime, adopted_on: datetime.date
) -> AnnualReport:
    """The report adopted by the meeting of ``adopted_on``, whose minutes were approved at
    ``adopted_at``: its PDF rendered once, stored under its SHA-256 like approved minutes, and
    the report closed to change. Runs inside the approval's transaction."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.is_adopted:
        return report
    report.adopted_at = adopted_at
    pdf = report_pdf(report, adopted_on=adopted_on, draft=False)
    stored = minutes_services.store_pdf(pdf, folder="reports")
    report.pdf_name, report.pdf_sha256, report.pdf_size = stored.name, stored.sha256, stored.size
    report.save(update_fields=["adopted_at", "pdf_name", "pdf_sha256", "pdf_size", "updated_at"])
    audit.record("annualreport.adopted", obj=report, sha256=report.pdf_sha256)
    return report


def report_restore_pdf(report: AnnualReport) -> bool:
    """Render an adopted report's PDF again into the storage if it is lost there; only bytes
    with the recorded SHA-256 are stored. Whether the file is there now; when the report renders
    to other bytes now (the renderer changed since the adoption: minutes.pdf.RENDERER_VERSION),
    ``ReportNotReproducible`` with a message that says so, as only a backup brings it back."""
    adoption = selectors.report_adoption(report)
    if not report.is_adopted or adoption is None:
        return False
    pdf = report_pdf(report, adopted_on=adoption.meeting.date, draft=False)
    if hashlib.sha256(pdf).hexdigest() != report.pdf_sha256:
        logger.error("annual report %s: its PDF is missing and renders differently now", report.pk)
        raise ReportNotReproducible(
            f"Den antagna verksamhetsberättelsen {report.year} saknas i filarkivet och kan inte "
            "skapas på nytt: den här versionen av Protokollet ger inte exakt samma fil, byte för "
            "byte, som den som antogs. Den antagna filen måste läsas tillbaka från en "
            "säkerhetskopia."
        )
    minutes_services.store_pdf(pdf, folder="reports")
    logger.warning("annual report %s: its missing PDF was rendered and stored again", report.pk)
    return True
