"""The pages that link an item to a plan or report, record follow-ups, revise a plan and edit
a report: happy paths, anonymous, another council (404), a member (403), the wrong state (409)."""

import datetime

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import AnnualReport, FollowUp, ItemLink
from minutes.models import Minutes
from tests.actionplans.helpers import adopt, meeting_draft, new_item, plan_with_goals
from tests.minutes import pdftext
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
    assert "Ökad trygghet" in page_text(editor) and "Punktlista" in page_text(editor)
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


def test_goals_of_an_adopted_plan_are_a_conflict_and_revising_opens_them(client, cast, plan):
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


def test_the_secretary_assembles_edits_and_reassembles_the_report(client, cast, plan):
    adopt(plan, cast)
    client.force_login(cast.secretary)
    listing = reverse("plans:list", args=SLUGS)
    response = client.post(reverse("plans:report_add", args=SLUGS), {"year": 2020})
    report = AnnualReport.objects.get()
    assert response["Location"] == reverse("plans:report", args=[*SLUGS, 2020])
    page = client.get(response["Location"])
    assert "Handlingsplanen antogs den 24 februari 2020" in page.content.decode()
    again = client.post(reverse("plans:report_add", args=SLUGS), {"year": 2020}, follow=True)
    assert "redan en verksamhetsberättelse" in page_text(again)
    bad = client.post(reverse("plans:report_add", args=SLUGS), {"year": "x"}, follow=True)
    assert "fyra siffror" in page_text(bad)
    url = reverse("plans:report", args=[*SLUGS, 2020])
    empty = client.post(url, {"title": "", "introduction": "", "body": ""})
    assert empty.status_code == 400
    client.post(
        url, {"title": "Verksamhetsberättelse 2020", "introduction": "Hej.", "body": "Kort."}
    )
    report.refresh_from_db()
    assert report.introduction == "Hej." and report.body == "<p>Kort.</p>"
    client.post(reverse("plans:report_reassemble", args=[*SLUGS, 2020]))
    report.refresh_from_db()
    assert "Rådets möten" in report.body and report.introduction == "Hej."
    preview = client.get(reverse("plans:report_pdf", args=[*SLUGS, 2020]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert "Verksamhetsberättelse 2020" in page_text(client.get(listing))


def test_an_adopted_report_is_a_conflict_to_edit(client, cast, plan):
    report = services.report_create(council=cast.council, year=2020, actor=None)
    AnnualReport.objects.filter(pk=report.pk).update(
        adopted_at=datetime.datetime(2021, 3, 1, tzinfo=datetime.UTC),
        pdf_name="reports/x.pdf", pdf_sha256="0" * 64, pdf_size=1,
    )  # fmt: skip
    client.force_login(cast.secretary)
    url = reverse("plans:report", args=[*SLUGS, 2020])
    assert "låsta" in page_text(client.get(url))
    response = client.post(url, {"title": "Ändrad", "introduction": "", "body": ""})
    assert response.status_code == 409
    assert client.post(reverse("plans:report_reassemble", args=[*SLUGS, 2020])).status_code == 409
    report.refresh_from_db()
    assert report.title == "Verksamhetsberättelse 2020"


def _all_urls(item):
    p = [*SLUGS, 2020]
    return [
        item_url("item_link", item),
        item_url("follow_up", item),
        reverse("plans:plan_revise", args=p),
        reverse("plans:plan_pdf", args=p),
        reverse("plans:report_add", args=SLUGS),
        reverse("plans:report", args=p),
        reverse("plans:report_reassemble", args=p),
        reverse("plans:report_pdf", args=p),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, item):
    services.report_create(council=cast.council, year=2020, actor=None)
    for url in _all_urls(item):
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert "/konto/" in response["Location"]
        response = client.post(url, {"action": "plan"})
        assert response.status_code == 302 and "/konto/" in response["Location"], url


def test_another_councils_secretary_gets_404_a_member_403_and_nothing_changes(
    client, cast, plan, item
):
    services.report_create(council=cast.council, year=2020, actor=None)
    data = {"action": "plan", "target": plan.pk, "year": 2021, "title": "X", "body": "X"}
    for user, status in ((cast.outsider, 404), (cast.member, 403)):
        client.force_login(user)
        for url in _all_urls(item):
            assert client.get(url).status_code in (status, 405), (user, url)
            assert client.post(url, data).status_code in (status, 405), (user, url)
    assert not ItemLink.objects.exists()
    assert AnnualReport.objects.get().title == "Verksamhetsberättelse 2020"
    assert plan.revision == 1


def test_an_administrator_may_link(client, cast, plan, item):
    client.force_login(cast.admin)
    client.post(item_url("item_link", item), {"action": "plan", "target": plan.pk})
    assert ItemLink.objects.filter(item=item).exists()


def test_a_failing_render_approves_nothing_and_says_why(client, cast, plan, monkeypatch):
    from minutes import pdf as minutes_pdf
    from minutes import services as minutes_services
    from tests.factories import PASSWORD

    minutes = meeting_draft(cast)
    report = services.report_create(council=cast.council, year=2019, actor=None)
    services.link_report(item=new_item(minutes, "Verksamhetsberättelse"), report=report, actor=None)
    minutes_services.minutes_submit(minutes=minutes, actor=cast.secretary)

    def fail(html, **kwargs):
        raise minutes_pdf.RenderError("Dokumentet tog för lång tid att skapa.")

    monkeypatch.setattr(minutes_pdf.get_renderer(), "render_html", fail)
    client.force_login(cast.chair)
    response = client.post(
        reverse("drafting:review", args=[*SLUGS, minutes.meeting_id]),
        {"action": "approve", "password": PASSWORD},
    )
    assert response.status_code == 400
    assert "inte godkända: Dokumentet tog för lång tid att skapa." in page_text(response)
    minutes.refresh_from_db()
    report.refresh_from_db()
    assert minutes.status == Minutes.Status.SUBMITTED and not report.is_adopted
    client.force_login(cast.secretary)
    preview = client.get(reverse("plans:plan_pdf", args=[*SLUGS, 2020]))
    assert preview.status_code == 503 and "för lång tid" in preview.content.decode()
