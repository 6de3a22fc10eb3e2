"""A nämnd's § during the meeting, in a real browser (issue 18): the secretary records a
motion, a counter-motion, a "bifall till" in one click, a vote of 5–4 with one abstention and a
reservation, all saved by the autosave; after a reload it is all there; then the protokoll is
submitted, the chair approves it, and the words of the protokoll carry it."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_drafting import wait_state
from tests.minutes import committee_fixtures as cf

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("SCREENSHOTS")  # a folder: the pages as PNGs, to look at


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def sign_in(page, site, username):
    page.goto(site + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/arbete/")


@pytest.fixture
def committee(cast, live_server):
    c = cf.committee(cast)
    minutes = cf.meeting(c)
    return c, minutes, live_server.url


def item_url(site, minutes, position):
    item = cf.item_at(minutes, position)
    return f"{site}/arbete/arboga/forebyggande-radet/moten/{minutes.meeting.pk}/arenden/{item.pk}/"


YES = ("Anna Ek", "Cecilia Dahl", "David Falk", "Eva Grön", "Lena Nyberg")
NO = ("Bo Berg", "Fredrik Holm", "Greta Ivarsson", "Ida Karlsson")
ABSTAIN = ("Hassan Jama",)


def test_the_secretary_records_motions_a_vote_and_a_reservation(browser, committee):
    c, minutes, site = committee
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, site, "sekreterare")
    page.goto(item_url(site, minutes, 3))
    shot(page, "paragraf-tom")

    motions = page.locator("#yrkanden")
    motions.get_by_role("button", name="Lägg till yrkande").click()
    first = motions.locator(".delib-row").nth(0)
    expect(first.get_by_label("Vem yrkar")).to_be_focused()
    first.get_by_label("Vem yrkar").select_option(label="Cecilia Dahl (S)")
    first.get_by_label("Slag av yrkande").select_option("bifall")
    motions.get_by_role("button", name="Lägg till yrkande").click()
    second = motions.locator(".delib-row").nth(1)
    second.get_by_label("Vem yrkar").select_option(label="Bo Berg (M)")
    second.get_by_label("Slag av yrkande").select_option("avslag")
    # "Fredrik Holm (M) yrkar bifall till Bo Bergs (M) yrkande": one click, then the person
    second.get_by_role("button", name=re.compile("^Yrka bifall till yrkande 2")).click()
    third = motions.locator(".delib-row").nth(2)
    expect(third.get_by_label("Vem yrkar")).to_be_focused()
    third.get_by_label("Vem yrkar").select_option(label="Fredrik Holm (M)")
    expect(third.get_by_label("Slag av yrkande")).to_have_value("bifall")
    expect(third.get_by_label("Bifall till yrkande", exact=True)).to_have_value("2")
    # someone not serving at the § is not offered
    options = first.get_by_label("Vem yrkar").locator("option").all_inner_texts()
    assert "Lars Olsson (S)" not in options and "Karin Mark (L)" in options

    page.get_by_role("button", name="Föreslå text från yrkandena").click()
    expect(page.get_by_role("textbox", name="Proposition")).to_have_value(
        re.compile(
            "^Ordföranden ställer proposition på förslaget och Bo Bergs \\(M\\) avslagsyrkande"
        )
    )

    votes = page.locator("#votering")
    votes.get_by_role("button", name="Lägg till votering").click()
    expect(votes.get_by_label("Ja-röst för")).to_have_value("förslaget")
    expect(votes.get_by_label("Nej-röst för")).to_have_value("Bo Bergs (M) avslagsyrkande")
    for names, choice in ((YES, "Ja"), (NO, "Nej"), (ABSTAIN, "Avstår")):
        for name in names:
            group = votes.get_by_role("radiogroup", name=re.compile(f"^{name}"))
            group.get_by_label(choice, exact=True).check()
    count = votes.locator("[data-vote-count]")
    expect(count).to_have_text(re.compile("^5 ja, 4 nej, 1 avstår – 10 av 11 har röstat"))
    votes.get_by_role("radiogroup", name=re.compile("^Karin Mark")).get_by_label(
        "Ja", exact=True
    ).check()
    expect(count).to_contain_text(
        "Med 6 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget."
    )
    # Karin Mark votes nej after all: 5–5 would need the chair; she abstains instead
    votes.get_by_role("radiogroup", name=re.compile("^Karin Mark")).get_by_label(
        "Avstår", exact=True
    ).check()
    expect(count).to_contain_text("5 ja, 4 nej, 2 avstår – 11 av 11 har röstat.")

    reservations = page.locator("#reservationer")
    reservations.get_by_role("button", name="Lägg till reservation").click()
    reservations.get_by_label("Vem reserverar sig").select_option(label="Bo Berg (M)")
    reservations.get_by_label("Till förmån för eget yrkande").check()
    wait_state(page, "^Sparat")
    shot(page, "paragraf-ifylld")

    page.reload()
    expect(page.locator("#restore")).to_be_hidden()
    rows = page.locator("#yrkanden .delib-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1).get_by_label("Vem yrkar")).to_have_value(str(c["Bo Berg"].pk))
    expect(rows.nth(2).get_by_label("Bifall till yrkande", exact=True)).to_have_value("2")
    expect(page.get_by_role("textbox", name="Proposition")).to_have_value(
        re.compile("avslagsyrkande")
    )
    expect(page.locator("#votering [data-vote-count]")).to_contain_text(
        "Med 5 ja-röster mot 4 nej-röster, 2 avstår, beslutar nämnden enligt förslaget."
    )
    expect(
        page.locator("#reservationer").get_by_label("Till förmån för eget yrkande")
    ).to_be_checked()
    context.close()
