"""A newcomer's first minutes: the public council page, then the secretary signs in."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from councils.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def test_visitor_finds_the_council_and_the_secretary_signs_in(page, demo):
    page.goto(demo + "/")
    page.get_by_role("link", name="Förebyggande rådet").click()
    page.wait_for_url("**/arboga/forebyggande-radet/")
    assert page.get_by_role("heading", level=1).inner_text() == "Förebyggande rådet"
    expect(page.get_by_text("Anders Röhfors (M) ordförande")).to_be_visible()
    expect(page.get_by_text("Kommunpolis Stefan Persson")).to_be_visible()

    page.get_by_role("link", name="Logga in").click()
    page.get_by_label("Användarnamn").fill("sekreterare")
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Ange ett korrekt användarnamn och lösenord")).to_be_visible()
    # The name typed survives the failed attempt; only the password is asked again.
    assert page.get_by_label("Användarnamn").input_value() == "sekreterare"

    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/arbete/")
    expect(page.get_by_role("heading", name="Arbetsyta", level=1)).to_be_visible()
    page.get_by_role("link", name="Mina uppdrag").click()
    expect(page.get_by_role("heading", name="Mina uppdrag")).to_be_visible()
    row = page.get_by_role("row", name="Förebyggande rådet")
    assert "Rådsrepresentant, sekreterare" in row.inner_text()

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(demo + "/")
    assert page.get_by_role("status").inner_text() == "Du är utloggad."
    expect(page.get_by_role("link", name="Logga in").first).to_be_visible()


def test_the_skip_link_leads_keyboard_users_to_the_content(page, demo):
    page.goto(demo + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
