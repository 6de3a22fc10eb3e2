"""The action plan adopted by a meeting, in a real browser: the secretary links item 3 to the
2020 plan, the draft PDF's item 3 lists the plan's three goals, the chair approves, and the
public plan page shows the plan adopted at that meeting."""

import datetime

import pytest
from playwright.sync_api import expect

from actionplans import demo as plans_demo
from councils import demo as council_demo
from councils.demo import DEMO_PASSWORD
from minutes import demo as minutes_demo
from tests.browser.test_drafting import sign_in
from tests.minutes import pdftext

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    """The council, its people and logins, its standing agenda and the 2020 plan, but no
    meetings: the plan waits for a meeting to adopt it."""
    demo = council_demo.load_council()
    council_demo.load_logins(demo)
    minutes_demo.load_standing_agenda(demo)
    plans_demo.load_action_plan(demo)
    return live_server.url


def test_a_meeting_adopts_the_plan_and_the_public_sees_it(browser, site):
    goals = [title for title, _description, _activities in plans_demo.GOALS_2020]
    secretary = browser.new_context(locale="sv-SE")
    page = secretary.new_page()
    sign_in(page, site)
    page.get_by_role("link", name="Nytt möte").click()
    page.get_by_label("Datum").fill("2020-02-24")
    page.get_by_label("Starttid").fill("08:30")
    page.get_by_label("Sluttid").fill("10:30")
    page.get_by_role("button", name="Skapa mötet").click()
    page.wait_for_url("**/moten/*/")
    meeting_url = page.url
    titles = page.locator("#item-list li a").all_inner_texts()
    assert titles[2] == "Förebyggande rådets handlingsplan 2020"

    page.get_by_role("link", name="Förebyggande rådets handlingsplan 2020", exact=True).click()
    page.get_by_role("link", name="Handlingsplan eller verksamhetsberättelse").click()
    page.locator("#plan-target").select_option(label="Förebyggande rådets handlingsplan 2020")
    page.get_by_role("button", name="Koppla till planen").click()
    expect(page.get_by_text("Planens mål står nu som punktlista i ärendet.")).to_be_visible()
    assert page.locator("ul.points li").all_inner_texts() == goals

    preview = page.get_by_role("link", name="Förhandsgranska (PDF)").get_attribute("href")
    response = secretary.request.get(site + preview)
    assert response.headers["content-type"] == "application/pdf"
    lines = [line for p in pdftext.raw_lines(response.body()) for line in p]
    start = lines.index("3. Förebyggande rådets handlingsplan 2020")
    end = next(n for n, line in enumerate(lines) if line.startswith("4. "))
    item_three = " ".join(lines[start:end])
    for goal in goals:
        assert goal in item_three

    page.goto(meeting_url)
    page.get_by_role("button", name="Skicka för godkännande").click()
    expect(
        page.get_by_text("Utkastet är skickat till ordföranden för godkännande.")
    ).to_be_visible()

    chair = browser.new_context(locale="sv-SE")
    chair_page = chair.new_page()
    sign_in(chair_page, site, username="ordforande")
    chair_page.goto(meeting_url)
    chair_page.get_by_role("link", name="Granska och godkänn").click()
    chair_page.get_by_label("Ditt lösenord").fill(DEMO_PASSWORD)
    chair_page.get_by_role("button", name="Godkänn och justera").click()
    expect(
        chair_page.get_by_text("Minnesanteckningarna är godkända och justerade.")
    ).to_be_visible()

    public = browser.new_context(locale="sv-SE").new_page()
    public.goto(site + "/arboga/forebyggande-radet/")
    public.get_by_role("link", name="Förebyggande rådets handlingsplan 2020").click()
    adopted = public.locator("#antagande")
    assert "Antagen vid mötet den 24 februari 2020 (punkt 3)." in adopted.inner_text()
    adopted.get_by_role("link", name="24 februari 2020").click()
    public.wait_for_url("**/2020-02-24/#punkt-3")
    assert public.locator("#punkt-3 ul.points li").all_inner_texts() == goals
    assert datetime.date(2020, 2, 24).isoformat() in public.url
    for context in (secretary, chair, public.context):
        context.close()
