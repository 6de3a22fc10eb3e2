"""The whole drafting flow by keyboard alone (issue 10, part 2): sign in, create a meeting, write
an item in the editor, and submit the minutes, with Tab, typing and Enter only."""

import pytest
from playwright.sync_api import expect

from councils.demo import DEMO_PASSWORD
from minutes.models import AgendaItem, Minutes
from tests.browser.test_drafting import site, wait_state  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE = """() => {
  const e = document.activeElement;
  return [e.tagName, e.id, e.getAttribute('role') || '', (e.innerText || e.value || '').trim()]
    .join('|');
}"""


def tab_to(page, wanted: str, limit: int = 150, *, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until the focused element's tag, id, role or text
    contains ``wanted``."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if wanted in page.evaluate(ACTIVE):
            return
    raise AssertionError(f"{wanted!r} cannot be reached with Tab")


def type_date(page, year: str, month: str, day: str) -> None:
    """Type into a focused date field. Its segments follow the browser's own interface locale
    (Debian's chromium here: month, day, year), not the page's language."""
    page.keyboard.type(month + day + year)
    assert page.evaluate("() => document.activeElement.value") == f"{year}-{month}-{day}"


def test_drafting_by_keyboard_alone(browser, site):  # noqa: F811
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(site + "/konto/logga-in/")
    tab_to(page, "id_username")
    page.keyboard.type("sekreterare")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/arbete/")

    tab_to(page, "Nytt möte")
    page.keyboard.press("Enter")
    page.wait_for_url("**/moten/nytt/")
    tab_to(page, "id_date")
    type_date(page, "2026", "01", "19")  # held: minutes of a coming meeting are not submitted
    tab_to(page, "id_start_time")
    page.keyboard.type("0830AM")  # the interface locale's 12-hour clock
    assert page.evaluate("() => document.activeElement.value") == "08:30"
    tab_to(page, "id_end_time")
    page.keyboard.type("1030AM")
    tab_to(page, "Skapa mötet")
    page.keyboard.press("Enter")
    page.wait_for_url("**/moten/*/")
    expect(page.get_by_text("Mötet är skapat med rådets stående dagordning.")).to_be_visible()
    meeting = page.url

    tab_to(page, "Övriga frågor")
    page.keyboard.press("Enter")
    page.wait_for_url("**/arenden/*/")
    tab_to(page, "textbox")  # the editor's text area, after its toolbar
    page.keyboard.type("Inga övriga frågor togs upp.")
    wait_state(page, "^Sparat")
    tab_to(page, "Tillbaka till mötet")
    page.keyboard.press("Enter")
    page.wait_for_url(meeting + "#arende-*")

    tab_to(page, "Skicka för godkännande", back=True)  # up from the item we came back to
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Utkastet är skickat till ordföranden för godkännande.")
    ).to_be_visible()
    minutes = Minutes.objects.get(meeting__date="2026-01-19")
    assert minutes.status == Minutes.Status.SUBMITTED
    item = AgendaItem.objects.get(minutes=minutes, title="Övriga frågor")
    assert item.body == "<p>Inga övriga frågor togs upp.</p>"
    context.close()
