"""axe-core on every public page and the main staff pages: no serious or critical WCAG 2.1 AA
violations (DOS-lagen). The context bypasses the page's Content Security Policy only so that
the test can inject axe itself."""

import pytest
from django.core.management import call_command

from tests.browser.axe import serious_violations
from tests.browser.test_drafting import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = [
    "/",
    "/arboga/",
    "/arboga/forebyggande-radet/",
    "/arboga/forebyggande-radet/2020-02-24/",
    "/arboga/forebyggande-radet/2020-09-21/",
    "/arboga/forebyggande-radet/handlingsplaner/",
    "/arboga/forebyggande-radet/handlingsplaner/2020/",
    "/sok/?q=trygghet",
    "/tillganglighet/",
    "/konto/logga-in/",
    "/konto/losenord/aterstall/",
    "/finns/inte/",
    # the English pages (issue 17): the same markup, other words
    "/en/",
    "/en/arboga/",
    "/en/arboga/forebyggande-radet/",
    "/en/arboga/forebyggande-radet/2020-02-24/",
    # open data (issue 20)
    "/oppna-data/",
    "/oppna-data/arboga/socialnamnden/",
    "/en/oppna-data/",
    # bevakning (issue 21)
    "/bevaka/?slag=rad&kommun=arboga&rad=forebyggande-radet",
    "/bevaka/skickat/",
    "/bevaka/integritet/",
    "/arboga/anslagstavla/",
]


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def check(page, url) -> list[str]:
    page.goto(url)
    return [f"{url}: {line}" for line in serious_violations(page)]


def test_public_pages_have_no_serious_violations(browser, site):
    context = browser.new_context(locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    problems = [line for path in PUBLIC for line in check(page, site + path)]
    context.close()
    assert not problems, "\n".join(problems)


def test_the_anslagstavla_has_no_serious_violations(browser, site):
    """The anslagstavla with current, taken-down and kungörelse announcements, its archive and
    its English page."""
    from tests.test_html_validity import noticeboard_world

    noticeboard_world()
    context = browser.new_context(locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    paths = ("/arboga/anslagstavla/", "/arboga/anslagstavla/arkiv/", "/en/arboga/anslagstavla/")
    problems = [line for path in paths for line in check(page, site + path)]
    context.close()
    assert not problems, "\n".join(problems)


def test_the_refused_form_page_has_no_serious_violations(browser, site):
    """The page a refused CSRF check shows (core.views.csrf_failure), reached as a person does:
    a form sent after its security key was lost."""
    context = browser.new_context(locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    page.goto(site + "/konto/logga-in/")
    context.clear_cookies()
    page.get_by_label("Användarnamn").fill("sekreterare")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "Formuläret kunde inte skickas" in page.content()
    problems = [f"csrf: {line}" for line in serious_violations(page)]
    context.close()
    assert not problems, "\n".join(problems)


def test_the_main_staff_pages_have_no_serious_violations(browser, site):
    context = browser.new_context(locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    sign_in(page, site)
    problems = check(page, page.url)  # the workspace
    page.get_by_role("link", name="Nytt möte").click()
    problems += check(page, page.url)
    page.get_by_label("Datum").fill("2031-01-20")
    page.get_by_role("button", name="Skapa mötet").click()
    page.wait_for_url("**/moten/*/")
    meeting = page.url
    problems += check(page, meeting)
    page.get_by_role("link", name="Övriga frågor", exact=True).click()
    problems += check(page, page.url)
    for path in ("kallelse/", "uppgifter/"):
        problems += check(page, meeting + path)
    for path in ("/arbete/arboga/forebyggande-radet/handlingsplaner/",
                 "/arbete/arboga/forebyggande-radet/handlingsplaner/2020/",
                 "/arbete/arboga/forebyggande-radet/verksamhetsberattelser/2020/",
                 "/konto/", "/konto/tvastegsverifiering/"):  # fmt: skip
        problems += check(page, site + path)
    context.close()
    assert not problems, "\n".join(problems)


def test_a_nämnds_paragraph_and_attendance_pages_have_no_serious_violations(
    browser, cast, live_server
):
    """A nämnd's § with its deliberation filled in (jäv, yrkanden, a vote, a reservation), and
    the meeting's page with the attendance per § and the justering (issue 18)."""
    from minutes import services
    from tests import factories
    from tests.minutes import committee_fixtures as cf

    c = cf.committee(cast)
    minutes = cf.meeting(c)
    item = cf.item_at(minutes, 3)
    serving = [n for n, _party, _role in cf.MEMBERS if n not in ("Jonas Lind", "David Falk")]
    cf.save(
        item,
        services.DeliberationInput(
            motions=(
                services.MotionInput(c["Cecilia Dahl"].pk, "bifall"),
                services.MotionInput(c["Bo Berg"].pk, "avslag"),
                services.MotionInput(c["Fredrik Holm"].pk, "bifall", supports=2),
            ),
            proposition="Ordföranden ställer proposition på förslaget och avslaget.",
            votes=(
                services.VoteInput("förslaget", "avslaget", {c[n].pk: "ja" for n in serving[:5]}),
            ),
            reservations=(services.ReservationInput(c["Bo Berg"].pk, "", True),),
            disqualifications=(services.DisqualificationInput(c["David Falk"].pk),),
        ),
    )
    context = browser.new_context(locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("sekreterare")
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/arbete/")
    meeting = f"{live_server.url}/arbete/arboga/forebyggande-radet/moten/{minutes.meeting.pk}/"
    problems = check(page, meeting)
    problems += check(page, f"{meeting}arenden/{item.pk}/")
    context.close()
    assert not problems, "\n".join(problems)
