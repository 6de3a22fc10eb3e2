"""The pages that link an item to a plan or report and record its follow-ups: happy paths,
anonymous, another council (404), a member (403), the wrong state (409)."""

import datetime

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import FollowUp, ItemLink
from minutes.models import Minutes
from tests.actionplans.helpers import (
    adopt,
    assert_outsider_404_member_403,
    assert_sign_in_needed,
    meeting_draft,
    new_item,
    plan_with_goals,
)
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
MAY = datetime.date(2020, 5, 12)


@pytest.fixture
def plan(cast):
    return plan_with_goals(cast.council)


@pytest.fixture
def item(cast, plan):
    return new_item(meeting_draft(cast), "Förebyggande rådets handlingsplan 2020")


def item_url(name, item):
    return reverse(f"plans:{name}", args=[*SLUGS, item.minutes.meeting_id, item.pk])


def test_the_secretary_links_an_item_to_the_plan_from_the_item_page(client, cast, plan, item):
    client.force_login(cast.secretary)
    editor = client.get(
        reverse("drafting:item", args=[*SLUGS, item.minutes.meeting_id, item.pk])
    ).content.decode()
    assert item_url("item_link", item) in editor
    page = client.get(item_url("item_link", item))
    assert "Anta en handlingsplan" in page_text(page)
    response = client.post(item_url("item_link", item), {"action": "plan", "target": plan.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert [p["text"] for p in item.points] == ["Ökad trygghet", "Meningsfull fritid"]
    editor = client.get(response["Location"])
    assert "Ökad trygghet" in page_text(editor)
    # the box is named for what it holds; "Punktlista" is the editor's list button only
    assert "Punkter från handlingsplanen" in page_text(editor)
    assert "Punktlista" not in page_text(editor)
    assert "Ärendet antar Handlingsplan 2020" in page_text(client.get(item_url("item_link", item)))
    client.post(item_url("item_link", item), {"action": "unlink"})
    assert not ItemLink.objects.exists()


def test_bad_link_requests_get_a_message_and_change_nothing(client, cast, plan, item):
    client.force_login(cast.secretary)
    other = services.plan_create(council=cast.other_council, year=2020, actor=None)
    for data in (
        {"action": "plan", "target": other.pk},
        {"action": "plan", "target": "x" * 40},
        {"action": "report", "target": ""},
        {"action": "dansa"},
    ):
        response = client.post(item_url("item_link", item), data, follow=True)
        assert response.status_code == 200
        assert any(w in page_text(response) for w in ("Välj", "Välj vad")), data
    response = client.post(item_url("item_link", item), {"action": "follow_up", "target": plan.pk}, follow=True)  # fmt: skip
    assert "måste vara antagen" in page_text(response)
    assert not ItemLink.objects.exists()


def test_linking_in_minutes_that_are_not_a_draft_is_a_conflict(client, cast, plan, item):
    Minutes.objects.filter(pk=item.minutes_id).update(status=Minutes.Status.SUBMITTED)
    client.force_login(cast.secretary)
    response = client.post(item_url("item_link", item), {"action": "plan", "target": plan.pk})
    assert response.status_code == 409 and "inte längre ett utkast" in page_text(response)
    assert not ItemLink.objects.exists()


def test_the_secretary_records_the_follow_up(client, cast, plan):
    adopt(plan, cast)
    item = meeting_draft(cast, MAY).items.get(title=services.FOLLOW_UP_TITLE)
    client.force_login(cast.secretary)
    page = client.get(item_url("item_link", item))
    assert "btn btn-primary" in page.content.decode()  # following up is the suggestion here
    response = client.post(item_url("item_link", item), {"action": "follow_up", "target": plan.pk})
    assert response["Location"] == item_url("follow_up", item)
    form = client.get(item_url("follow_up", item))
    assert "Trygg handel" in page_text(form) and "Ökad trygghet" in page_text(form)
    ids = {a.title: a.pk for a in plan.goals.get(position=1).activities.all()}
    t, lov = ids["Trygg handel"], ids["Lovaktiviteter"]
    bad = client.post(
        item_url("follow_up", item),
        {f"a{t}-status": "done", f"a{t}-text": "", f"a{lov}-status": "planned", f"a{lov}-text": ""},
    )
    assert bad.status_code == 400 and "Skriv en kort uppföljning" in page_text(bad)
    assert not FollowUp.objects.exists()
    ok = client.post(
        item_url("follow_up", item),
        {f"a{t}-status": "done", f"a{t}-text": "Klart.", f"a{lov}-status": "planned", f"a{lov}-text": ""},
    )  # fmt: skip
    assert ok.status_code == 302
    assert FollowUp.objects.get().text == "Klart."
    # the form shows what was saved
    assert "Klart." in client.get(item_url("follow_up", item)).content.decode()


def test_the_follow_up_page_of_an_unlinked_item_is_404(client, cast, item):
    client.force_login(cast.secretary)
    assert client.get(item_url("follow_up", item)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, item):
    assert_sign_in_needed(client, [item_url("item_link", item), item_url("follow_up", item)])


def test_another_councils_secretary_gets_404_a_member_403_and_nothing_changes(
    client, cast, plan, item
):
    data = {"action": "plan", "target": plan.pk, "year": 2021, "title": "X", "body": "X"}
    urls = [item_url("item_link", item), item_url("follow_up", item)]
    assert_outsider_404_member_403(client, cast, urls, data)
    assert not ItemLink.objects.exists()


def test_an_administrator_may_link(client, cast, plan, item):
    client.force_login(cast.admin)
    client.post(item_url("item_link", item), {"action": "plan", "target": plan.pk})
    assert ItemLink.objects.filter(item=item).exists()
