"""A correction of minutes carries its items' plan links and follow-ups to the new draft, so
the plan stays adopted and followed up by the meeting, once, whatever the correction changes;
and an adopted plan's texts are frozen with its goals."""

import datetime

import pytest
from django.urls import reverse

from actionplans import selectors, services
from actionplans.models import ActionPlan, Activity, FollowUp, ItemLink
from minutes import services as minutes_services
from tests.actionplans.helpers import adopt, follow_up, plan_with_goals
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.pages import page_text

pytestmark = pytest.mark.django_db
MAY = datetime.date(2020, 5, 12)
SEPTEMBER = datetime.date(2020, 9, 21)


def correct(item, cast):
    """A correction of the approved minutes holding ``item``: the new draft."""
    return minutes_services.correction_start(
        revision=item.minutes.approved_revision, actor=cast.secretary, reason="Stavfel."
    )


def test_a_correction_keeps_the_adopting_link_and_the_plan_adopted_once(cast):
    plan = plan_with_goals(cast.council)
    item = adopt(plan, cast)
    draft = correct(item, cast)
    copy = draft.items.get(position=item.position)
    link = ItemLink.objects.get(item=copy)
    assert (link.kind, link.plan, link.plan_revision) == ("plan", plan, 1)
    item.refresh_from_db()
    assert copy.points == item.points and len(item.points) == 2
    assert selectors.is_adopted(plan, revision=1)
    assert list(selectors.pending_links(plan)) == []  # already adopted, not waiting
    submit_and_approve(draft, cast)
    assert selectors.is_adopted(plan, revision=1)
    [adoption] = selectors.adoptions(plan)
    assert adoption.meeting == item.minutes.meeting
    assert list(selectors.public_plans(cast.council)) == [plan]


def test_a_correction_that_drops_the_link_leaves_the_plan_unadopted(cast):
    plan = plan_with_goals(cast.council)
    item = adopt(plan, cast)
    draft = correct(item, cast)
    services.unlink(item=draft.items.get(position=item.position), actor=cast.secretary)
    submit_and_approve(draft, cast)
    assert not selectors.is_adopted(plan) and selectors.adoptions(plan) == []


def test_a_correction_keeps_the_follow_ups_and_they_count_once(cast):
    plan = plan_with_goals(cast.council)
    adopt(plan, cast)
    item = follow_up(plan, cast, MAY, [("Trygg handel", "done", "Klart i maj.")])
    draft = correct(item, cast)
    copy = draft.items.get(position=item.position)
    assert ItemLink.objects.get(item=copy).kind == "follow_up"
    carried = FollowUp.objects.get(item=copy)
    assert (carried.activity.title, carried.status, carried.text, carried.date) == (
        "Trygg handel",
        "done",
        "Klart i maj.",
        MAY,
    )
    submit_and_approve(draft, cast)
    assert selectors.approved_follow_ups().count() == 1
    assert selectors.public_follow_ups().get().item_id == copy.pk


def test_a_late_correction_does_not_undo_a_later_meetings_status(cast):
    plan = plan_with_goals(cast.council)
    adopt(plan, cast)
    may = follow_up(plan, cast, MAY, [("Trygg handel", "ongoing", "Pågår.")])
    follow_up(plan, cast, SEPTEMBER, [("Trygg handel", "done", "Klart.")])
    activity = Activity.objects.get(title="Trygg handel")
    assert activity.status == "done"
    draft = correct(may, cast)
    submit_and_approve(draft, cast)
    activity.refresh_from_db()
    assert activity.status == "done"


def test_an_adopted_plans_title_and_texts_are_frozen_until_it_is_revised(client, cast):
    plan = plan_with_goals(cast.council)
    adopt(plan, cast)
    with pytest.raises(services.PlanFrozen, match="Revidera planen"):
        services.plan_update(
            plan=plan, title="Ny titel", introduction="", situation_picture="", actor=None
        )
    url = reverse("plans:plan", args=["arboga", "forebyggande-radet", 2020])
    client.force_login(cast.secretary)
    page = client.get(url).content.decode()
    assert "Spara planen" not in page and 'name="title"' in page and "disabled" in page
    data = {"title": "Ny titel", "introduction": "Ny", "situation_picture": "Ny"}
    response = client.post(url, data)
    assert response.status_code == 409 and "Revidera planen" in page_text(response)
    plan.refresh_from_db()
    assert plan.title == "Handlingsplan 2020" and plan.introduction == ""

    services.plan_revise(plan=plan, actor=cast.secretary)
    assert client.post(url, data).status_code == 302
    assert ActionPlan.objects.get(pk=plan.pk).title == "Ny titel"
