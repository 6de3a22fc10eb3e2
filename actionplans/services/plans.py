"""Writing an action plan: the plan itself, its goals in order and their activities, and a
revision that opens an adopted plan's goals again. While a meeting's draft minutes are to adopt
the plan, its goals follow into the adopting item."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from actionplans import selectors
from actionplans.models import ActionPlan, Activity, FollowUp, Goal
from actionplans.services.errors import PlanError, PlanFrozen, minutes_errors
from core import audit
from core.dates import long_date
from councils.models import Council
from minutes import services as minutes_services
from minutes.models import AgendaItem, Minutes

OPEN_STATUSES = (Activity.Status.PLANNED, Activity.Status.ONGOING)
FOLLOW_UP_TITLE = "Uppföljning av handlingsplanen"


def lock_plan(plan: ActionPlan) -> ActionPlan:
    """The plan's row locked until the transaction ends: one change of a plan at a time."""
    return ActionPlan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_create(
    *, council: Council, year: int, actor, request=None, copy_previous: bool = False
) -> ActionPlan:
    """A new plan for ``year``. With ``copy_previous`` it starts from the council's latest
    earlier plan: its introduction, situation picture and goals, and the activities that are
    still planned or ongoing (done and cancelled ones stay in the old plan)."""
    if not 1900 <= year <= 2200:
        raise PlanError("Ange ett år med fyra siffror.")
    if ActionPlan.objects.filter(council=council, year=year).exists():
        raise PlanError(f"Rådet har redan en handlingsplan för {year}.")
    previous = None
    if copy_previous:
        previous = (
            ActionPlan.objects.filter(council=council, year__lt=year).order_by("-year").first()
        )
        if previous is None:
            raise PlanError(f"Rådet har ingen tidigare handlingsplan att utgå från före {year}.")
    plan = ActionPlan.objects.create(
        council=council,
        year=year,
        title=f"Handlingsplan {year}",
        introduction=previous.introduction if previous else "",
        situation_picture=previous.situation_picture if previous else "",
    )
    carried = 0
    if previous is not None:
        for goal in previous.goals.prefetch_related("activities").order_by("position"):
            copy = Goal.objects.create(
                plan=plan, position=goal.position, title=goal.title, description=goal.description
            )
            open_activities = [a for a in goal.activities.all() if a.status in OPEN_STATUSES]
            Activity.objects.bulk_create(
                Activity(
                    goal=copy,
                    position=activity.position,
                    title=activity.title,
                    responsible=activity.responsible,
                    start_date=activity.start_date,
                    end_date=activity.end_date,
                    status=activity.status,
                    indicator=activity.indicator,
                )
                for activity in open_activities
            )
            carried += len(open_activities)
    # a council with a plan follows it up at every meeting
    minutes_services.standing_item_ensure(
        council=council, title=FOLLOW_UP_TITLE, actor=actor, request=request
    )
    audit.record(
        "actionplan.created",
        request=request,
        actor=actor,
        obj=plan,
        year=year,
        copied_from=previous.year if previous else None,
        activities_carried=carried,
    )
    return plan


@transaction.atomic
def plan_update(
    *, plan: ActionPlan, title: str, introduction: str, situation_picture: str, actor, request=None
) -> ActionPlan:
    """The plan's title, introduction and situation picture; frozen with the goals once the
    current revision is adopted (a revision opens them all again)."""
    plan = lock_plan(plan)
    if selectors.is_adopted(plan, revision=plan.revision):
        raise PlanFrozen(
            "Handlingsplanen är antagen, så titeln, inledningen och lägesbilden kan inte ändras, "
            "lika lite som målen. Revidera planen för att ändra dem; den reviderade planen antas "
            "sedan på nytt av ett möte."
        )
    plan.title = title.strip()
    plan.introduction = introduction.strip()
    plan.situation_picture = situation_picture.strip()
    plan.save(update_fields=["title", "introduction", "situation_picture", "updated_at"])
    audit.record("actionplan.updated", request=request, actor=actor, obj=plan)
    return plan


@transaction.atomic
def plan_revise(*, plan: ActionPlan, actor, request=None) -> ActionPlan:
    """Open an adopted plan's goals for change as a new revision, which a meeting adopts again.
    Until then the public page says that the goals are being revised."""
    plan = lock_plan(plan)
    if not selectors.is_adopted(plan, revision=plan.revision):
        raise PlanError("Planen är inte antagen i sin nuvarande version; målen kan redan ändras.")
    plan.revision += 1
    plan.save(update_fields=["revision", "updated_at"])
    audit.record(
        "actionplan.revised", request=request, actor=actor, obj=plan, revision=plan.revision
    )
    return plan


@transaction.atomic
def goal_create(*, plan: ActionPlan, title: str, description: str, actor, request=None) -> Goal:
    """A goal after the plan's last one."""
    plan = lock_plan(plan)
    _check_goals_editable(plan)
    last = plan.goals.aggregate(last=Max("position"))["last"] or 0
    goal = Goal.objects.create(
        plan=plan, position=last + 1, title=title.strip(), description=description.strip()
    )
    audit.record("actionplan.goal_created", request=request, actor=actor, obj=plan, goal=goal.pk)
    _goals_changed(plan, actor, request)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, title: str, description: str, actor, request=None) -> Goal:
    plan = lock_plan(goal.plan)
    _check_goals_editable(plan)
    goal.title, goal.description = title.strip(), description.strip()
    goal.save(update_fields=["title", "description"])
    audit.record("actionplan.goal_updated", request=request, actor=actor, obj=plan, goal=goal.pk)
    _goals_changed(plan, actor, request)
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, actor, request=None) -> None:
    """Delete a goal with its activities; the goals after it move up one place."""
    plan = lock_plan(goal.plan)
    _check_goals_editable(plan)
    if FollowUp.objects.filter(activity__goal=goal).exists():
        raise PlanFrozen(
            "Målet har insatser som har följts upp på ett möte och kan inte tas bort. "
            "Sätt insatserna som avbrutna i stället."
        )
    audit.record(
        "actionplan.goal_deleted", request=request, actor=actor, obj=plan, title=goal.title
    )
    goal.delete()
    _renumber(plan)
    _goals_changed(plan, actor, request)


@transaction.atomic
def goal_move(*, goal: Goal, offset: int, actor, request=None) -> None:
    """Move a goal one place up (``offset`` -1) or down (+1); at either end nothing happens."""
    plan = lock_plan(goal.plan)
    _check_goals_editable(plan)
    goals = list(plan.goals.order_by("position"))
    index = next(i for i, g in enumerate(goals) if g.pk == goal.pk)
    other = index + offset
    if offset not in (-1, 1) or not 0 <= other < len(goals):
        return
    goals[index], goals[other] = goals[other], goals[index]
    _renumber(plan, goals)
    audit.record(
        "actionplan.goal_moved", request=request, actor=actor, obj=plan, goal=goal.pk, by=offset
    )
    _goals_changed(plan, actor, request)


def _renumber(plan: ActionPlan, goals: list[Goal] | None = None) -> None:
    """Positions 1, 2, 3 … in the given order; in two steps, since positions are unique."""
    goals = goals if goals is not None else list(plan.goals.order_by("position"))
    offset = len(goals) + 1000
    for n, goal in enumerate(goals, start=1):
        Goal.objects.filter(pk=goal.pk).update(position=n + offset)
    for n, goal in enumerate(goals, start=1):
        Goal.objects.filter(pk=goal.pk).update(position=n)


ACTIVITY_FIELDS = ("title", "responsible", "start_date", "end_date", "status", "indicator")


@transaction.atomic
def activity_create(*, goal: Goal, actor, request=None, **fields) -> Activity:
    """An activity after the goal's last one; ``fields`` are ACTIVITY_FIELDS."""
    lock_plan(goal.plan)
    last = goal.activities.aggregate(last=Max("position"))["last"] or 0
    activity = Activity.objects.create(goal=goal, position=last + 1, **_activity_fields(fields))
    audit.record(
        "actionplan.activity_created",
        request=request,
        actor=actor,
        obj=goal.plan,
        activity=activity.pk,
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor, request=None, **fields) -> Activity:
    lock_plan(activity.goal.plan)
    for name, value in _activity_fields(fields).items():
        setattr(activity, name, value)
    activity.save(update_fields=list(ACTIVITY_FIELDS))
    audit.record(
        "actionplan.activity_updated",
        request=request,
        actor=actor,
        obj=activity.goal.plan,
        activity=activity.pk,
        status=activity.status,
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, actor, request=None) -> None:
    plan = lock_plan(activity.goal.plan)
    if activity.follow_ups.exists():
        raise PlanFrozen(
            "Insatsen har följts upp på ett möte och kan inte tas bort. Sätt den som avbruten "
            "i stället."
        )
    audit.record(
        "actionplan.activity_deleted", request=request, actor=actor, obj=plan, title=activity.title
    )
    activity.delete()


def _activity_fields(fields: dict) -> dict:
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        raise PlanError("Slutdatum kan inte vara före startdatum.")
    if fields.get("status", Activity.Status.PLANNED) not in Activity.Status.values:
        raise PlanError("Välj en av statusarna.")
    return {
        name: value.strip() if isinstance(value, str) and name != "status" else value
        for name, value in fields.items()
    }


def goal_points(plan: ActionPlan) -> list[dict]:
    """The plan's goals as the adopting item's bullet list."""
    return [
        {"text": title} for title in plan.goals.order_by("position").values_list("title", flat=True)
    ]


def _check_goals_editable(plan: ActionPlan) -> None:
    if selectors.is_adopted(plan, revision=plan.revision):
        raise PlanFrozen(
            "Handlingsplanen är antagen, så målen kan inte ändras. Revidera planen för att "
            "ändra målen; den reviderade planen antas sedan på nytt av ett möte."
        )


def _goals_changed(plan: ActionPlan, actor, request) -> None:
    """Copy the goals anew into the draft items that are to adopt this revision of the plan; an
    item in minutes that wait for approval cannot change, so neither can the goals."""
    points = None
    for link in selectors.pending_links(plan):
        minutes = link.item.minutes
        if minutes.status != Minutes.Status.DRAFT:
            raise PlanFrozen(
                "Planen ligger för godkännande i minnesanteckningarna från mötet den "
                f"{long_date(minutes.meeting.date)}. Målen kan ändras först när "
                "minnesanteckningarna har återtagits eller återsänts."
            )
        points = goal_points(plan) if points is None else points
        set_points(link.item, points, "actionplans.plan", actor, request)


def set_points(item: AgendaItem, points: list[dict], source: str, actor, request) -> None:
    """The bullet list of a draft item, through the minutes' service, its refusals as ours."""
    with minutes_errors():
        minutes_services.item_set_points(
            item=item, points=points, source=source, actor=actor, request=request
        )
