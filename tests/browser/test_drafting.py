"""The secretary's working day in a real browser: a meeting from the standing agenda,
attendance, an item written in the editor and saved by itself, and nothing lost offline or
when two people edit the same item."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from councils.demo import DEMO_PASSWORD
from minutes.models import AgendaItem

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def sign_in(page, site, username="sekreterare"):
    page.goto(site + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/arbete/")


def create_meeting(page):
    page.get_by_role("link", name="Nytt möte").click()
    page.get_by_label("Datum").fill("2027-01-18")
    page.get_by_label("Starttid").fill("08:30")
    page.get_by_label("Sluttid").fill("10:30")
    page.get_by_role("button", name="Skapa mötet").click()
    page.wait_for_url("**/moten/*/")


def wait_state(page, pattern: str) -> None:
    """Until the editor's save state matches ``pattern`` ("^Sparat"). A locator assertion, not
    wait_for_function, which evaluates a string and so is refused by the page's policy."""
    expect(page.locator("#save-state")).to_have_text(re.compile(pattern))


def open_item(page, title):
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_selector(".richtext-area")


def test_secretary_drafts_an_item_that_is_saved_by_itself(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    assert page.get_by_text("Mötet är skapat med rådets stående dagordning.").is_visible()
    titles = page.locator("#item-list li").all_inner_texts()
    assert any("Förebyggande rådets handlingsplan 2027" in t for t in titles)

    page.get_by_label("Närvaro för Hans Ivarsson").select_option("absent")
    page.get_by_role("button", name="Spara närvaron").click()
    assert page.get_by_text("Närvaron är sparad.").is_visible()
    assert "Frånvarande Hans Ivarsson." in page.locator("article.minutes-doc").inner_text().replace(
        "\n", " "
    )

    open_item(page, "Övriga frågor")
    editor = page.locator(".richtext-area").first
    editor.click()
    page.keyboard.type("Rådet diskuterar ")
    page.keyboard.press("Control+i")
    page.keyboard.type("Trygg handel")
    page.keyboard.press("Control+i")
    page.keyboard.type(" i centrum.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Punktlista").first.click()
    page.keyboard.type("Belysning")
    page.keyboard.press("Enter")
    page.keyboard.type("Klotter")
    wait_state(page, "^Sparat")

    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2027-01-18")
    assert item.body == (
        "<p>Rådet diskuterar <em>Trygg handel</em> i centrum.</p><ul><li>Belysning</li><li>Klotter</li></ul>"
    )
    page.reload()
    editor = page.locator(".richtext-area").first
    assert editor.locator("em").inner_text() == "Trygg handel"
    assert editor.locator("li").all_inner_texts() == ["Belysning", "Klotter"]
    assert not page.locator("#restore").is_visible()
    context.close()


def test_text_typed_offline_is_offered_back_after_the_page_was_closed(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    item_url = page.url
    page.locator(".richtext-area").first.click()
    page.keyboard.type("Skrivet före avbrottet.")
    wait_state(page, "^Sparat")

    context.set_offline(True)
    page.keyboard.press("Enter")
    page.keyboard.type("Skrivet utan anslutning.")
    wait_state(page, "ingen anslutning")
    page.close()
    context.set_offline(False)

    again = context.new_page()
    again.goto(item_url)
    banner = again.locator("#restore")
    banner.wait_for(state="visible")
    assert "inte hann sparas" in banner.inner_text()
    again.get_by_role("button", name="Återställ min text").click()
    wait_state(again, "^Sparat")
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2027-01-18")
    assert item.body == "<p>Skrivet före avbrottet.</p><p>Skrivet utan anslutning.</p>"
    context.close()


def test_two_people_on_one_item_see_the_conflict_instead_of_overwriting(browser, site):
    first = browser.new_context(locale="sv-SE")
    page_a = first.new_page()
    sign_in(page_a, site)
    create_meeting(page_a)
    open_item(page_a, "Övriga frågor")
    item_url = page_a.url

    second = browser.new_context(locale="sv-SE")
    page_b = second.new_page()
    sign_in(page_b, site, username="admin")
    page_b.goto(item_url)
    page_b.wait_for_selector(".richtext-area")

    page_a.locator(".richtext-area").first.click()
    page_a.keyboard.type("Texten från den första.")
    wait_state(page_a, "^Sparat")

    page_b.locator(".richtext-area").first.click()
    page_b.keyboard.type("Texten från den andra.")
    conflict = page_b.locator("#conflict")
    conflict.wait_for(state="visible")
    assert "Texten från den första." in conflict.locator("[data-conflict-theirs]").inner_text()
    assert "Texten från den andra." in conflict.locator("[data-conflict-mine]").inner_text()
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2027-01-18")
    assert item.body == "<p>Texten från den första.</p>"

    page_b.get_by_role("button", name="Behåll min text").click()
    wait_state(page_b, "^Sparat")
    item.refresh_from_db()
    assert item.body == "<p>Texten från den andra.</p>"
    first.close()
    second.close()


def test_items_move_by_keyboard_buttons(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    button = page.get_by_role("button", name="Flytta upp Övriga frågor")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    titles = page.locator("#item-list li a").all_inner_texts()
    assert titles[-2:] == ["Övriga frågor", "Uppföljning av handlingsplanen"]
    context.close()


def test_items_are_reordered_by_dragging(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    items = page.locator("#item-list li[data-item-id]")
    last, first = items.last, items.first
    with page.expect_navigation():
        last.drag_to(first, target_position={"x": 20, "y": 2})
    titles = page.locator("#item-list li a").all_inner_texts()
    assert titles[0] == "Övriga frågor"
    assert titles[1] == "Föregående minnesanteckningar"
    context.close()


def test_signing_out_clears_the_texts_kept_in_the_browser(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    page.evaluate(
        "localStorage.setItem('protokollet:item:1', '{}'); localStorage.setItem('annat', 'kvar')"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Logga ut").click()
    assert page.evaluate("localStorage.getItem('protokollet:item:1')") is None
    assert page.evaluate("localStorage.getItem('annat')") == "kvar"
    context.close()


def test_text_typed_after_the_session_expired_is_kept_and_saved_after_signing_in_again(
    browser, site
):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    item_url = page.url
    context.clear_cookies()  # the session has expired
    page.locator(".richtext-area").first.click()
    page.keyboard.type("Skrivet efter att sessionen gick ut.")
    wait_state(page, "utloggad")

    sign_in(page, site)
    page.goto(item_url)
    page.locator("#restore").wait_for(state="visible")
    page.get_by_role("button", name="Återställ min text").click()
    wait_state(page, "^Sparat")
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2027-01-18")
    assert item.body == "<p>Skrivet efter att sessionen gick ut.</p>"
    context.close()
