"""Omedelbar justering of one § in a real browser (issue 19, point 3): the secretary sends the
flagged § from the meeting's list; the § editor turns into a notice; the secretary, the chair
and the two justerare each sign it with their password; the last signature freezes it and
the § page shows it justerad, with its announcement and its extract."""

import os

import pytest
from playwright.sync_api import expect

from minutes import services
from minutes.models import AgendaItem, Announcement, Extract
from tests import factories
from tests.minutes import committee_fixtures as cf

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("SCREENSHOTS")  # a folder: the pages as PNGs, to look at


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def protokoll(cast, live_server):
    c = cf.committee(cast)
    minutes = cf.meeting(c)
    meeting = minutes.meeting
    meeting.secretary = cast.secretary.person
    meeting.save(update_fields=["secretary"])
    factories.user("boberg", person_obj=c["Bo Berg"])
    factories.user("evagron", person_obj=c["Eva Grön"])
    for position in range(1, 5):
        cf.save(
            cf.item_at(minutes, position),
            None,
            parts=services.PartsInput(decision_points="Nämnden beslutar enligt förslaget."),
        )
    item = cf.item_at(minutes, 3)
    AgendaItem.objects.filter(pk=item.pk).update(immediate_adjustment=True)
    base = f"{live_server.url}/arbete/arboga/forebyggande-radet/moten/{meeting.pk}/"
    return minutes, item, base


def signed_in(browser, site, username):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(site + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/arbete/")
    return page


def test_a_paragraph_is_sent_signed_by_all_and_justerad_at_once(browser, protokoll, live_server):
    _minutes, item, base = protokoll
    site = live_server.url
    secretary = signed_in(browser, site, "sekreterare")
    secretary.goto(base)
    row = secretary.locator(f"#arende-{item.pk}")
    expect(row.get_by_text("Omedelbar justering", exact=True)).to_be_visible()
    shot(secretary, "omedelbar-1-motet")
    row.get_by_role("button", name="Skicka för omedelbar justering: SN § 3").click()
    expect(secretary.get_by_text("Paragrafen är skickad för omedelbar justering.")).to_be_visible()
    expect(secretary.get_by_role("heading", name="Omedelbar justering av SN § 3")).to_be_visible()
    expect(secretary.locator("#signatories li")).to_have_count(4)
    shot(secretary, "omedelbar-2-skickad")

    # the editor no longer edits it: it says why and leads to the § page
    secretary.goto(f"{base}arenden/{item.pk}/")
    expect(secretary.get_by_text("väntar på omedelbar justering; ta tillbaka")).to_be_visible()
    expect(secretary.locator("#item-form")).to_have_count(0)
    shot(secretary, "omedelbar-3-redigeraren")
    secretary.get_by_role("link", name="Till paragrafens omedelbara justering").click()

    # the secretary signs too
    secretary.get_by_label("Ditt lösenord").fill(factories.PASSWORD)
    secretary.get_by_role("button", name="Justera", exact=True).click()
    expect(secretary.get_by_text("Du har justerat paragrafen.").first).to_be_visible()

    for n, username in enumerate(("ordforande", "boberg", "evagron"), start=2):
        page = signed_in(browser, site, username)
        page.goto(base)
        row = page.locator(f"#arende-{item.pk}")
        expect(row.get_by_text(f"Väntar på omedelbar justering ({n - 1} av 4)")).to_be_visible()
        row.get_by_role("link", name="Granska och justera SN § 3").click()
        if username == "ordforande":
            expect(page.get_by_label("Vad behöver ändras?")).to_be_visible()
            shot(page, "omedelbar-4-ordforanden")
        page.get_by_label("Ditt lösenord").fill(factories.PASSWORD)
        page.get_by_role("button", name="Justera", exact=True).click()
        expect(page.locator("#signatories").get_by_text("Justerat elektroniskt")).to_have_count(n)
        if n == 4:  # the last signature freezes it
            expect(
                page.get_by_text("Paragrafen är justerad omedelbart och anslagen")
            ).to_be_visible()
            shot(page, "omedelbar-5-sista-justeringen")
        page.context.close()

    record = Extract.objects.get(item=item, immediate=True)
    announcement = Announcement.objects.get(extract=record)
    secretary.goto(f"{base}arenden/{item.pk}/omedelbar-justering/")
    expect(secretary.locator("#justerad")).to_contain_text("Sista dag att överklaga är")
    expect(secretary.locator("#justerad")).to_contain_text(
        str(announcement.last_day_to_appeal.year)
    )
    expect(secretary.get_by_text("Har inte justerat")).to_have_count(0)
    shot(secretary, "omedelbar-6-justerad")
    pdf = secretary.request.get(f"{base}arenden/{item.pk}/omedelbar-justering/utdrag.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    secretary.goto(base)
    expect(secretary.locator(f"#arende-{item.pk}")).to_contain_text("Justerad omedelbart")
    shot(secretary, "omedelbar-7-motet")
