"""Plans and annual reports as PDF documents in the minutes' house style, rendered by the same
warm, fenced WeasyPrint child as the minutes (PDF/A-2a, tagged, Swedish). The readable names
they are served under come from ``selectors.file_name``."""

from __future__ import annotations

import datetime
import hashlib
import re

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from actionplans import selectors
from actionplans.models import ActionPlan, AnnualReport
from core.dates import long_date
from minutes.pdf import RENDERER_VERSION, css_string, get_renderer

# The body's own headings (h3 and h4, all the rich text allows) sit one level under the
# document's title in the PDF: h2 and h3.
_HEADING = re.compile(r"<(/?)h([34])>")


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def _html(template: str, context: dict, *, header: str) -> str:
    with translation.override("sv"):
        return render_to_string(
            template,
            {**context, "header_css": mark_safe(css_string(header))},  # noqa: S308 (escaped for CSS)
        )


def plan_pdf(plan: ActionPlan, *, draft: bool = False) -> bytes:
    """The plan's PDF, rendered once per content: it changes with every follow-up, so it is not
    stored, but the same HTML always gives the same bytes, which the cache keeps by the HTML's
    hash and the renderer's version (a burst of downloads costs one render; a new renderer's
    first download another)."""
    html = plan_html(plan, draft=draft)
    key = f"plan-pdf:{RENDERER_VERSION}:{hashlib.sha256(html.encode()).hexdigest()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = get_renderer().render_html(html).pdf
        cache.set(key, pdf, timeout=24 * 3600)
    return pdf


def report_pdf(report: AnnualReport, *, adopted_on: datetime.date | None, draft: bool) -> bytes:
    return get_renderer().render_html(report_html(report, adopted_on=adopted_on, draft=draft)).pdf


def plan_html(plan: ActionPlan, *, draft: bool = False) -> str:
    """The plan as it stands: texts, goals with their activities (responsible, time, status,
    indicator) and the approved follow-ups. The same plan always gives the same bytes: the
    document's date is its last adoption (or, for a draft, its last change)."""
    adoptions = selectors.adoptions(plan)
    goals = selectors.goal_progress(plan, follow_ups=selectors.public_follow_ups())
    current = [a for a in adoptions if a.plan_revision == plan.revision]
    stamp = (
        datetime.datetime.combine(current[-1].meeting.date, datetime.time(12), tzinfo=datetime.UTC)
        if current
        else plan.updated_at
    )
    council = plan.council
    return _html(
        "actionplans/pdf/plan.html",
        {
            "plan": plan,
            "council": council,
            "adoptions": [(long_date(a.meeting.date), a.item_number) for a in adoptions],
            "adopted_now": bool(current),
            "goals": goals,
            "draft": draft,
            "created": _stamp(stamp),
        },
        header=council.name,
    )


def report_html(report: AnnualReport, *, adopted_on: datetime.date | None, draft: bool) -> str:
    """The annual report: its introduction and its (assembled, edited) text, and the meeting
    that adopted it."""
    council = report.council
    body = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) - 1}>", report.body)
    stamp = report.adopted_at or report.updated_at
    return _html(
        "actionplans/pdf/report.html",
        {
            "report": report,
            "council": council,
            "body": mark_safe(body),  # noqa: S308 (sanitized when saved)
            "adopted_on": long_date(adopted_on) if adopted_on else "",
            "draft": draft,
            "created": _stamp(stamp),
        },
        header=council.name,
    )
