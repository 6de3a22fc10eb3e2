"""Follow-up at meetings: per open activity a short text and a new status, kept as the item's
data and as the plan's history; the statuses take effect when the minutes are approved."""

import datetime

import pytest

from actionplans import selectors, services
from actionplans.models import Activity, FollowUp
from minutes.models import Minutes
from tests.actionplans.helpers import adopt, follow_up, meeting_draft, new_item, plan_with_goals
from tests.minutes.drafting_fixtures import submit_and_approve

pytestmark = pytest.mark.django_db
MAY = datetime.date(2020, 5, 12)


@pytest.fixture
def plan(cast):
    plan = plan_with_goals(cast.council)
    adopt(plan, cast)
    return plan


def _entries(plan, *rows):
    ids = {a.title: a.pk for a in Activity.objects.filter(goal__plan=plan)}
    return [services.FollowUpInput(ids[title], status, text) for title, status, text in rows]


def test_follow_ups_become_the_items_list_and_statuses_change_on_approval(cast, plan):
    minutes = meeting_draft(cast, MAY)
    item = minutes.items.get(title=services.FOLLOW_UP_TITLE)
    link = services.link_follow_up(item=item, plan=plan, actor=cast.secretary)
    assert [a.title for a in services.follow_up_activities(link)] == [
        "Trygg handel",
        "Lovaktiviteter",
    ]
    count = services.follow_ups_save(
        item=item,
        entries=_entries(
            plan,
            ("Trygg handel", "done", "Tolv butiker deltog."),
            ("Lovaktiviteter", "planned", ""),  # not taken up: no follow-up
        ),
        actor=cast.secretary,
    )
    assert count == 1
    item.refresh_from_db()
    assert item.points == [
        {
            "text": "Ökad trygghet",
            "children": [
                {"text": "Trygg handel", "label": "genomförd", "note": "Tolv butiker deltog."}
            ],
        }
    ]
    trade = Activity.objects.get(title="Trygg handel")
    assert trade.status == "ongoing"  # not before the minutes are approved
    assert list(selectors.approved_follow_ups()) == []

    submit_and_approve(minutes, cast)
    trade.refresh_from_db()
    assert trade.status == "done"
    [history] = selectors.approved_follow_ups()
    assert (history.meeting, history.text, history.status) == (
        minutes.meeting,
        "Tolv butiker deltog.",
        "done",
    )
    # a done activity is no longer offered at the next meeting
    later = meeting_draft(cast, datetime.date(2020, 9, 22)).items.get(
        title=services.FOLLOW_UP_TITLE
    )
    link = services.link_follow_up(item=later, plan=plan, actor=None)
    assert [a.title for a in services.follow_up_activities(link)] == ["Lovaktiviteter"]


def test_saving_again_replaces_and_an_emptied_entry_is_removed(cast, plan):
    item = meeting_draft(cast, MAY).items.get(title=services.FOLLOW_UP_TITLE)
    services.link_follow_up(item=item, plan=plan, actor=None)
    services.follow_ups_save(
        item=item, entries=_entries(plan, ("Trygg handel", "ongoing", "Startar i maj.")), actor=None
    )
    services.follow_ups_save(
        item=item,
        entries=_entries(
            plan,
            ("Trygg handel", "ongoing", ""),
            ("Lovaktiviteter", "ongoing", "Sportlovet gick bra."),
        ),
        actor=None,
    )
    assert list(FollowUp.objects.values_list("activity__title", "text")) == [
        ("Lovaktiviteter", "Sportlovet gick bra.")
    ]
    item.refresh_from_db()
    assert [c["text"] for c in item.points[0]["children"]] == ["Lovaktiviteter"]


def test_bad_follow_ups_are_refused_with_a_message_and_nothing_is_saved(cast, plan):
    item = meeting_draft(cast, MAY).items.get(title=services.FOLLOW_UP_TITLE)
    services.link_follow_up(item=item, plan=plan, actor=None)
    trade = Activity.objects.get(title="Trygg handel").pk
    cases = [
        ([services.FollowUpInput(trade, "done", "")], "Skriv en kort uppföljning"),
        ([services.FollowUpInput(trade, "finished", "x")], "statusarna"),
        ([services.FollowUpInput(trade, "done", "a\x00b")], "NUL"),
        ([services.FollowUpInput(trade, "done", "x" * 2001)], "för lång"),
        ([services.FollowUpInput(999_999, "done", "x")], "hör inte till"),
    ]
    for entries, message in cases:
        with pytest.raises(services.PlanError, match=message):
            services.follow_ups_save(item=item, entries=entries, actor=None)
    assert not FollowUp.objects.exists()


def test_only_an_adopted_plan_is_followed_up_and_only_in_a_draft(cast):
    plan = plan_with_goals(cast.council)
    item = meeting_draft(cast, MAY).items.get(title=services.FOLLOW_UP_TITLE)
    with pytest.raises(services.PlanError, match="måste vara antagen"):
        services.link_follow_up(item=item, plan=plan, actor=None)
    adopt(plan, cast)
    services.link_follow_up(item=item, plan=plan, actor=None)
    Minutes.objects.filter(pk=item.minutes_id).update(status=Minutes.Status.SUBMITTED)
    with pytest.raises(services.PlanFrozen):
        services.follow_ups_save(item=item, entries=[], actor=None)
    plain = new_item(meeting_draft(cast, datetime.date(2020, 9, 1)), "Annat")
    with pytest.raises(services.PlanError, match="följer inte upp"):
        services.follow_ups_save(item=plain, entries=[], actor=None)


def test_a_followed_up_activity_cannot_be_deleted(cast, plan):
    follow_up(plan, cast, MAY, [("Trygg handel", "ongoing", "Pågår.")])
    activity = Activity.objects.get(title="Trygg handel")
    with pytest.raises(services.PlanFrozen, match="avbruten"):
        services.activity_delete(activity=activity, actor=None)
