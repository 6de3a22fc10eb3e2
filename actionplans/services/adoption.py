"""An agenda item linked to a plan or a report: it adopts the plan's current revision (the
goals become its bullet list), follows an adopted plan up, or adopts the annual report. The
links take effect when the minutes holding the item are approved."""

from __future__ import annotations

from django.db import transaction

from actionplans import selectors
from actionplans.models import ActionPlan, Activity, AnnualReport, FollowUp, ItemLink
from actionplans.services.errors import PlanError, PlanFrozen
from actionplans.services.plans import goal_points, lock_plan, set_points
from actionplans.services.reports import report_freeze
from core import audit
from councils.models import Council
from minutes.models import AgendaItem, Minutes


def _check_item(item: AgendaItem, council: Council) -> AgendaItem:
    item = AgendaItem.objects.select_related("minutes__meeting").get(pk=item.pk)
    if item.minutes.meeting.council_id != council.pk:
        raise PlanError("Ärendet hör till ett annat råd.")
    if item.minutes.status != Minutes.Status.DRAFT:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte kopplas om."
        )
    if ItemLink.objects.filter(item=item).exists():
        raise PlanError("Ärendet är redan kopplat. Ta bort kopplingen först.")
    return item


@transaction.atomic
def link_plan(*, item: AgendaItem, plan: ActionPlan, actor, request=None) -> ItemLink:
    """Let ``item`` adopt the plan's current revision: its goals become the item's bullet list.
    The plan counts as adopted once the minutes holding the item are approved."""
    plan = lock_plan(plan)
    item = _check_item(item, plan.council)
    if selectors.is_adopted(plan, revision=plan.revision):
        raise PlanFrozen(
            "Den här versionen av handlingsplanen är redan antagen. Revidera planen om ett "
            "möte ska anta ändrade mål."
        )
    points = goal_points(plan)
    if not points:
        raise PlanError("Handlingsplanen har inga mål att anta ännu.")
    link = ItemLink.objects.create(
        item=item, kind=ItemLink.Kind.ADOPTS_PLAN, plan=plan, plan_revision=plan.revision
    )
    set_points(item, points, "actionplans.plan", actor, request)
    audit.record(
        "actionplan.linked", request=request, actor=actor, obj=plan, item=item.pk, kind=link.kind
    )
    return link


@transaction.atomic
def link_follow_up(*, item: AgendaItem, plan: ActionPlan, actor, request=None) -> ItemLink:
    """Let ``item`` follow up an adopted plan: per open activity a short text and a new status
    (:func:`actionplans.services.follow_ups.follow_ups_save`)."""
    plan = lock_plan(plan)
    item = _check_item(item, plan.council)
    if not selectors.is_adopted(plan):
        raise PlanError("Handlingsplanen måste vara antagen av ett möte innan den följs upp.")
    link = ItemLink.objects.create(item=item, kind=ItemLink.Kind.FOLLOWS_UP, plan=plan)
    audit.record(
        "actionplan.linked", request=request, actor=actor, obj=plan, item=item.pk, kind=link.kind
    )
    return link


@transaction.atomic
def link_report(*, item: AgendaItem, report: AnnualReport, actor, request=None) -> ItemLink:
    """Let ``item`` adopt the annual report: once the minutes are approved, the report's PDF is
    rendered and kept."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    item = _check_item(item, report.council)
    if report.is_adopted:
        raise PlanFrozen("Verksamhetsberättelsen är redan antagen.")
    link = ItemLink.objects.create(item=item, kind=ItemLink.Kind.ADOPTS_REPORT, report=report)
    audit.record("annualreport.linked", request=request, actor=actor, obj=report, item=item.pk)
    return link


@transaction.atomic
def unlink(*, item: AgendaItem, actor, request=None) -> None:
    """Remove a draft item's link, with the bullet list and follow-ups it brought."""
    link = (
        ItemLink.objects.select_related("item__minutes", "plan", "report").filter(item=item).first()
    )
    if link is None:
        raise PlanError("Ärendet är inte kopplat.")
    if link.item.minutes.status != Minutes.Status.DRAFT:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så kopplingen kan inte tas bort."
        )
    FollowUp.objects.filter(item=item).delete()
    link.delete()
    set_points(link.item, [], "actionplans.unlink", actor, request)
    audit.record(
        "actionplan.unlinked",
        request=request,
        actor=actor,
        obj=link.plan or link.report,
        item=item.pk,
        kind=link.kind,
    )


def minutes_corrected(
    *, source: Minutes, minutes: Minutes, items: dict[int, AgendaItem], **_kwargs
) -> None:
    """Receiver of ``minutes.signals.minutes_corrected``: the correction's draft items keep the
    approved items' links (adopting a plan or a report, following one up) and follow-ups."""
    ItemLink.objects.bulk_create(
        ItemLink(
            item=items[link.item_id],
            kind=link.kind,
            plan_id=link.plan_id,
            plan_revision=link.plan_revision,
            report_id=link.report_id,
        )
        for link in ItemLink.objects.filter(item__minutes=source).order_by("pk")
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            activity_id=follow_up.activity_id,
            item=items[follow_up.item_id],
            meeting_id=follow_up.meeting_id,
            date=follow_up.date,
            text=follow_up.text,
            status=follow_up.status,
        )
        for follow_up in FollowUp.objects.filter(item__minutes=source).order_by("pk")
    )


def _status_stands(follow_up: FollowUp, minutes: Minutes) -> bool:
    """Whether the status a follow-up sets is still to take effect: not when a later meeting's
    approved minutes followed the activity up since, nor when a correction only repeats what
    the minutes it corrects said (the status may have been changed by hand since)."""
    later = (
        FollowUp.objects.filter(
            selectors.in_the_record(), activity_id=follow_up.activity_id, date__gt=follow_up.date
        )
        .exclude(item__minutes__meeting_id=minutes.meeting_id)
        .exists()
    )
    if later:
        return False
    if minutes.corrects_id is None:
        return True
    said = FollowUp.objects.filter(
        item__minutes__approved_revision=minutes.corrects_id, activity_id=follow_up.activity_id
    ).values_list("status", flat=True)
    return follow_up.status not in said


def minutes_approved(*, minutes: Minutes, revision, **_kwargs) -> None:
    """Receiver of ``minutes.signals.minutes_approved``, inside the approval's transaction: the
    statuses the follow-ups set take effect, and the reports the meeting adopted are frozen."""
    follow_ups = FollowUp.objects.filter(item__minutes=minutes).select_related(
        "activity__goal__plan"
    )
    for follow_up in follow_ups:
        if follow_up.activity.status != follow_up.status and _status_stands(follow_up, minutes):
            Activity.objects.filter(pk=follow_up.activity_id).update(status=follow_up.status)
            audit.record(
                "actionplan.activity_status_followed_up",
                obj=follow_up.activity.goal.plan,
                activity=follow_up.activity_id,
                status=follow_up.status,
                meeting=minutes.meeting_id,
            )
    links = ItemLink.objects.filter(item__minutes=minutes, kind=ItemLink.Kind.ADOPTS_REPORT)
    for link in links.select_related("report"):
        report_freeze(
            report=link.report, adopted_at=revision.approved_at, adopted_on=minutes.meeting.date
        )
