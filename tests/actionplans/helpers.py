"""The shortest ways to a plan adopted, followed up and reported on by approved minutes, and the
checks that a set of the secretaries' pages is closed to everyone else."""

import datetime

from actionplans import services
from actionplans.models import Activity
from minutes import services as minutes_services
from tests.minutes.drafting_fixtures import submit_and_approve


def plan_with_goals(council, year=2020, goals=("Ökad trygghet", "Meningsfull fritid"), activities=(("Trygg handel", "ongoing"), ("Lovaktiviteter", "planned"))):  # fmt: skip
    """A plan whose first goal has ``activities`` (title, status)."""
    plan = services.plan_create(council=council, year=year, actor=None)
    created = [
        services.goal_create(plan=plan, title=title, description="", actor=None) for title in goals
    ]
    for title, status in activities:
        services.activity_create(goal=created[0], actor=None, title=title, status=status)
    return plan


def meeting_draft(cast, date=datetime.date(2020, 2, 24)):
    """A meeting of the cast's council with draft minutes from its standing agenda."""
    meeting = minutes_services.meeting_create(
        council=cast.council,
        date=date,
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        place="Kommunstyrelsesalen",
        actor=cast.secretary,
    )
    return meeting.minutes.get()


def new_item(minutes, title):
    return minutes_services.item_create(minutes=minutes, title=title, actor=None)


def adopt(plan, cast, date=datetime.date(2020, 2, 24)):
    """A meeting on ``date`` whose approved minutes adopt the plan: the adopting item."""
    minutes = meeting_draft(cast, date)
    item = new_item(minutes, f"{plan.title} antas")
    services.link_plan(item=item, plan=plan, actor=cast.secretary)
    submit_and_approve(minutes, cast)
    return item


def follow_up(plan, cast, date, entries):
    """A meeting on ``date`` whose approved minutes follow the plan up; ``entries`` are
    (activity title, status, text). Returns the follow-up item."""
    minutes = meeting_draft(cast, date)
    item = minutes.items.get(title=services.FOLLOW_UP_TITLE)
    services.link_follow_up(item=item, plan=plan, actor=cast.secretary)
    activities = {a.title: a.pk for a in Activity.objects.filter(goal__plan=plan)}
    services.follow_ups_save(
        item=item,
        entries=[services.FollowUpInput(activities[t], s, text) for t, s, text in entries],
        actor=cast.secretary,
    )
    submit_and_approve(minutes, cast)
    return item


def assert_sign_in_needed(client, urls):
    """Anonymous visitors are sent to sign in from each of ``urls``, by GET (or get 405 where
    the page only takes POST) and by POST."""
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert "/konto/" in response["Location"]
        response = client.post(url, {"action": "plan"})
        assert response.status_code == 302 and "/konto/" in response["Location"], url


def assert_outsider_404_member_403(client, cast, urls, data):
    """Another council's secretary gets 404 and a member of the council 403 from each of
    ``urls``, by GET and by POST of ``data`` (or 405 where the page takes only the other)."""
    for user, status in ((cast.outsider, 404), (cast.member, 403)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (status, 405), (user, url)
            assert client.post(url, data).status_code in (status, 405), (user, url)
