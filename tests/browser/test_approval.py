"""The council's loop in a real browser: submit, return with a comment, fix, resubmit, approve
with the password, download the signed PDF."""

import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from councils.demo import DEMO_PASSWORD
from tests.browser.test_drafting import create_meeting, open_item, sign_in, wait_state

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def test_secretary_and_chair_take_the_minutes_to_approval(browser, site, tmp_path):
    secretary = browser.new_context(locale="sv-SE", accept_downloads=True)
    page = secretary.new_page()
    sign_in(page, site)
    create_meeting(page, "2026-01-19")  # held: minutes of a coming meeting are not submitted
    meeting_url = page.url
    open_item(page, "Övriga frågor")
    page.locator(".richtext-area").first.click()
    page.keyboard.type("Inga övriga frågor.")
    wait_state(page, "^Sparat")
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
    chair_page.get_by_label("Vad behöver ändras?").fill("Skriv att mötet avslutades.")
    chair_page.get_by_role("button", name="Återsänd").click()
    expect(
        chair_page.get_by_text("Minnesanteckningarna är återsända till sekreteraren.")
    ).to_be_visible()

    page.goto(meeting_url)
    expect(page.get_by_text("Skriv att mötet avslutades.")).to_be_visible()
    open_item(page, "Övriga frågor")
    page.locator(".richtext-area").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Mötet avslutades.")
    wait_state(page, "^Sparat")
    page.goto(meeting_url)
    page.get_by_role("button", name="Skicka för godkännande").click()
    expect(
        page.get_by_text("Utkastet är skickat till ordföranden för godkännande.")
    ).to_be_visible()

    # a resident who has the public page open: it is rendered once, then remembered
    resident = browser.new_context(locale="sv-SE").new_page()
    public_url = f"{site}/arboga/forebyggande-radet/2026-01-19/"
    for _ in range(2):
        resident.goto(public_url)
        expect(resident.get_by_text("Inga övriga frågor. Mötet avslutades.")).to_have_count(0)

    chair_page.goto(meeting_url)
    chair_page.get_by_role("link", name="Granska och godkänn").click()
    expect(chair_page.get_by_text("Ändrat: 7. Övriga frågor")).to_be_visible()
    chair_page.get_by_label("Ditt lösenord").fill("fel lösenord")
    chair_page.get_by_role("button", name="Godkänn och justera").click()
    expect(chair_page.get_by_text("Lösenordet stämmer inte.")).to_be_visible()
    chair_page.get_by_label("Ditt lösenord").fill(DEMO_PASSWORD)
    chair_page.get_by_role("button", name="Godkänn och justera").click()
    expect(
        chair_page.get_by_text("Minnesanteckningarna är godkända och justerade.")
    ).to_be_visible()
    resident.reload()  # the approval is on the public page at once, not when a cache expires
    expect(resident.get_by_text("Inga övriga frågor. Mötet avslutades.")).to_be_visible()

    page.goto(meeting_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hämta de godkända minnesanteckningarna (PDF)").click(
            modifiers=["Alt"]
        )
    path = tmp_path / "godkand.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    lines = text.splitlines()
    chair_line = lines.index("Anders Röhfors")
    assert lines[chair_line + 1] == "Ordförande"
    assert lines[chair_line + 2].startswith("Justerat elektroniskt ")
    assert "Inga övriga frågor. Mötet avslutades." in text
    secretary.close()
    chair.close()


def _submitted_long_minutes():
    """Minutes of a meeting held today, one item long enough to fill several screens, submitted
    to the demo's chair: the review page's address."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from councils.models import Council
    from minutes import services
    from tests.minutes.drafting_fixtures import write_item

    council = Council.objects.get(slug="forebyggande-radet")
    secretary = get_user_model().objects.get(username="sekreterare")
    meeting = services.meeting_create(
        council=council, date=timezone.localdate(), start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 30), place="Salen", actor=secretary,
    )  # fmt: skip
    minutes = meeting.minutes.get()
    write_item(
        minutes, 1, "".join(f"<p>Stycke {n} av en lång redogörelse.</p>" for n in range(150))
    )
    services.minutes_submit(minutes=minutes, actor=secretary)
    return reverse("drafting:review", args=["arboga", "forebyggande-radet", meeting.pk])


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_a_wrong_password_lands_on_the_field_with_the_error_next_to_it(browser, site, script):
    review = _submitted_long_minutes()
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 1200, "height": 800}, java_script_enabled=script
    )
    page = context.new_page()
    sign_in(page, site, username="ordforande")
    page.goto(site + review)
    page.get_by_label("Ditt lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Godkänn och justera").click()
    page.wait_for_load_state()
    field = page.get_by_label("Ditt lösenord")
    error = page.locator("#password-error")
    assert error.inner_text().startswith("Lösenordet stämmer inte.")
    for located in (field, error):
        box = located.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 800, box
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * 800
    if script:
        assert page.evaluate("document.activeElement.id") == "password"
    assert field.get_attribute("aria-describedby") == "password-error"
    context.close()
