import datetime

import pytest
from django.db import IntegrityError, transaction

from actionplans.models import ActionPlan, Activity, FollowUp, Goal
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return ActionPlan.objects.create(
        council=factories.council(), year=2020, title="Handlingsplan 2020"
    )


def test_a_council_has_one_plan_per_year(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.create(council=plan.council, year=2020, title="En till")
    ActionPlan.objects.create(council=plan.council, year=2021, title="Handlingsplan 2021")


def test_an_implausible_year_is_refused(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionPlan.objects.create(council=plan.council, year=20, title="Fel år")


def test_goals_of_a_plan_have_distinct_positions(plan):
    Goal.objects.create(plan=plan, position=1, title="Mål ett")
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(plan=plan, position=1, title="Mål två")


def test_an_activity_cannot_end_before_it_starts(plan):
    goal = Goal.objects.create(plan=plan, position=1, title="Mål")
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            goal=goal,
            title="Insats",
            start_date=datetime.date(2020, 5, 1),
            end_date=datetime.date(2020, 4, 1),
        )


def test_a_follow_up_is_recorded_at_a_meeting(plan):
    goal = Goal.objects.create(plan=plan, position=1, title="Mål")
    activity = Activity.objects.create(goal=goal, title="Insats")
    meeting = factories.meeting(plan.council)
    follow_up = FollowUp.objects.create(
        activity=activity,
        meeting=meeting,
        date=meeting.date,
        text="Påbörjad.",
        status=Activity.Status.ONGOING,
    )
    assert list(activity.follow_ups.all()) == [follow_up]
