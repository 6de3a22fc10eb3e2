"""An anonymous visitor finds the minutes of 24 February 2020 by a word of item 4, reads them and
downloads the PDF that the page's SHA-256 describes."""

import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.minutes.conftest import SEED

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    if not SEED.exists():
        pytest.skip(f"the seed minutes are not at {SEED} (CI has ../shared beside the checkout)")
    call_command("import_minutes", str(SEED), "--council", "forebyggande-radet", stdout=StringIO())
    return live_server.url


def test_a_visitor_searches_reads_and_downloads_the_minutes(browser, site):
    context = browser.new_context(locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(site + "/")
    page.get_by_label("Sök i alla godkända minnesanteckningar och protokoll").fill(
        "kunskapsbaserat"
    )
    page.get_by_label("Sök i alla godkända minnesanteckningar och protokoll").press("Enter")
    expect(page.get_by_role("heading", name="1 träff")).to_be_visible()
    assert page.locator("mark").first.inner_text().lower() == "kunskapsbaserat"

    page.get_by_role("link", name=re.compile("Samverkansöverenskommelse med polisen 2020")).click()
    assert page.url.endswith("/arboga/forebyggande-radet/2020-02-24/#punkt-4")
    item = page.locator("#punkt-4")
    assert "ett kunskapsbaserat arbetssätt" in item.inner_text()
    expect(item).to_be_visible()

    sha256 = page.locator("code").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", sha256)
    with page.expect_download() as info:
        # the browser shows PDFs inline; ask for the file as a download
        page.evaluate(
            """() => { const a = document.querySelector('a[href$=".pdf"]');
                       a.setAttribute('download', ''); a.click(); }"""
        )
    download = info.value
    assert download.suggested_filename == "arboga-forebyggande-radet-2020-02-24.pdf"
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF-") and hashlib.sha256(body).hexdigest() == sha256
    context.close()
