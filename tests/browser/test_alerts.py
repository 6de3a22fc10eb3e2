"""A resident follows a search by e-mail: subscribes from the search results, confirms from the
e-mail, the chair approves minutes that match, the next morning's digest arrives with the
words found, and one click ends it all."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from alerts import services as alert_services
from alerts.models import Subscriber
from councils.demo import DEMO_PASSWORD
from councils.models import Council, Person
from minutes import services
from tests.alerts.conftest import next_morning
from tests.browser.axe import serious_violations
from tests.browser.test_drafting import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
ADDRESS = "journalist@example.org"


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def submitted_minutes(text: str):
    """The råd's minutes of a meeting held, written and submitted by the secretary."""
    council = Council.objects.get(slug="forebyggande-radet")
    secretary = Person.objects.get(user__username="sekreterare").user
    meeting = services.meeting_create(
        council=council,
        date=datetime.date(2026, 9, 14),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30),
        place="Kommunstyrelsesalen",
        actor=secretary,
    )
    minutes = meeting.minutes.get()
    item = minutes.items.order_by("position").last()
    services.item_save(
        item=item, version=item.version, title=item.title, body=f"<p>{text}</p>",
        decision="", is_public=True, confidentiality_ground="", sections=[], actor=None,
    )  # fmt: skip
    services.minutes_submit(minutes=minutes, actor=secretary)
    return meeting


def link(message, pattern: str) -> str:
    found = re.search(rf"https?://\S+{pattern}\S*", message.body)
    assert found, message.body
    return found.group(0)


def local(url: str, site: str) -> str:
    """An address of the e-mail (SITE_URL) on the test's server."""
    return site + "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_resident_follows_a_search_and_gets_the_digest_then_ends_it(browser, site):
    # bypass_csp only so that axe can be injected (tests/browser/test_accessibility.py)
    context = browser.new_context(locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(site + "/")
    search = page.get_by_label("Sök i alla godkända minnesanteckningar och protokoll")
    search.fill("skolgården")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Bevaka med e-post")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Din e-postadress").fill("inte-en-adress")
    page.get_by_role("button", name="Bevaka").click()  # the browser's own check holds it back
    assert page.url.startswith(site + "/sok/")
    page.get_by_label("Din e-postadress").fill(ADDRESS)
    page.get_by_role("button", name="Bevaka").click()
    expect(page.get_by_role("heading", name="Bekräfta i din e-post")).to_be_visible()

    [confirmation] = mail.outbox
    assert confirmation.to == [ADDRESS]
    assert "Sökningen ”skolgården” i alla kommuner" in confirmation.body
    page.goto(local(link(confirmation, "/bevaka/bekrafta/"), site))
    page.get_by_role("button", name="Ja, bekräfta bevakningen").click()
    expect(
        page.get_by_text("Du bevakar nu: Sökningen ”skolgården” i alla kommuner.")
    ).to_be_visible()
    page.get_by_role("link", name="Dina bevakningar").click()
    expect(page.get_by_text("Det här bevakar j•••@e•••.org.")).to_be_visible()
    assert serious_violations(page) == []
    mail.outbox.clear()

    # the chair approves minutes that speak of the school yard
    meeting = submitted_minutes("Belysningen på skolgården ska ses över.")
    chair = browser.new_context(locale="sv-SE").new_page()
    sign_in(chair, site, username="ordforande")
    chair.goto(f"{site}/arbete/arboga/forebyggande-radet/moten/{meeting.pk}/granska/")
    chair.get_by_label("Ditt lösenord").fill(DEMO_PASSWORD)
    chair.get_by_role("button", name="Godkänn och justera").click()
    expect(chair.get_by_text("Minnesanteckningarna är godkända och justerade.")).to_be_visible()
    assert [m for m in mail.outbox if m.to == [ADDRESS]] == []  # the digest waits for morning

    # the next morning's round (cron) sends the digest
    alert_services.dispatch(next_morning())
    [digest] = [m for m in mail.outbox if m.to == [ADDRESS]]
    assert digest.subject == "Bevakning: Förebyggande rådet 14 september 2026"
    assert "*skolgården*" in digest.body
    assert "<mark>skolgården</mark>" in digest.alternatives[0].content
    page.goto(local(link(digest, "/arboga/forebyggande-radet/2026-09-14/"), site))
    expect(page.get_by_text("Belysningen på skolgården ska ses över.")).to_be_visible()

    # one click ends it: the link of the e-mail, and the button on its page
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(local(unsubscribe, site))
    assert serious_violations(page) == []
    page.get_by_role("button", name="Avsluta och ta bort min adress").click()
    expect(page.get_by_role("heading", name="Du bevakar inte längre något")).to_be_visible()
    assert not Subscriber.objects.exists()
    context.close()


def test_the_mail_client_s_one_click_post_ends_it_without_the_page(browser, site):
    """RFC 8058: what a mail client's unsubscribe button sends, from outside the site."""
    from alerts.services import Target, request_subscription

    council = Council.objects.get(slug="forebyggande-radet")
    request_subscription(ADDRESS, Target("council", council=council), client="192.0.2.1")
    subscriber = Subscriber.objects.get()
    subscriber.subscriptions.update(confirmed_at=datetime.datetime.now(datetime.UTC))
    request = browser.new_context().request
    response = request.post(
        f"{site}/bevaka/{subscriber.key}/avsluta/",
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    assert not Subscriber.objects.exists()
