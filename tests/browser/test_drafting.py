"""The secretary's working day in a real browser: a meeting from the standing agenda,
attendance, an item written in the editor and saved by itself, and nothing lost offline or
when two people edit the same item."""

import os
import re
from pathlib import Path

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


def create_meeting(page, day: str = "2031-01-20"):
    """A new meeting on ``day``: by default a coming one, the first of its year (the demo's own
    coming meeting is a few weeks from today, so a fixed day soon would one day collide with it
    or follow it in its year); minutes are submitted only for a meeting that has been held."""
    page.get_by_role("link", name="Nytt möte").click()
    page.get_by_label("Datum").fill(day)
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
    expect(page.get_by_text("Mötet är skapat med rådets stående dagordning.")).to_be_visible()
    titles = page.locator("#item-list li").all_inner_texts()
    assert any("Förebyggande rådets handlingsplan 2031" in t for t in titles)

    page.get_by_label("Närvaro för Hans Ivarsson").select_option("absent")
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_text("Närvaron är sparad.")).to_be_visible()
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

    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
    assert item.body == (
        "<p>Rådet diskuterar <em>Trygg handel</em> i centrum.</p><ul><li>Belysning</li><li>Klotter</li></ul>"
    )
    page.reload()
    editor = page.locator(".richtext-area").first
    assert editor.locator("em").inner_text() == "Trygg handel"
    assert editor.locator("li").all_inner_texts() == ["Belysning", "Klotter"]
    expect(page.locator("#restore")).to_be_hidden()
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
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
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
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
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
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
    assert item.body == "<p>Skrivet efter att sessionen gick ut.</p>"
    context.close()


# --- The editor's rough edges (issue 17, points 11, 12, 13 and 16) -------------------------------


def test_the_plain_text_hint_shows_only_without_the_editor(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    item_url = page.url
    expect(page.locator("#id_body_helptext")).to_be_hidden()
    context.close()

    plain = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = plain.new_page()
    sign_in(page, site)
    page.goto(item_url)
    expect(page.locator("#id_body_helptext")).to_have_text("Stycken skiljs åt med en tom rad.")
    expect(page.locator("#id_body_helptext")).to_be_visible()
    plain.close()


def test_the_link_button_says_why_it_refuses_and_completes_a_bare_address(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    editor = page.locator(".richtext-area").first
    message = page.locator(".richtext-message").first
    editor.click()
    page.keyboard.type("Polisen")
    page.keyboard.press("Control+a")

    page.once("dialog", lambda dialog: dialog.accept("javascript:alert(1)"))
    page.get_by_role("button", name="Länk", exact=True).first.click()
    expect(message).to_be_visible()
    expect(message).to_have_attribute("role", "alert")
    expect(message).to_contain_text("Ingen länk lades in")
    expect(message).to_contain_text("javascript:")
    assert editor.locator("a").count() == 0

    page.once("dialog", lambda dialog: dialog.accept("www.polisen.se"))
    page.get_by_role("button", name="Länk", exact=True).first.click()
    expect(editor.locator("a")).to_have_attribute("href", "https://www.polisen.se")
    expect(message).to_have_text("")
    wait_state(page, "^Sparat")
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
    assert item.body == (
        '<p><a href="https://www.polisen.se" rel="noopener noreferrer">Polisen</a></p>'
    )
    context.close()


def test_pasted_html_is_cleaned_before_it_reaches_the_page(browser, site):
    context = browser.new_context(locale="sv-SE")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    editor = page.locator(".richtext-area").first
    probe = site + "/static/pasted-probe.png"
    pasted = (
        '<p>Första <a name="_Toc1">stycket</a></p><p></p><p>&nbsp;</p>'
        f'<p><img src="{probe}" alt="trasig"></p>'
        '<div><b>Andra</b> <a href="https://polisen.se/arboga">länk</a><a href="https://x.se"></a></div>'
        "<p><span> </span></p><script>window.pasted = 1</script>"
    )
    # Onto the system clipboard and pasted with the keyboard, as a secretary does.
    page.evaluate(
        """html => navigator.clipboard.write([new ClipboardItem({
            "text/html": new Blob([html], {type: "text/html"}),
            "text/plain": new Blob(["Första stycket Andra länk"], {type: "text/plain"}),
        })])""",
        pasted,
    )
    editor.click()
    page.keyboard.press("Control+v")
    expect(editor).to_contain_text("Andra")
    html = editor.inner_html()
    assert "<img" not in html and "<script" not in html and "<a>" not in html
    assert html.count("<a") == 1 and 'href="https://polisen.se/arboga"' in html
    assert "<p></p>" not in html and "&nbsp;</p>" not in html
    wait_state(page, "^Sparat")
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
    assert item.body == (
        "<p>Första stycket</p><p><strong>Andra</strong> "
        '<a href="https://polisen.se/arboga" rel="noopener noreferrer">länk</a></p>'
    )
    assert not [url for url in requested if "pasted-probe" in url]
    assert page.evaluate("window.pasted") is None
    context.close()


def test_text_typed_into_an_empty_editor_keeps_its_ampersands_and_spaces(browser, site):
    """The first words typed are a text node without a paragraph: they reach the server as HTML,
    not as plain text whose entities it would escape once more."""
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    editor = page.locator(".richtext-area").first
    editor.click()
    page.keyboard.type("Polis & kommun delar 8 000 kronor. ")
    wait_state(page, "^Sparat")
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
    assert item.body.startswith("<p>Polis &amp; kommun delar 8 000 kronor.")
    assert "&amp;amp;" not in item.body and "&amp;nbsp;" not in item.body
    context.close()


def test_dropped_html_is_cleaned_like_pasted_html(browser, site):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    editor = page.locator(".richtext-area").first
    probe = site + "/static/dropped-probe.png"
    box = editor.bounding_box()
    # What a drag from another page or a word processor hands over: HTML with an image.
    page.evaluate(
        """([html, x, y]) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Draget stycke");
            document.querySelector(".richtext-area").dispatchEvent(new DragEvent("drop", {
                dataTransfer: data, clientX: x, clientY: y, bubbles: true, cancelable: true}));
        }""",
        [
            f'<p>Draget <img src="{probe}" alt="bild"><a title="href=x">stycke</a></p><p></p>',
            box["x"] + 5,
            box["y"] + 5,
        ],
    )
    expect(editor).to_contain_text("Draget")
    html = editor.inner_html()
    assert "<img" not in html and "<a" not in html and "<p></p>" not in html
    wait_state(page, "^Sparat")
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
    assert "Draget stycke" in item.body and "<img" not in item.body
    assert not [url for url in requested if "dropped-probe" in url]
    context.close()


def test_the_new_meeting_form_and_the_attendance_look_even(browser, site, tmp_path):
    # Screenshots to look at: PROTOKOLLET_SCREENSHOTS=/some/dir keeps them.
    tmp_path = Path(os.environ.get("PROTOKOLLET_SCREENSHOTS") or tmp_path)
    context = browser.new_context(locale="sv-SE", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    sign_in(page, site)
    page.get_by_role("link", name="Nytt möte").click()
    expect(page.get_by_label("Starttid")).to_have_value("08:30")
    expect(page.get_by_label("Sluttid")).to_have_value("10:30")
    expect(page.get_by_label("Plats")).to_have_value("Kommunstyrelsesalen")
    page.screenshot(path=str(tmp_path / "new-meeting.png"), full_page=True)
    page.get_by_label("Datum").fill("2031-01-20")
    page.get_by_role("button", name="Skapa mötet").click()
    page.wait_for_url("**/moten/*/")

    table = page.locator("table.attendance-table")
    table.screenshot(path=str(tmp_path / "attendance.png"))
    selects = table.locator("select")
    widths = {round(box["width"]) for box in (s.bounding_box() for s in selects.all())}
    assert len(widths) == 1, widths  # one width for every select, both columns
    assert all("form-select" in s.get_attribute("class") for s in selects.all())

    open_item(page, "Aktuell information från verksamheterna")
    legend = page.locator("#sections legend").bounding_box()
    first_box = page.locator("#sections .section-form").first.bounding_box()
    page.locator("#sections").screenshot(path=str(tmp_path / "sections.png"))
    assert legend["y"] + legend["height"] <= first_box["y"], (legend, first_box)
    context.close()


def test_a_nämnd_secretary_fills_the_parts_of_a_paragraph_and_keeps_them_offline(browser, site):
    """A nämnd's § (issue 18): the parts save by themselves like the text, and what was typed
    offline is offered back."""
    from councils.models import Council

    Council.objects.filter(slug="forebyggande-radet").update(kind=Council.Kind.COMMITTEE)
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site)
    create_meeting(page)
    open_item(page, "Övriga frågor")
    item_url = page.url
    page.get_by_label("Diarienummer").fill("KS 2027/12")
    page.get_by_label("Beslut", exact=True).click()
    page.keyboard.type("Planen antas.")
    page.keyboard.press("Enter")
    page.keyboard.type("Uppföljning sker årligen.")
    page.get_by_label("Beslutet skickas till").fill("Socialförvaltningen")
    page.get_by_label("Paragrafen justeras omedelbart").focus()
    page.keyboard.press("Space")
    wait_state(page, "^Sparat")
    item = AgendaItem.objects.get(title="Övriga frågor", minutes__meeting__date="2031-01-20")
    assert item.case_number == "KS 2027/12" and item.immediate_adjustment
    assert item.decision_points == ["Planen antas.", "Uppföljning sker årligen."]
    assert item.recipients == ["Socialförvaltningen"]

    context.set_offline(True)
    page.get_by_label("Protokollsanteckning").fill("Noterat utan anslutning.")
    wait_state(page, "ingen anslutning")
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(item_url)
    again.locator("#restore").wait_for(state="visible")
    again.get_by_role("button", name="Återställ min text").click()
    wait_state(again, "^Sparat")
    item.refresh_from_db()
    assert item.protocol_note == "Noterat utan anslutning."
    assert item.case_number == "KS 2027/12"

    # someone else saves in between: the comparison shows both sides' parts
    from django.db.models import F

    AgendaItem.objects.filter(pk=item.pk).update(version=F("version") + 1, case_number="KS 2027/99")
    again.get_by_label("Beslutet skickas till").fill("Kommunstyrelsen")
    conflict = again.locator("#conflict")
    conflict.wait_for(state="visible")
    assert "KS 2027/12" in conflict.locator("[data-conflict-mine]").inner_text()
    assert "KS 2027/99" in conflict.locator("[data-conflict-theirs]").inner_text()
    context.close()
