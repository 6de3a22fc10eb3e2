"""Writing action plans: creating (and copying last year's), goals in order, activities."""

import datetime

import pytest

from actionplans import services
from actionplans.models import ActionPlan, Activity, Goal
from core.models import AuditEvent
from minutes.models import StandingItem
from tests.actionplans.helpers import meeting_draft, plan_with_goals

pytestmark = pytest.mark.django_db
S = Activity.Status


@pytest.fixture
def plan_2020(cast):
    plan = services.plan_create(council=cast.council, year=2020, actor=cast.secretary)
    services.plan_update(
        plan=plan,
        title="Handlingsplan 2020",
        introduction="Rådets inledning.",
        situation_picture="Lägesbilden.",
        actor=cast.secretary,
    )
    safety = services.goal_create(plan=plan, title="Ökad trygghet", description="", actor=None)
    youth = services.goal_create(plan=plan, title="Meningsfull fritid", description="", actor=None)
    for title, status in (("Trygghetsvandring", S.DONE), ("Trygg handel", S.ONGOING)):
        services.activity_create(goal=safety, actor=None, title=title, status=status)
    services.activity_create(goal=youth, actor=None, title="Lovaktiviteter", status=S.PLANNED)
    services.activity_create(goal=youth, actor=None, title="Nattvandring", status=S.CANCELLED)
    return plan


def test_a_new_plan_is_empty_and_audited(cast):
    plan = services.plan_create(council=cast.council, year=2021, actor=cast.secretary)
    assert (plan.title, plan.year, plan.goals.count()) == ("Handlingsplan 2021", 2021, 0)
    event = AuditEvent.objects.get(action="actionplan.created")
    assert event.data["year"] == 2021 and event.data["copied_from"] is None


def test_copying_last_years_plan_carries_the_goals_and_the_open_activities(cast, plan_2020):
    plan = services.plan_create(
        council=cast.council, year=2021, actor=cast.secretary, copy_previous=True
    )
    assert plan.introduction == "Rådets inledning." and plan.situation_picture == "Lägesbilden."
    goals = list(plan.goals.order_by("position"))
    assert [g.title for g in goals] == ["Ökad trygghet", "Meningsfull fritid"]
    assert [a.title for a in goals[0].activities.all()] == ["Trygg handel"]
    assert [(a.title, a.status) for a in goals[1].activities.all()] == [
        ("Lovaktiviteter", "planned")
    ]
    # the old plan keeps everything
    assert Activity.objects.filter(goal__plan=plan_2020).count() == 4
    assert (
        AuditEvent.objects.filter(action="actionplan.created")
        .order_by("pk")
        .last()
        .data["activities_carried"]
        == 2
    )


def test_a_year_can_have_only_one_plan_and_copying_needs_an_earlier_one(cast, plan_2020):
    with pytest.raises(services.PlanError, match="redan en handlingsplan för 2020"):
        services.plan_create(council=cast.council, year=2020, actor=None)
    with pytest.raises(services.PlanError, match="ingen tidigare handlingsplan"):
        services.plan_create(council=cast.council, year=2019, actor=None, copy_previous=True)
    with pytest.raises(services.PlanError, match="fyra siffror"):
        services.plan_create(council=cast.council, year=20, actor=None)
    assert ActionPlan.objects.count() == 1


def test_goals_move_and_close_ranks_when_one_is_deleted(cast, plan_2020):
    third = services.goal_create(plan=plan_2020, title="Tredje", description="", actor=None)
    services.goal_move(goal=third, offset=-1, actor=None)
    order = lambda: [g.title for g in plan_2020.goals.order_by("position")]  # noqa: E731
    assert order() == ["Ökad trygghet", "Tredje", "Meningsfull fritid"]
    services.goal_move(goal=Goal.objects.get(title="Ökad trygghet"), offset=-1, actor=None)
    assert order() == ["Ökad trygghet", "Tredje", "Meningsfull fritid"]  # already first
    services.goal_delete(goal=Goal.objects.get(title="Ökad trygghet"), actor=None)
    assert order() == ["Tredje", "Meningsfull fritid"]
    assert list(plan_2020.goals.order_by("position").values_list("position", flat=True)) == [1, 2]
    assert not Activity.objects.filter(title="Trygg handel").exists()


def test_activities_are_checked_and_updated(cast, plan_2020):
    goal = plan_2020.goals.first()
    with pytest.raises(services.PlanError, match="Slutdatum"):
        services.activity_create(
            goal=goal,
            actor=None,
            title="Fel",
            start_date=datetime.date(2020, 5, 1),
            end_date=datetime.date(2020, 4, 1),
        )
    activity = goal.activities.get(title="Trygg handel")
    services.activity_update(
        activity=activity,
        actor=cast.secretary,
        title=" Trygg handel i centrum ",
        responsible="Utvecklingscentrum",
        start_date=datetime.date(2020, 3, 1),
        end_date=None,
        status=S.DONE,
        indicator="Tio butiker deltar.",
    )
    activity.refresh_from_db()
    assert (activity.title, activity.status) == ("Trygg handel i centrum", "done")
    services.activity_delete(activity=activity, actor=cast.secretary)
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert AuditEvent.objects.filter(action="actionplan.activity_deleted").exists()


def test_a_council_with_a_plan_gets_the_follow_up_standing_item(cast):
    plan_with_goals(cast.council)
    services.plan_create(council=cast.council, year=2021, actor=None, copy_previous=True)
    assert (
        StandingItem.objects.filter(council=cast.council, title=services.FOLLOW_UP_TITLE).count()
        == 1
    )
    minutes = meeting_draft(cast)
    assert minutes.items.filter(title=services.FOLLOW_UP_TITLE).exists()
