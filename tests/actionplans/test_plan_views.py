"""The secretaries' action plan pages (the plan, its goals and activities, its revision and its
draft PDF): happy paths, and who may not."""

import re

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, Activity, Goal
from tests.actionplans.helpers import (
    adopt,
    assert_outsider_404_member_403,
    assert_sign_in_needed,
    plan_with_goals,
)
from tests.minutes import pdftext
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]


@pytest.fixture
def plan(cast):
    plan = services.plan_create(council=cast.council, year=2020, actor=None)
    goal = services.goal_create(plan=plan, title="Ökad trygghet", description="", actor=None)
    services.activity_create(goal=goal, actor=None, title="Trygg handel", status="ongoing")
    return plan


def urls(plan):
    goal = plan.goals.get()
    activity = goal.activities.get()
    p = [*SLUGS, plan.year]
    return {
        "list": reverse("plans:list", args=SLUGS),
        "plan": reverse("plans:plan", args=p),
        "goal_add": reverse("plans:goal_add", args=p),
        "goal": reverse("plans:goal", args=[*p, goal.pk]),
        "goal_move": reverse("plans:goal_move", args=[*p, goal.pk]),
        "goal_delete": reverse("plans:goal_delete", args=[*p, goal.pk]),
        "activity_add": reverse("plans:activity_add", args=[*p, goal.pk]),
        "activity": reverse("plans:activity", args=[*p, activity.pk]),
        "activity_delete": reverse("plans:activity_delete", args=[*p, activity.pk]),
    }


def test_the_secretary_creates_next_years_plan_from_this_years(client, cast, plan):
    client.force_login(cast.secretary)
    page = client.get(reverse("plans:list", args=SLUGS))
    assert "Handlingsplan 2020" in page_text(page)
    assert 'value="2021"' in page.content.decode()
    response = client.post(reverse("plans:list", args=SLUGS), {"year": 2021, "copy_previous": "on"})
    new = ActionPlan.objects.get(year=2021)
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:plan", args=[*SLUGS, 2021]
    )
    assert [g.title for g in new.goals.all()] == ["Ökad trygghet"]
    again = client.post(reverse("plans:list", args=SLUGS), {"year": 2021})
    assert again.status_code == 200 and "redan en handlingsplan för 2021" in page_text(again)
    bad = client.post(reverse("plans:list", args=SLUGS), {"year": "tjugo"})
    assert bad.status_code == 200 and ActionPlan.objects.count() == 2


def test_each_year_field_on_the_plans_page_has_its_own_id_and_label(client, cast, plan):
    client.force_login(cast.secretary)
    html = client.get(reverse("plans:list", args=SLUGS)).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for field in re.findall(r'<input[^>]*name="(?:report-)?year"[^>]*>', html):
        field_id = re.search(r'\bid="([^"]+)"', field).group(1)
        assert len(re.findall(rf'<label\s+for="{field_id}"', html)) == 1, field_id


def test_the_secretary_edits_the_plan_its_goals_and_activities(client, cast, plan):
    client.force_login(cast.secretary)
    u = urls(plan)
    client.post(
        u["plan"],
        {"title": "Handlingsplan 2020", "introduction": "In.", "situation_picture": "Läge."},
    )
    plan.refresh_from_db()
    assert plan.situation_picture == "Läge."
    empty = client.post(u["goal_add"], {"title": " ", "description": ""})
    assert empty.status_code == 200 and "Nytt mål" in page_text(empty)
    assert "Detta fält måste fyllas i" in page_text(empty)
    client.post(u["goal_add"], {"title": "Meningsfull fritid", "description": ""})
    assert [g.title for g in plan.goals.order_by("position")] == [
        "Ökad trygghet",
        "Meningsfull fritid",
    ]
    client.post(u["goal_move"], {"riktning": "ned"})
    assert [g.title for g in plan.goals.order_by("position")] == [
        "Meningsfull fritid",
        "Ökad trygghet",
    ]
    response = client.post(
        u["activity_add"],
        {"title": "Trygghetsvandring", "responsible": "Polisen", "status": "planned",
         "start_date": "2020-05-01", "end_date": "2020-04-01", "indicator": ""},
    )  # fmt: skip
    assert response.status_code == 200 and "Slutdatum kan inte vara före startdatum" in page_text(
        response
    )
    client.post(
        u["activity_add"],
        {"title": "Trygghetsvandring", "responsible": "Polisen", "status": "planned",
         "start_date": "2020-05-01", "end_date": "", "indicator": "Genomförd i maj."},
    )  # fmt: skip
    assert "Trygghetsvandring" in page_text(client.get(u["goal"]))
    client.post(
        u["activity"],
        {"title": "Trygg handel", "responsible": "", "status": "done", "start_date": "",
         "end_date": "", "indicator": ""},
    )  # fmt: skip
    assert Activity.objects.get(title="Trygg handel").status == "done"
    client.post(u["activity_delete"])
    assert not Activity.objects.filter(title="Trygg handel").exists()
    client.post(u["goal_delete"])
    assert list(plan.goals.values_list("title", flat=True)) == ["Meningsfull fritid"]


def test_the_workspace_links_the_plans_for_those_who_edit(client, cast):
    client.force_login(cast.secretary)
    assert (
        reverse("plans:list", args=SLUGS)
        in client.get(reverse("drafting:workspace")).content.decode()
    )
    client.force_login(cast.member)
    assert (
        reverse("plans:list", args=SLUGS)
        not in client.get(reverse("drafting:workspace")).content.decode()
    )


@pytest.mark.parametrize("name", ["list", "plan", "goal", "activity"])
def test_anonymous_visitors_are_sent_to_sign_in(client, plan, name):
    response = client.get(urls(plan)[name])
    assert response.status_code == 302 and "/konto/" in response["Location"]


@pytest.mark.parametrize(
    "name", ["list", "plan", "goal_add", "goal", "goal_move", "goal_delete", "activity_add",
             "activity", "activity_delete"],
)  # fmt: skip
def test_another_councils_secretary_gets_404_and_a_member_403_and_nothing_changes(
    client, cast, plan, name
):
    url = urls(plan)[name]
    before = (Goal.objects.count(), Activity.objects.count(), ActionPlan.objects.count())
    for user, status in ((cast.outsider, 404), (cast.member, 403)):
        client.force_login(user)
        assert client.get(url).status_code in (status, 405)
        assert (
            client.post(url, {"title": "X", "year": 2030, "status": "done"}).status_code == status
        )
    assert (Goal.objects.count(), Activity.objects.count(), ActionPlan.objects.count()) == before


def test_a_plan_or_goal_of_another_council_or_year_is_404(client, cast, plan):
    other = services.plan_create(council=cast.other_council, year=2020, actor=None)
    goal = services.goal_create(plan=other, title="Annat", description="", actor=None)
    client.force_login(cast.secretary)
    assert client.get(reverse("plans:plan", args=[*SLUGS, 2031])).status_code == 404
    assert client.get(reverse("plans:goal", args=[*SLUGS, 2020, goal.pk])).status_code == 404


def test_an_administrator_may_edit(client, cast, plan):
    client.force_login(cast.admin)
    assert client.get(urls(plan)["plan"]).status_code == 200


def test_goals_of_an_adopted_plan_are_a_conflict_and_revising_opens_them(client, cast):
    plan = plan_with_goals(cast.council)
    adopt(plan, cast)
    client.force_login(cast.secretary)
    p = [*SLUGS, 2020]
    page = page_text(client.get(reverse("plans:plan", args=p)))
    assert "Version 1 antagen vid mötet den 24 februari 2020" in page and "Nytt mål" not in page
    response = client.post(reverse("plans:goal_add", args=p), {"title": "Nytt", "description": ""})
    assert response.status_code == 409 and "Revidera planen" in page_text(response)
    assert plan.goals.count() == 2
    goal_page = page_text(client.get(reverse("plans:goal", args=[*p, plan.goals.first().pk])))
    assert "målet är låst" in goal_page and "Ta bort målet" not in goal_page
    assert "Ny insats" in goal_page  # activities go on
    client.post(reverse("plans:plan_revise", args=p))
    assert "Nytt mål" in page_text(client.get(reverse("plans:plan", args=p)))
    client.post(reverse("plans:goal_add", args=p), {"title": "Nytt", "description": ""})
    assert plan.goals.count() == 3
    again = client.post(reverse("plans:plan_revise", args=p), follow=True)
    assert "inte antagen i sin nuvarande version" in page_text(again)


def test_the_plan_pdf_for_editors_says_draft_until_adopted(client, cast, plan):
    client.force_login(cast.secretary)
    url = reverse("plans:plan_pdf", args=[*SLUGS, 2020])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "UTKAST" in " ".join(" ".join(p) for p in pdftext.raw_lines(response.content))


def test_revising_and_the_draft_pdf_are_for_editors_only(client, cast, plan):
    p = [*SLUGS, 2020]
    urls = [reverse("plans:plan_revise", args=p), reverse("plans:plan_pdf", args=p)]
    assert_sign_in_needed(client, urls)
    data = {"action": "plan", "target": plan.pk, "year": 2021, "title": "X", "body": "X"}
    assert_outsider_404_member_403(client, cast, urls, data)
    plan.refresh_from_db()
    assert plan.revision == 1
