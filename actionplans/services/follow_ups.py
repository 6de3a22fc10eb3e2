"""The follow-up of an adopted plan at a meeting: per open activity a short text and a new
status, written into the follow-up item's bullet list. The statuses take effect when the
minutes are approved (``adoption.minutes_approved``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from actionplans.models import Activity, FollowUp, ItemLink
from actionplans.services.errors import PlanError, PlanFrozen, minutes_errors
from actionplans.services.plans import OPEN_STATUSES, set_points
from core import audit
from minutes import services as minutes_services
from minutes.models import AgendaItem, Minutes

FOLLOW_UP_MAX = 2000


@dataclass(frozen=True)
class FollowUpInput:
    activity_id: int
    status: str
    text: str


def follow_up_activities(link: ItemLink) -> list[Activity]:
    """What the follow-up item offers: the plan's open activities and those already followed up
    in this item, in the plan's order."""
    followed = FollowUp.objects.filter(item_id=link.item_id).values("activity_id")
    return list(
        Activity.objects.filter(goal__plan=link.plan)
        .filter(Q(status__in=OPEN_STATUSES) | Q(pk__in=followed))
        .select_related("goal")
        .order_by("goal__position", "position", "id")
    )


def _follow_up_points(item: AgendaItem) -> list[dict]:
    """The item's bullet list: each goal with its followed-up activities, their new status and
    what was said."""
    points: list[dict] = []
    follow_ups = (
        FollowUp.objects.filter(item=item)
        .select_related("activity__goal")
        .order_by("activity__goal__position", "activity__position", "activity_id")
    )
    for follow_up in follow_ups:
        goal, activity = follow_up.activity.goal, follow_up.activity
        if not points or points[-1]["goal"] != goal.pk:
            points.append({"goal": goal.pk, "text": goal.title, "children": []})
        points[-1]["children"].append(
            {
                "text": activity.title,
                "label": str(Activity.Status(follow_up.status).label).lower(),
                "note": follow_up.text,
            }
        )
    for point in points:
        del point["goal"]
    return points


@transaction.atomic
def follow_ups_save(*, item: AgendaItem, entries: list[FollowUpInput], actor, request=None) -> int:
    """Record the follow-ups of a meeting's item: per activity a short text and its new status.
    An entry without text whose status is unchanged is no follow-up (and removes one made
    earlier); a changed status needs a text. The item's bullet list is written from them, and
    the new statuses take effect when the minutes are approved. Returns how many there are."""
    link = (
        ItemLink.objects.select_related("plan", "item__minutes__meeting")
        .filter(item=item, kind=ItemLink.Kind.FOLLOWS_UP)
        .first()
    )
    if link is None:
        raise PlanError("Ärendet följer inte upp någon handlingsplan.")
    item, meeting = link.item, link.item.minutes.meeting
    # the minutes row locked: one save of the item's follow-ups at a time, none after submission
    item.minutes = Minutes.objects.select_for_update().get(pk=item.minutes_id)
    if item.minutes.status != Minutes.Status.DRAFT:
        raise PlanFrozen(
            "Minnesanteckningarna är inte längre ett utkast, så ärendet kan inte ändras."
        )
    activities = {a.pk: a for a in Activity.objects.filter(goal__plan=link.plan)}
    for entry in entries:
        activity = activities.get(entry.activity_id)
        if activity is None:
            raise PlanError("En insats hör inte till handlingsplanen; ladda om sidan.")
        if entry.status not in Activity.Status.values:
            raise PlanError("Välj en av statusarna.")
        text = (entry.text or "").strip()
        with minutes_errors():
            minutes_services.check_text(text)
        if len(text) > FOLLOW_UP_MAX:
            raise PlanError(
                f"Uppföljningen av ”{activity.title}” är för lång (högst {FOLLOW_UP_MAX} tecken)."
            )
        if not text and entry.status == activity.status:
            FollowUp.objects.filter(item=item, activity=activity).delete()
            continue
        if not text:
            raise PlanError(
                f"Skriv en kort uppföljning för ”{activity.title}”, eller låt statusen vara."
            )
        FollowUp.objects.update_or_create(
            item=item,
            activity=activity,
            defaults={
                "meeting": meeting,
                "date": meeting.date,
                "text": text,
                "status": entry.status,
            },
        )
    points = _follow_up_points(item)
    set_points(item, points, "actionplans.follow_up", actor, request)
    count = FollowUp.objects.filter(item=item).count()
    audit.record(
        "actionplan.followed_up",
        request=request,
        actor=actor,
        obj=link.plan,
        item=item.pk,
        count=count,
    )
    return count
