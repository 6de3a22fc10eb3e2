"""Before the meeting, in a real browser: the secretary attaches the annual report to item 2
and sends the notice, a member receives it by e-mail, and an anonymous visitor reads the coming
meeting's agenda and downloads the public document."""

import hashlib

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_drafting import create_meeting, open_item, sign_in, site  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_notice_reaches_the_members_and_the_public(browser, site, tmp_path):  # noqa: F811
    report = tmp_path / "verksamhetsberattelse.pdf"
    report.write_bytes(b"%PDF-1.7\n% Verksamhetsberattelse 2030\n1 0 obj <<>> endobj\n%%EOF\n")
    secretary = browser.new_context(locale="sv-SE")
    page = secretary.new_page()
    sign_in(page, site)
    create_meeting(page)  # 20 January 2031: the year's first, with the annual report as item 2
    meeting_url = page.url
    open_item(page, "Verksamhetsberättelse 2030")
    page.locator("#handlingar").get_by_label("Fil").set_input_files(str(report))
    page.locator("#handlingar").get_by_label("Titel").fill("Verksamhetsberättelse 2030")
    page.get_by_role("button", name="Ladda upp").click()
    expect(page.get_by_text("Handlingen ”Verksamhetsberättelse 2030” är bifogad.")).to_be_visible()

    page.goto(meeting_url)
    page.get_by_role("link", name="Skicka kallelse").click()
    mail.outbox.clear()
    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.get_by_text("Kallelsen är skickad till")).to_be_visible()
    to_member = [m for m in mail.outbox if "hans.ivarsson" in m.to[0]]
    assert len(to_member) == 1
    assert to_member[0].subject == "Kallelse: Förebyggande rådet 20 januari 2031"
    assert "Handling: Verksamhetsberättelse 2030" in to_member[0].body

    visitor = browser.new_context(locale="sv-SE", accept_downloads=True)
    public = visitor.new_page()
    public.goto(site + "/arboga/forebyggande-radet/")
    public.get_by_role("link", name="20 januari 2031").click()
    agenda = public.locator("#kallelse").locator("..")
    assert "Verksamhetsberättelse 2030" in agenda.inner_text()
    with public.expect_download() as download:
        public.get_by_role("link", name="Verksamhetsberättelse 2030").last.click()
    saved = tmp_path / "hamtad.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "verksamhetsberattelse-2030.pdf"
    assert (
        hashlib.sha256(saved.read_bytes()).digest() == hashlib.sha256(report.read_bytes()).digest()
    )
    for context in (secretary, visitor):
        context.close()
