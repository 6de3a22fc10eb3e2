"""Reads for the public action plan pages: a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from actionplans.models import ActionPlan, Activity, FollowUp, Goal
from councils.models import Council

PUBLIC_STATUSES = (ActionPlan.Status.ACTIVE, ActionPlan.Status.CLOSED)


def public_plans(council: Council) -> QuerySet[ActionPlan]:
    """The plans the public sees: adopted ones (active or closed), not drafts."""
    return council.action_plans.filter(status__in=PUBLIC_STATUSES).order_by("-year")


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    activities: list[Activity]
    done: int
    counted: int  # activities not cancelled

    @property
    def cancelled(self) -> int:
        return len(self.activities) - self.counted


def public_plan(council: Council, year: int) -> tuple[ActionPlan, list[GoalProgress]] | None:
    """A public plan with its goals, their activities (with follow-ups) and how many of each
    goal's activities are done: three queries."""
    plan = public_plans(council).filter(year=year).first()
    if plan is None:
        return None
    goals = plan.goals.order_by("position").prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.order_by("position", "id").prefetch_related(
                Prefetch(
                    "follow_ups",
                    queryset=FollowUp.objects.select_related("meeting").order_by("date", "id"),
                )
            ),
        )
    )
    progress = []
    for goal in goals:
        activities = list(goal.activities.all())
        counted = [a for a in activities if a.status != Activity.Status.CANCELLED]
        done = sum(1 for a in counted if a.status == Activity.Status.DONE)
        progress.append(GoalProgress(goal, activities, done, len(counted)))
    return plan, progress
