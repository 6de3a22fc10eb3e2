"""A nämnd's § during the meeting, in a real browser (issue 18): the secretary records a
motion, a counter-motion, a "bifall till" in one click, a vote of 5–4 with one abstention and a
reservation, all saved by the autosave; after a reload it is all there; then the protokoll is
submitted, the chair approves it, and the words of the protokoll carry it."""

import os
import re
import subprocess

import pytest
from playwright.sync_api import expect

from minutes.models import ApprovedRevision, Minutes
from minutes.snapshot import MinutesSnapshot
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


# David Falk (S) is disqualified (jäv) at the §: ten serve, and vote 5–4 with one abstention
YES = ("Anna Ek", "Cecilia Dahl", "Eva Grön", "Lena Nyberg")  # and Karin Mark, last
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

    jav = page.locator("#jav")
    jav.get_by_role("button", name="Lägg till jäv").click()
    jav.get_by_label("Jävig ledamot").select_option(label="David Falk (S)")
    expect(page.locator("[data-serving-count]")).to_have_text("10")

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
    assert "Karin Mark (L)" in options
    assert "Lars Olsson (S)" not in options and "David Falk (S)" not in options

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
    # the roll call by keyboard: J, N or A records a vote and moves on to the next member
    rows = votes.locator(".ballot-row .ballot-name").all_inner_texts()
    assert rows[-1] == "Karin Mark (L)" and "David Falk (S)" not in rows
    keys = {**dict.fromkeys(YES, "j"), **dict.fromkeys(NO, "n"), **dict.fromkeys(ABSTAIN, "a")}
    votes.get_by_role("radiogroup", name=re.compile("^Anna Ek")).get_by_label("Ingen röst").focus()
    for name in rows[:-1]:
        page.keyboard.press(keys[name.split(" (")[0]])
    expect(
        votes.get_by_role("radiogroup", name=re.compile("^Karin Mark")).get_by_label("Ingen röst")
    ).to_be_focused()
    count = votes.locator("[data-vote-count]")
    expect(count).to_have_text("4 ja, 4 nej, 1 avstår – 9 av 10 har röstat. Det saknas 1 röst.")
    # the result is the server's sentence, after the save (the chair, serving, breaks the tie)
    result = votes.locator("[data-vote-result]")
    expect(result).to_have_text(
        "Med 4 ja-röster mot 4 nej-röster, 1 avstår, och ordförandens utslagsröst beslutar "
        "nämnden enligt förslaget."
    )
    karin = votes.get_by_role("radiogroup", name=re.compile("^Karin Mark"))
    karin.get_by_label("Ja", exact=True).focus()
    page.keyboard.press("Space")  # by keyboard, as the radios are reached with Tab
    expect(karin.get_by_label("Ja", exact=True)).to_be_focused()  # the focus stays
    expect(count).to_have_text("5 ja, 4 nej, 1 avstår – 10 av 10 har röstat.")
    expect(result).to_have_text(
        "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget."
    )

    reservations = page.locator("#reservationer")
    reservations.get_by_role("button", name="Lägg till reservation").click()
    reservations.get_by_label("Vem reserverar sig").select_option(label="Bo Berg (M)")
    reservations.get_by_label("Till förmån för eget yrkande").check()
    wait_state(page, "^Sparat")
    shot(page, "paragraf-ifylld")

    page.reload()
    expect(page.locator("#restore")).to_be_hidden()
    expect(page.locator("#jav").get_by_label("Jävig ledamot")).to_have_value(
        str(c["David Falk"].pk)
    )
    rows = page.locator("#yrkanden .delib-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1).get_by_label("Vem yrkar")).to_have_value(str(c["Bo Berg"].pk))
    expect(rows.nth(2).get_by_label("Bifall till yrkande", exact=True)).to_have_value("2")
    expect(page.get_by_role("textbox", name="Proposition")).to_have_value(
        re.compile("avslagsyrkande")
    )
    expect(page.locator("#votering [data-vote-result]")).to_have_text(
        "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget."
    )
    expect(
        page.locator("#reservationer").get_by_label("Till förmån för eget yrkande")
    ).to_be_checked()

    # submitted, approved (justerat) by the chair, and the protokoll's words carry it all
    meeting_url = f"{site}/arbete/arboga/forebyggande-radet/moten/{minutes.meeting.pk}/"
    page.goto(meeting_url)
    page.get_by_role("button", name=re.compile("^Skicka för")).click()
    expect(page.locator(".alert-success").first).to_be_visible()
    chair = browser.new_context(locale="sv-SE")
    chair_page = chair.new_page()
    sign_in(chair_page, site, "ordforande")
    chair_page.goto(meeting_url)
    chair_page.get_by_role("link", name=re.compile("^Granska")).click()
    chair_page.get_by_label("Ditt lösenord").fill(factories.PASSWORD)
    chair_page.get_by_role("button", name=re.compile("^(Godkänn|Justera)")).click()
    expect(chair_page.locator(".alert-success")).to_contain_text("Du har justerat protokollet.")
    # the justerare sign too (their pages are tests/browser/test_justering.py's)
    from tests.minutes.drafting_fixtures import justera

    justera(Minutes.objects.get(pk=minutes.pk))
    revision = ApprovedRevision.objects.get(minutes__meeting=minutes.meeting)
    words = MinutesSnapshot.from_dict(revision.snapshot)
    paragraph = next(i for i in words.items if i.title == "Försörjningsstöd")
    assert paragraph.motions == (
        "Cecilia Dahl (S) yrkar bifall till förslaget.",
        "Bo Berg (M) yrkar avslag på förslaget.",
        "Fredrik Holm (M) yrkar bifall till Bo Bergs (M) yrkande.",
    )
    assert paragraph.votes[0].result == (
        "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget."
    )
    assert paragraph.reservations == (
        "Bo Berg (M) reserverar sig mot beslutet till förmån för eget yrkande.",
    )
    public = page.context.new_page()
    public.goto(f"{site}/arboga/forebyggande-radet/2026-03-09/")
    text = public.locator("main").inner_text()
    assert "Försörjningsstöd" in text
    assert "Bo Berg (M) yrkar avslag på förslaget." in text
    assert "Fredrik Holm (M) yrkar bifall till Bo Bergs (M) yrkande." in text
    assert "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget." in text
    assert "Bo Berg (M) reserverar sig mot beslutet till förmån för eget yrkande." in text
    assert "David Falk (S) anmäler jäv" in text
    shot(public, "offentlig-sida")
    href = public.get_by_role("link", name=re.compile("^Protokoll \\(PDF")).get_attribute("href")
    pdf = public.request.get(site + href if href.startswith("/") else href).body()
    words = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Bo Berg (M) yrkar avslag på förslaget." in words
    assert "Med 5 ja-röster mot 4 nej-röster, 1 avstår, beslutar nämnden enligt förslaget." in (
        " ".join(words.split())
    )
    chair.close()
    context.close()


def test_a_motion_typed_offline_is_restored_and_a_conflict_shows_both_sides(browser, committee):
    c, minutes, site = committee
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, site, "sekreterare")
    url = item_url(site, minutes, 2)
    page.goto(url)
    page.get_by_role("button", name="Lägg till yrkande").click()
    page.get_by_label("Vem yrkar").select_option(label="Bo Berg (M)")
    page.get_by_label("Slag av yrkande").select_option("avslag")
    wait_state(page, "^Sparat")

    context.set_offline(True)
    page.get_by_role("button", name="Lägg till yrkande").click()
    second = page.locator("#yrkanden .delib-row").nth(1)
    second.get_by_label("Vem yrkar").select_option(label="Hassan Jama (C)")
    second.get_by_label("Slag av yrkande").select_option("aterremiss")
    second.get_by_label("Yrkandet").fill("utred kostnaderna först")
    wait_state(page, "ingen anslutning")
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(url)
    expect(again.locator("#yrkanden .delib-row")).to_have_count(1)
    again.locator("#restore").wait_for(state="visible")
    again.get_by_role("button", name="Återställ min text").click()
    wait_state(again, "^Sparat")
    rows = again.locator("#yrkanden .delib-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).get_by_label("Yrkandet")).to_have_value("utred kostnaderna först")
    item = cf.item_at(minutes, 2)
    assert [(m.person.name, m.kind) for m in item.motions.order_by("position")] == [
        ("Bo Berg", "avslag"),
        ("Hassan Jama", "aterremiss"),
    ]

    # someone else saves in between: the comparison shows both sides' motions, and the
    # stored version can be taken, its rows put back in the form
    from minutes import services

    cf.save(
        item,
        services.DeliberationInput(motions=(services.MotionInput(c["Eva Grön"].pk, "bifall"),)),
    )
    rows.nth(0).get_by_label("Yrkandet").fill("helt och hållet")
    conflict = again.locator("#conflict")
    conflict.wait_for(state="visible")
    assert (
        "Bo Berg (M): avslag – helt och hållet"
        in conflict.locator("[data-conflict-mine]").inner_text()
    )
    assert "Eva Grön (V): bifall" in conflict.locator("[data-conflict-theirs]").inner_text()
    again.get_by_role("button", name="Använd den sparade texten").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0).get_by_label("Vem yrkar")).to_have_value(str(c["Eva Grön"].pk))
    context.close()


def test_rows_added_by_the_script_are_saved_by_the_plain_save_button_too(browser, committee):
    c, minutes, site = committee
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    sign_in(page, site, "sekreterare")
    page.goto(item_url(site, minutes, 4))
    page.get_by_role("button", name="Lägg till jäv").click()
    page.get_by_label("Jävig ledamot").select_option(label="David Falk (S)")
    page.get_by_label("Tjänstgör i stället (valfritt)").select_option(label="Lars Olsson (S)")
    page.get_by_role("button", name="Lägg till yrkande").click()
    # Lars Olsson serves in David Falk's place at this § only, and is offered
    page.get_by_label("Vem yrkar").select_option(label="Lars Olsson (S)")
    page.get_by_label("Slag av yrkande").select_option("tillagg")
    page.get_by_label("Yrkandet").fill("att uppföljning sker i juni")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url("**/moten/*/#arende-*")
    item = cf.item_at(minutes, 4)
    motion = item.motions.get()
    assert (motion.person, motion.kind, motion.text) == (
        c["Lars Olsson"],
        "tillagg",
        "att uppföljning sker i juni",
    )
    assert item.disqualifications.get().substitute == c["Lars Olsson"]
    context.close()


def test_a_refused_row_holds_back_the_whole_paragraph_and_the_status_says_so(browser, committee):
    """One version check per §: while a deliberation row is refused, the title typed is not
    saved either; the status line says so, the text stays in the browser, and it is all saved
    once the row is corrected."""
    c, minutes, site = committee
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, site, "sekreterare")
    page.goto(item_url(site, minutes, 2))
    reservations = page.locator("#reservationer")
    reservations.get_by_role("button", name="Lägg till reservation").click()
    reservations.get_by_label("Vem reserverar sig").select_option(label="Bo Berg (M)")
    reservations.get_by_label("Till förmån för eget yrkande").check()  # but he moved nothing
    page.locator("#id_title").fill("Ekonomisk uppföljning mars")
    state = page.locator("#save-state")
    expect(state).to_have_text(
        "Inte sparat: Bo Berg (M) har inget eget yrkande i paragrafen att reservera sig till "
        "förmån för. Rätta det ovan – inget i paragrafen sparas förrän dess, texten finns kvar "
        "i webbläsaren."
    )
    expect(state).to_have_attribute("aria-live", "polite")
    item = cf.item_at(minutes, 2)
    assert item.title == "Ekonomisk uppföljning"
    kept = page.evaluate(f"localStorage.getItem('protokollet:item:{item.pk}')")
    assert "Ekonomisk uppföljning mars" in kept
    reservations.get_by_label("Till förmån för eget yrkande").uncheck()
    wait_state(page, "^Sparat")
    item.refresh_from_db()
    assert item.title == "Ekonomisk uppföljning mars"
    assert item.reservations.get().person == c["Bo Berg"]
    context.close()
