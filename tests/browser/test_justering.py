"""A nämnd's justering in a real browser, as the issue tells it: the secretary submits; a
justerare signs; the chair returns it with a comment; the secretary fixes it and submits again;
the secretary, the chair and both justerare sign; the anslagstavla shows the announcement with
its dates; a resident downloads the protokoll and one §'s extract, and their SHA-256 are the
ones the page states."""

from __future__ import annotations

import datetime
import hashlib
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from core import legal_time
from core.dates import long_date
from councils.demo import DEMO_PASSWORD
from councils.models import Council, Person
from minutes import services
from minutes.models import Meeting
from minutes.tasks import render_extracts
from tests import factories
from tests.browser.test_drafting import open_item, sign_in, wait_state

pytestmark = pytest.mark.django_db(transaction=True)


def _committee_meeting() -> tuple[Meeting, str]:
    """A meeting of the demo's Socialnämnd held two days ago, its §§ written and its attendance
    naming Johan Fors and Leila Haddad justerare; Leila Haddad gets a login."""
    council = Council.objects.get(slug="socialnamnden")
    day = timezone.localdate() - datetime.timedelta(days=2)
    meeting = services.meeting_create(
        council=council,
        date=day,
        start_time=datetime.time(13, 0),
        end_time=datetime.time(15, 0),
        place="Rådhussalen, Rådhuset",
        actor=None,
    )
    people = {p.name: p for p in Person.objects.all()}
    Meeting.objects.filter(pk=meeting.pk).update(
        chaired_by=people["Birgitta Sandberg"], secretary=people["Karin Holmqvist"]
    )
    minutes = meeting.minutes.get()
    for item in minutes.items.order_by("position"):
        item.refresh_from_db()
        services.item_save(
            item=item,
            version=item.version,
            title=item.title,
            body="",
            decision="",
            is_public=True,
            confidentiality_ground="",
            sections=[],
            parts=services.PartsInput(decision_points=f"Nämnden beslutar om {item.title.lower()}."),
            actor=None,
        )
    memberships = {
        m.person.name: m
        for m in council.memberships.select_related("person").filter(
            role__in=("chair", "vice_chair", "member")
        )
    }
    services.attendance_update(
        minutes=minutes,
        version=minutes.attendance_version,
        entries=[
            services.AttendanceEntry(
                person_id=m.person_id,
                membership_id=m.pk,
                status="present",
                substitute_for_id=None,
                from_position=None,
                to_position=None,
                is_adjuster=name in ("Johan Fors", "Leila Haddad"),
            )
            for name, m in memberships.items()
        ],
        others_present="",
        adjustment=services.AdjustmentInput("Socialkontoret, Rådhuset", None, None),
        actor=None,
    )
    leila = factories.user("leilahaddad", person_obj=people["Leila Haddad"])
    leila.set_password(DEMO_PASSWORD)
    leila.save(update_fields=["password"])
    return meeting, f"/arbete/arboga/socialnamnden/moten/{meeting.pk}/"


@pytest.fixture
def site(live_server):
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


def _as(browser, site, username):
    context = browser.new_context(locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, site, username=username)
    return page


def _justera(page, site, meeting_url):
    page.goto(site + meeting_url + "granska/")
    page.get_by_label("Ditt lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Justera protokollet").click()


def test_a_protokoll_is_justerat_announced_and_downloaded(browser, site, tmp_path):
    meeting, meeting_url = _committee_meeting()
    secretary = _as(browser, site, "namndsekreterare")
    secretary.goto(site + meeting_url)
    secretary.get_by_role("button", name="Skicka för justering").click()
    expect(secretary.get_by_text("0 av 4 har justerat.").first).to_be_visible()

    justerare = _as(browser, site, "namndjusterare")
    expect(justerare.get_by_text("Väntar på din justering")).to_be_visible()
    _justera(justerare, site, meeting_url)
    expect(
        justerare.get_by_text("Du har justerat protokollet. 1 av 4 har justerat.")
    ).to_be_visible()

    chair = _as(browser, site, "namndordforande")
    chair.goto(site + meeting_url + "granska/")
    expect(chair.get_by_text("1 av 4 har justerat.").first).to_be_visible()
    chair.get_by_label("Vad behöver ändras?").fill("Skriv ut vem som valdes att justera.")
    chair.get_by_role("button", name="Återsänd").click()
    expect(chair.get_by_text("Protokollet är återsänt till sekreteraren.")).to_be_visible()

    # the secretary reads the comment, fixes the §, submits again: nobody has signed it now
    secretary.goto(site + meeting_url)
    expect(secretary.get_by_text("Skriv ut vem som valdes att justera.")).to_be_visible()
    expect(secretary.get_by_text("Återsänt av Birgitta Sandberg")).to_be_visible()
    open_item(secretary, "Val av justerare")
    secretary.get_by_label("Beslut", exact=True).fill(
        "Johan Fors (M) och Leila Haddad (V) utses att justera protokollet."
    )
    wait_state(secretary, "^Sparat")
    secretary.goto(site + meeting_url)
    secretary.get_by_role("button", name="Skicka för justering").click()
    expect(secretary.get_by_text("0 av 4 har justerat.").first).to_be_visible()
    _justera(secretary, site, meeting_url)
    expect(secretary.get_by_text("1 av 4 har justerat.").first).to_be_visible()

    _justera(justerare, site, meeting_url)
    leila = _as(browser, site, "leilahaddad")
    _justera(leila, site, meeting_url)
    expect(leila.get_by_text("3 av 4 har justerat.").first).to_be_visible()
    _justera(chair, site, meeting_url)
    today = timezone.localdate()
    last_day = legal_time.last_day_to_appeal(today)
    expect(
        chair.get_by_text(
            f"Protokollet är justerat och anslaget på anslagstavlan. Sista dag att överklaga är "
            f"{long_date(last_day)}."
        )
    ).to_be_visible()
    # the extracts are the task worker's, after the commit
    render_extracts.call(meeting.minutes.get().approved_revision.pk)

    # a resident reads the anslagstavla and downloads the protokoll and an extract
    resident = browser.new_context(locale="sv-SE", accept_downloads=True).new_page()
    resident.goto(site + "/arboga/anslagstavla/")
    card = resident.locator(".card", has_text=long_date(meeting.date)).first
    for label, day in (
        ("Anslaget den", today),
        ("Sista dag att överklaga", last_day),
        ("Anslaget tas ned den", last_day + datetime.timedelta(days=1)),
    ):
        expect(card.get_by_text(label)).to_be_visible()
        expect(card.get_by_text(long_date(day), exact=True).first).to_be_visible()
    expect(card.get_by_text("Socialkontoret, Rådhuset, Arboga")).to_be_visible()
    card.get_by_role("link", name="Mötets sida").click()
    resident.wait_for_url(f"**/{meeting.date.isoformat()}/")
    stated = resident.locator("code").first.inner_text().strip()
    with resident.expect_download() as download:
        resident.get_by_role("link", name="Protokoll (PDF").first.click(modifiers=["Alt"])
    pdf = tmp_path / "protokoll.pdf"
    download.value.save_as(pdf)
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == stated
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "ANSLAGSBEVIS" in text.upper() and "Justerat elektroniskt" in text
    extract_link = resident.get_by_role("link", name="Protokollsutdrag").first
    with resident.expect_download() as download:
        extract_link.click(modifiers=["Alt"])
    extract = tmp_path / "utdrag.pdf"
    download.value.save_as(extract)
    extract_hash = hashlib.sha256(extract.read_bytes()).hexdigest()
    assert extract_hash in extract_link.get_attribute("href")  # the immutable address names it
    text = subprocess.run(
        ["pdftotext", "-layout", str(extract), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Protokollsutdrag" in text and "Utdragsbestyrkande" in text
