"""The public action plan pages."""

import datetime

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, FollowUp
from tests import factories
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
LIST = "/arboga/forebyggande-radet/handlingsplaner/"


def adopted_plan(council, year=2020, activities=(("Trygg handel", "done"), ("Lovaktiviteter", "ongoing"), ("Nattvandring", "cancelled"))):  # fmt: skip
    plan = services.plan_create(council=council, year=year, actor=None)
    plan.status = ActionPlan.Status.ACTIVE  # adopted (issue 7 derives it from approved minutes)
    plan.save()
    goal = services.goal_create(plan=plan, title="Ökad trygghet", description="", actor=None)
    for title, status in activities:
        services.activity_create(goal=goal, actor=None, title=title, status=status)
    return plan


def test_the_plan_page_shows_goals_activities_and_progress(client, cast):
    plan = adopted_plan(cast.council)
    activity = plan.goals.get().activities.get(title="Lovaktiviteter")
    meeting = factories.meeting(cast.council, datetime.date(2020, 9, 1))
    FollowUp.objects.create(
        activity=activity, meeting=meeting, date=meeting.date, text="Sommarlovet gick bra.",
        status="ongoing",
    )  # fmt: skip
    response = client.get(f"{LIST}2020/")
    text = page_text(response)
    html = response.content.decode()
    assert "1. Ökad trygghet" in text and "1 av 2 insatser genomförda (1 avbruten)" in text
    assert '<progress class="w-100" id="framsteg-1" value="1" max="2">' in html
    assert "Uppföljning 1 september 2020 (möte 1 september 2020): Sommarlovet gick bra." in text
    assert "Nattvandring" in text and "Avbruten" in text


def test_the_council_page_links_the_plans_and_drafts_stay_out(client, cast):
    adopted_plan(cast.council)
    services.plan_create(council=cast.council, year=2021, actor=None)  # a draft
    council_page = client.get(reverse("minutes:council", args=SLUGS)).content.decode()
    assert f'href="{LIST}"' in council_page
    listing = page_text(client.get(LIST))
    assert "Handlingsplan 2020" in listing and "Handlingsplan 2021" not in listing
    assert client.get(f"{LIST}2021/").status_code == 404
    assert client.get(f"{LIST}1999/").status_code == 404
    assert client.get("/arboga/finns-inte/handlingsplaner/").status_code == 404


@pytest.mark.parametrize("size", [1, 12])
def test_the_plan_page_runs_five_queries_whatever_its_size(
    client, cast, django_assert_num_queries, size
):
    plan = adopted_plan(cast.council, activities=[(f"Insats {n}", "planned") for n in range(size)])
    for n in range(size):
        goal = services.goal_create(plan=plan, title=f"Mål {n}", description="", actor=None)
        activity = services.activity_create(goal=goal, actor=None, title="X", status="done")
        FollowUp.objects.create(
            activity=activity, date=datetime.date(2020, 5, 1), text="Ok", status="done"
        )
    with django_assert_num_queries(5):
        assert client.get(f"{LIST}2020/").status_code == 200
    with django_assert_num_queries(2):
        assert client.get(LIST).status_code == 200
