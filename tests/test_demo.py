"""`manage.py load_demo`: the demo a newcomer sees after `make run`."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from actionplans.models import ActionPlan
from councils.demo import DEMO_PASSWORD
from councils.models import Council, Membership
from minutes.models import Meeting, Minutes
from tests.pages import page_text

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every project model, as values, to compare two states of the database."""
    rows = {}
    for label in ("core", "councils", "minutes", "actionplans", "auth"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(repr, model.objects.values()))
    return rows


def test_loading_twice_changes_nothing():
    first = load()
    before = snapshot()
    second = load()
    assert "Demo data loaded" in first
    assert "nothing changed" in second
    assert snapshot() == before


def test_the_demo_prints_its_logins():
    out = load()
    assert DEMO_PASSWORD in out
    for username in ("sekreterare", "ordforande", "admin"):
        assert username in out


def test_the_demo_logins_work_and_are_linked_to_their_people():
    load()
    secretary = authenticate(
        RequestFactory().get("/"), username="sekreterare", password=DEMO_PASSWORD
    )
    chair = authenticate(RequestFactory().get("/"), username="ordforande", password=DEMO_PASSWORD)
    assert secretary.person.name == "Måns von Stedingk"
    assert chair.person.name == "Anders Röhfors"
    assert authenticate(
        RequestFactory().get("/"), username="admin", password=DEMO_PASSWORD
    ).is_superuser


def test_the_council_has_the_people_of_the_seed():
    load()
    council = Council.objects.get(municipality__slug="arboga", slug="forebyggande-radet")
    assert council.municipality.name == "Arboga kommun"
    assert council.municipality.place_name == "Arboga"
    roles = {(m.person.name, m.role) for m in council.memberships.select_related("person")}
    assert ("Anders Röhfors", "chair") in roles
    assert ("Måns von Stedingk", "representative") in roles
    assert ("Måns von Stedingk", "secretary") in roles
    assert council.memberships.filter(role=Membership.Role.REPRESENTATIVE).count() == 9
    police = council.memberships.get(person__name="Stefan Persson")
    assert (police.title, police.organisation) == ("Kommunpolis", "Polismyndigheten")


def test_the_reference_meeting_has_seven_items_and_item_five_seven_sub_sections():
    load()
    meeting = Meeting.objects.get(date=datetime.date(2020, 2, 24))
    minutes = meeting.minutes.get(revision=1)
    items = list(minutes.items.order_by("position"))
    assert [i.number for i in items] == ["1", "2", "3", "4", "5", "6", "7"]
    assert items[0].title == "Föregående minnesanteckningar"
    assert "möte den 26 november 2019" in items[0].decision
    assert items[-1].title == "Övriga frågor"
    assert [s.heading for s in items[4].sections.all()] == [
        "Kommunstyrelseförvaltningen",
        "Socialförvaltningen",
        "Utvecklingscentrum",
        "Västra Mälardalens Kommunalförbund",
        "Barn- och utbildningsförvaltningen",
        "ABO",
        "Fritids- och kulturförvaltningen",
    ]
    assert minutes.attendance.count() == 12
    assert meeting.chaired_by.name == "Anders Röhfors"


def test_item_three_carries_its_own_copy_of_the_plans_goals():
    load()
    plan = ActionPlan.objects.get(year=2020)
    goals = list(plan.goals.values_list("title", flat=True))
    assert len(goals) == 3
    item = Minutes.objects.get(meeting__date=datetime.date(2020, 2, 24)).items.get(position=3)
    assert item.points == [{"text": goal} for goal in goals]


def test_the_demo_year_adopts_follows_up_and_reports_on_the_plan(client):
    from actionplans import selectors
    from actionplans.models import AnnualReport

    load()
    plan = ActionPlan.objects.get(year=2020)
    [adoption] = selectors.adoptions(plan)
    assert adoption.meeting.date == datetime.date(2020, 2, 24)
    follow_ups = selectors.approved_follow_ups().filter(activity__goal__plan=plan)
    assert len({f.meeting.date for f in follow_ups}) >= 2
    report = AnnualReport.objects.get(year=2020)
    assert report.is_adopted and len(report.pdf_sha256) == 64
    assert selectors.report_adoption(report).meeting.date == datetime.date(2021, 2, 22)
    page = page_text(client.get("/arboga/forebyggande-radet/handlingsplaner/2020/"))
    assert (
        "Antagen vid mötet den 24 februari 2020" in page and "Uppföljning 21 september 2020" in page
    )
    council = client.get("/arboga/forebyggande-radet/").content.decode()
    assert "arboga-forebyggande-radet-verksamhetsberattelse-2020.pdf" in council


def test_there_is_a_previous_and_a_coming_meeting():
    load()
    assert Meeting.objects.filter(date=datetime.date(2019, 11, 26)).exists()
    assert Meeting.objects.filter(date__gt=timezone.localdate()).count() == 1


def test_the_front_page_and_council_page_show_the_demo(client):
    load()
    assert "Förebyggande rådet" in page_text(client.get("/"))
    text = page_text(client.get("/arboga/forebyggande-radet/"))
    assert "Anders Röhfors (M) ordförande" in text
    assert "Kommunpolis Stefan Persson" in text
    assert "24 februari 2020" in text


def test_the_demos_approved_minutes_are_frozen_with_their_pdfs():
    from minutes.models import ApprovedRevision

    load()
    council = ApprovedRevision.objects.filter(minutes__meeting__council__slug="forebyggande-radet")
    assert council.count() == 6  # 2019, four in 2020, February 2021
    assert all(r.pdf_size > 0 and len(r.pdf_sha256) == 64 for r in ApprovedRevision.objects.all())


def test_the_council_page_links_the_approved_pdfs(client):
    import re

    load()
    html = client.get("/arboga/forebyggande-radet/").content.decode()
    links = re.findall(
        r'href="(/arboga/forebyggande-radet/(\d{4}-\d\d-\d\d)/arboga-forebyggande-radet-\2\.pdf)"',
        html,
    )
    assert len(links) == 5  # the two latest years: 2021 and 2020
    response = client.get(links[0][0], follow=True)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.7")
