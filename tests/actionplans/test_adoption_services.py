"""A meeting adopts a plan: the goals copied into the item, adoption derived from approved
minutes, the goals frozen after it, and a revised plan adopted again."""

import datetime

import pytest

from actionplans import selectors, services
from actionplans.models import ItemLink
from core.models import AuditEvent
from minutes import services as minutes_services
from minutes.models import Minutes
from minutes.snapshot import MinutesSnapshot
from tests.actionplans.helpers import adopt, meeting_draft, new_item, plan_with_goals
from tests.minutes.drafting_fixtures import submit_and_approve

pytestmark = pytest.mark.django_db


def test_linking_copies_the_goals_and_approval_adopts_the_plan(cast):
    plan = plan_with_goals(cast.council, goals=("Stödja ANDTS-arbetet", "Samverka", "Främja"))
    minutes = meeting_draft(cast)
    item = new_item(minutes, "Handlingsplan 2020")
    services.link_plan(item=item, plan=plan, actor=cast.secretary)
    item.refresh_from_db()
    assert item.points == [
        {"text": "Stödja ANDTS-arbetet"},
        {"text": "Samverka"},
        {"text": "Främja"},
    ]
    assert not selectors.is_adopted(plan) and selectors.adoptions(plan) == []
    assert [link.item_id for link in selectors.pending_links(plan)] == [item.pk]

    revision = submit_and_approve(minutes, cast)
    assert selectors.is_adopted(plan) and selectors.is_adopted(plan, revision=1)
    [adoption] = selectors.adoptions(plan)
    assert adoption.meeting == minutes.meeting and adoption.item_number == item.number
    # the goals are the minutes' own data: the approved document holds them
    doc = MinutesSnapshot.from_dict(revision.snapshot)
    assert [p.text for p in doc.items[item.position - 1].points] == [
        "Stödja ANDTS-arbetet",
        "Samverka",
        "Främja",
    ]
    assert plan in selectors.public_plans(cast.council)


def test_an_adopted_plans_goals_are_frozen_until_it_is_revised_and_adopted_again(cast):
    plan = plan_with_goals(cast.council)
    adopt(plan, cast)
    goal = plan.goals.get(position=1)
    with pytest.raises(services.PlanFrozen, match="Revidera planen"):
        services.goal_create(plan=plan, title="Nytt", description="", actor=None)
    with pytest.raises(services.PlanFrozen):
        services.goal_update(goal=goal, title="Ändrat", description="", actor=None)
    with pytest.raises(services.PlanFrozen):
        services.goal_delete(goal=goal, actor=None)
    with pytest.raises(services.PlanFrozen):
        services.goal_move(goal=goal, offset=1, actor=None)
    # activities move on as the year goes
    activity = goal.activities.get(title="Trygg handel")
    services.activity_update(
        activity=activity, actor=None, title="Trygg handel", responsible="", start_date=None,
        end_date=None, status="done", indicator="",
    )  # fmt: skip
    # the same revision cannot be adopted twice
    other = new_item(meeting_draft(cast, datetime.date(2020, 5, 12)), "Handlingsplanen igen")
    with pytest.raises(services.PlanFrozen, match="redan antagen"):
        services.link_plan(item=other, plan=plan, actor=None)

    services.plan_revise(plan=plan, actor=cast.secretary)
    plan.refresh_from_db()
    assert plan.revision == 2
    assert selectors.is_adopted(plan) and not selectors.is_adopted(plan, revision=2)
    services.goal_create(plan=plan, title="Trygga skolvägar", description="", actor=None)
    services.link_plan(item=other, plan=plan, actor=cast.secretary)
    other.refresh_from_db()
    assert other.points[-1] == {"text": "Trygga skolvägar"}
    submit_and_approve(other.minutes, cast)
    assert [(a.meeting.date.month, a.plan_revision) for a in selectors.adoptions(plan)] == [
        (2, 1),
        (5, 2),
    ]
    services.plan_revise(plan=plan, actor=None)
    with pytest.raises(services.PlanError, match="inte antagen"):
        services.plan_revise(plan=plan, actor=None)  # revision 3 is not adopted yet


def test_goals_changed_before_approval_follow_into_the_draft_item(cast):
    plan = plan_with_goals(cast.council)
    minutes = meeting_draft(cast)
    item = new_item(minutes, "Handlingsplan")
    services.link_plan(item=item, plan=plan, actor=None)
    services.goal_create(plan=plan, title="Tredje målet", description="", actor=None)
    services.goal_move(goal=plan.goals.get(title="Tredje målet"), offset=-1, actor=None)
    item.refresh_from_db()
    assert [p["text"] for p in item.points] == [
        "Ökad trygghet",
        "Tredje målet",
        "Meningsfull fritid",
    ]
    # once submitted, the goals wait with the minutes
    minutes_services.minutes_submit(minutes=minutes, actor=cast.secretary)
    with pytest.raises(services.PlanFrozen, match="ligger för godkännande"):
        services.goal_update(goal=plan.goals.get(position=1), title="X", description="", actor=None)
    assert plan.goals.get(position=1).title == "Ökad trygghet"


def test_a_link_is_refused_across_councils_in_sent_minutes_twice_or_without_goals(cast):
    plan = plan_with_goals(cast.council)
    empty = services.plan_create(council=cast.council, year=2021, actor=None)
    minutes = meeting_draft(cast)
    item = new_item(minutes, "Handlingsplan")
    with pytest.raises(services.PlanError, match="inga mål"):
        services.link_plan(item=item, plan=empty, actor=None)
    other_plan = services.plan_create(council=cast.other_council, year=2020, actor=None)
    with pytest.raises(services.PlanError, match="annat råd"):
        services.link_plan(item=item, plan=other_plan, actor=None)
    services.link_plan(item=item, plan=plan, actor=None)
    with pytest.raises(services.PlanError, match="redan kopplat"):
        services.link_plan(item=item, plan=plan, actor=None)
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.SUBMITTED)
    with pytest.raises(services.PlanFrozen):
        services.unlink(item=item, actor=None)
    assert ItemLink.objects.count() == 1


def test_unlinking_a_draft_item_takes_its_goals_away(cast):
    plan = plan_with_goals(cast.council)
    item = new_item(meeting_draft(cast), "Handlingsplan")
    services.link_plan(item=item, plan=plan, actor=cast.secretary)
    services.unlink(item=item, actor=cast.secretary)
    item.refresh_from_db()
    assert item.points == [] and not ItemLink.objects.exists()
    assert AuditEvent.objects.filter(action="actionplan.unlinked").exists()
    with pytest.raises(services.PlanError, match="inte kopplat"):
        services.unlink(item=item, actor=None)
