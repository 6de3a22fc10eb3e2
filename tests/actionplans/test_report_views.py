"""The secretaries' annual report pages: assembling a year's report, editing and reassembling
it, its PDF, and adoption at a meeting; anonymous, another council (404), a member (403), the
wrong state (409)."""

import datetime

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import AnnualReport
from minutes import pdf as minutes_pdf
from minutes import services as minutes_services
from minutes.models import Minutes
from tests.actionplans.helpers import (
    adopt,
    assert_outsider_404_member_403,
    assert_sign_in_needed,
    meeting_draft,
    new_item,
    plan_with_goals,
)
from tests.factories import PASSWORD
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]


@pytest.fixture
def plan(cast):
    return plan_with_goals(cast.council)


def report_urls():
    p = [*SLUGS, 2020]
    return [
        reverse("plans:report_add", args=SLUGS),
        reverse("plans:report", args=p),
        reverse("plans:report_reassemble", args=p),
        reverse("plans:report_pdf", args=p),
    ]


def test_the_secretary_assembles_edits_and_reassembles_the_report(client, cast, plan):
    adopt(plan, cast)
    client.force_login(cast.secretary)
    listing = reverse("plans:list", args=SLUGS)
    response = client.post(reverse("plans:report_add", args=SLUGS), {"report-year": 2020})
    report = AnnualReport.objects.get()
    assert response["Location"] == reverse("plans:report", args=[*SLUGS, 2020])
    page = client.get(response["Location"])
    assert "Handlingsplanen antogs den 24 februari 2020" in page.content.decode()
    again = client.post(reverse("plans:report_add", args=SLUGS), {"report-year": 2020}, follow=True)
    assert "redan en verksamhetsberättelse" in page_text(again)
    bad = client.post(reverse("plans:report_add", args=SLUGS), {"report-year": "x"}, follow=True)
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


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    services.report_create(council=cast.council, year=2020, actor=None)
    assert_sign_in_needed(client, report_urls())


def test_another_councils_secretary_gets_404_a_member_403_and_nothing_changes(client, cast, plan):
    services.report_create(council=cast.council, year=2020, actor=None)
    data = {"action": "plan", "target": plan.pk, "year": 2021, "title": "X", "body": "X"}
    assert_outsider_404_member_403(client, cast, report_urls(), data)
    assert AnnualReport.objects.get().title == "Verksamhetsberättelse 2020"


def test_a_failing_render_approves_nothing_and_says_why(client, cast, plan, monkeypatch):
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
