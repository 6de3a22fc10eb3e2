"""The public action plan pages: adopted plans and reports only, with the adopting meeting,
the follow-ups of approved minutes, and the PDFs under readable names."""

import datetime
import hashlib

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.pdf import plan_html
from minutes import services as minutes_services
from tests.actionplans.helpers import adopt, follow_up, meeting_draft, new_item, plan_with_goals
from tests.minutes import pdftext
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
LIST = "/arboga/forebyggande-radet/handlingsplaner/"
PLAN_PDF = f"{LIST}2020/arboga-forebyggande-radet-handlingsplan-2020.pdf"
REPORT_PDF = (
    "/arboga/forebyggande-radet/verksamhetsberattelser/2020/"
    "arboga-forebyggande-radet-verksamhetsberattelse-2020.pdf"
)
ACTIVITIES = (("Trygg handel", "done"), ("Lovaktiviteter", "ongoing"), ("Nattvandring", "cancelled"))  # fmt: skip


@pytest.fixture
def plan(cast):
    plan = plan_with_goals(cast.council, goals=("Ökad trygghet",), activities=ACTIVITIES)
    adopt(plan, cast)
    return plan


def test_the_plan_page_shows_the_adopting_meeting_goals_progress_and_follow_ups(client, cast, plan):
    follow_up(plan, cast, datetime.date(2020, 9, 1), [("Lovaktiviteter", "ongoing", "Sommarlovet gick bra.")])  # fmt: skip
    # a follow-up in minutes not yet approved stays out
    draft = meeting_draft(cast, datetime.date(2020, 11, 3)).items.get(
        title=services.FOLLOW_UP_TITLE
    )
    services.link_follow_up(item=draft, plan=plan, actor=None)
    trade = plan.goals.get().activities.get(title="Lovaktiviteter").pk
    services.follow_ups_save(
        item=draft, entries=[services.FollowUpInput(trade, "done", "Hemligt utkast.")], actor=None
    )
    response = client.get(f"{LIST}2020/")
    text = page_text(response)
    html = response.content.decode()
    assert "Antagen vid mötet den 24 februari 2020 (punkt" in text
    assert 'href="/arboga/forebyggande-radet/2020-02-24/#punkt-' in html
    assert "1. Ökad trygghet" in text and "1 av 2 insatser genomförda (1 avbruten)" in text
    assert '<progress class="w-100" id="framsteg-1" value="1" max="2">' in html
    assert "Uppföljning 1 september 2020: Sommarlovet gick bra. – pågår" in text
    assert "Hemligt utkast" not in text
    assert "Nattvandring" in text and "Avbruten" in text
    assert f'href="{PLAN_PDF}"' in html


def test_a_plan_under_revision_says_so(client, cast, plan):
    services.plan_revise(plan=plan, actor=None)
    assert "Målen håller på att revideras" in page_text(client.get(f"{LIST}2020/"))


def test_the_council_page_lists_plans_and_reports_and_drafts_stay_out(client, cast, plan):
    services.plan_create(council=cast.council, year=2021, actor=None)  # a draft plan
    services.report_create(council=cast.council, year=2021, actor=None)  # a draft report
    council_page = client.get(reverse("minutes:council", args=SLUGS))
    html = council_page.content.decode()
    assert f'href="{LIST}"' in html and f'href="{LIST}2020/"' in html
    assert "Handlingsplan 2021" not in page_text(council_page)
    listing = page_text(client.get(LIST))
    assert "Handlingsplan 2020" in listing and "Handlingsplan 2021" not in listing
    assert "ingen antagen verksamhetsberättelse" in listing
    assert client.get(f"{LIST}2021/").status_code == 404
    assert client.get(f"{LIST}1999/").status_code == 404
    assert client.get("/arboga/finns-inte/handlingsplaner/").status_code == 404


def test_the_plan_pdf_is_served_under_its_readable_name_only(client, cast, plan):
    response = client.get(PLAN_PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'inline; filename="arboga-forebyggande-radet-handlingsplan-2020.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Ökad trygghet" in " ".join(" ".join(p) for p in pdftext.raw_lines(response.content))
    assert client.get(PLAN_PDF.replace("handlingsplan-2020", "plan-2020")).status_code == 404
    assert client.get(PLAN_PDF.replace("2020", "2021")).status_code == 404
    services.plan_create(council=cast.council, year=2021, actor=None)
    assert client.get(PLAN_PDF.replace("2020", "2021")).status_code == 404  # a draft


def test_an_adopted_report_is_listed_and_its_frozen_pdf_downloaded(client, cast, plan):
    report = services.report_create(council=cast.council, year=2020, actor=None)
    assert client.get(REPORT_PDF).status_code == 404  # not adopted yet
    minutes = meeting_draft(cast, datetime.date(2021, 2, 22))
    item = new_item(minutes, "Verksamhetsberättelse 2020")
    services.link_report(item=item, report=report, actor=None)
    minutes_services.minutes_submit(minutes=minutes, actor=cast.secretary)
    minutes_services.minutes_approve(minutes=minutes, actor=cast.chair)
    report.refresh_from_db()
    assert f'href="{REPORT_PDF}"' in client.get(LIST).content.decode()
    assert (
        f'href="{REPORT_PDF}"'
        in client.get(reverse("minutes:council", args=SLUGS)).content.decode()
    )
    response = client.get(REPORT_PDF)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and hashlib.sha256(body).hexdigest() == report.pdf_sha256
    assert response["ETag"] == f'"{report.pdf_sha256}"'
    assert (
        'filename="arboga-forebyggande-radet-verksamhetsberattelse-2020.pdf"'
        in response["Content-Disposition"]
    )


@pytest.mark.parametrize("size", [1, 12])
def test_the_plan_page_runs_six_queries_whatever_its_size(
    client, cast, django_assert_num_queries, size
):
    plan = plan_with_goals(
        cast.council, goals=[f"Mål {n}" for n in range(size)],
        activities=[(f"Insats {n}", "ongoing") for n in range(size)],
    )  # fmt: skip
    adopt(plan, cast)
    follow_up(plan, cast, datetime.date(2020, 5, 1), [(f"Insats {n}", "done", "Ok") for n in range(size)])  # fmt: skip
    # council, plan, adoptions, goals, activities, follow-ups
    with django_assert_num_queries(6):
        assert client.get(f"{LIST}2020/").status_code == 200
    with django_assert_num_queries(3):  # council, plans, reports
        assert client.get(LIST).status_code == 200


def test_a_lost_report_file_is_rendered_again_when_the_bytes_match(client, cast, plan, caplog):
    from django.core.files.storage import default_storage

    report = services.report_create(council=cast.council, year=2020, actor=None)
    minutes = meeting_draft(cast, datetime.date(2021, 2, 22))
    services.link_report(item=new_item(minutes, "Verksamhetsberättelse"), report=report, actor=None)
    minutes_services.minutes_submit(minutes=minutes, actor=cast.secretary)
    minutes_services.minutes_approve(minutes=minutes, actor=cast.chair)
    report.refresh_from_db()
    default_storage.delete(report.pdf_name)
    response = client.get(REPORT_PDF)
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == report.pdf_sha256
    assert default_storage.exists(report.pdf_name)
    default_storage.delete(report.pdf_name)
    type(report).objects.filter(pk=report.pk).update(pdf_sha256="0" * 64)
    lost = client.get(REPORT_PDF)
    assert lost.status_code == 404
    assert "renders differently" in caplog.text
    # says why in Swedish: this version cannot make the adopted bytes again, a backup can
    assert lost["Content-Type"] == "text/plain; charset=utf-8"
    text = lost.content.decode()
    assert "kan inte skapas på nytt" in text and "byte för byte" in text
    assert "säkerhetskopia" in text
    assert not default_storage.exists(report.pdf_name)
    client.force_login(cast.secretary)  # the secretary's download of the adopted file says so too
    internal = client.get(reverse("plans:report_pdf", args=["arboga", "forebyggande-radet", 2020]))
    assert internal.status_code == 404 and "byte för byte" in internal.content.decode()


def test_follow_ups_of_confidential_items_and_withdrawn_minutes_stay_off_the_public_plan(
    client, cast, plan, django_capture_on_commit_callbacks
):
    from minutes.models import AgendaItem

    september = follow_up(plan, cast, datetime.date(2020, 9, 1), [("Lovaktiviteter", "ongoing", "Sommarlovet gick bra.")])  # fmt: skip
    # a follow-up item made confidential before approval
    minutes = meeting_draft(cast, datetime.date(2020, 11, 3))
    item = minutes.items.get(title=services.FOLLOW_UP_TITLE)
    services.link_follow_up(item=item, plan=plan, actor=None)
    leisure = plan.goals.get().activities.get(title="Lovaktiviteter").pk
    services.follow_ups_save(
        item=item,
        entries=[services.FollowUpInput(leisure, "ongoing", "Namngiven ungdom omhändertogs.")],
        actor=None,
    )
    AgendaItem.objects.filter(pk=item.pk).update(
        is_public=False, confidentiality_ground="OSL 26 kap. 1 §"
    )
    minutes_services.minutes_submit(minutes=minutes, actor=cast.secretary)
    minutes_services.minutes_approve(minutes=minutes, actor=cast.chair)
    public = page_text(client.get(f"{LIST}2020/"))
    assert "Sommarlovet gick bra." in public
    assert "Namngiven ungdom" not in public
    # the September minutes' publication is withdrawn: their follow-up goes from the page too
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.publication_withdraw(
            revision=september.minutes.approved_revision, actor=cast.admin, reason="Personnummer."
        )
    public = page_text(client.get(f"{LIST}2020/"))
    assert "Sommarlovet gick bra." not in public
    pdf = " ".join(" ".join(page) for page in pdftext.raw_lines(client.get(PLAN_PDF).content))
    assert "Sommarlovet" not in pdf and "Namngiven ungdom" not in pdf
    assert "Lovaktiviteter" in pdf  # the plan itself stays


def test_the_plan_keeps_digit_groups_together_on_its_page_and_in_its_pdf(client, cast, plan):
    nbsp = "\u00a0"
    plan.introduction = "Kommunen satsar 250 000 kronor."
    plan.situation_picture = "Anmälningarna ökade med 1 200 på ett år."
    plan.save()
    html = client.get(f"{LIST}2020/").content.decode()
    assert f"250{nbsp}000 kronor" in html and f"1{nbsp}200 på" in html
    plan.refresh_from_db()
    assert plan.introduction == "Kommunen satsar 250 000 kronor."  # stored as written
    # the PDF's HTML holds them together (its fonts draw the no-break space with the space's
    # glyph, so the text read back from the PDF has a plain space)
    source = plan_html(plan)
    assert f"250{nbsp}000 kronor" in source and f"1{nbsp}200 på" in source
    text = " ".join(" ".join(page) for page in pdftext.raw_lines(client.get(PLAN_PDF).getvalue()))
    assert "250 000 kronor" in text.replace(nbsp, " ")


def test_the_public_plan_keeps_digit_groups_together_in_its_headings(client, cast):
    from actionplans.models import Activity

    plan = plan_with_goals(
        cast.council, goals=("Budget 8 000 kr",), activities=(("Insats 2 500 kr", "done"),)
    )
    services.plan_update(
        plan=plan, title="Handlingsplan 1 250 000 kr", introduction="", situation_picture="",
        actor=None,
    )  # fmt: skip
    Activity.objects.filter(title="Insats 2 500 kr").update(indicator="Minst 1 000 deltagare")
    adopt(plan, cast)
    html = client.get(f"{LIST}2020/").content.decode()
    nbsp = "\u00a0"
    assert f"<h1>Handlingsplan 1{nbsp}250{nbsp}000 kr <span" in html
    assert f'id="mal-1">1. Budget 8{nbsp}000 kr</h3>' in html
    assert f"<td>Insats 2{nbsp}500 kr" in html and f"Minst 1{nbsp}000 deltagare" in html
