"""Open data in a browser (issue 20): a resident goes from the front page to "Öppna data", from
a nämnd's page to its own open data, follows its API address and reads the nämnd's meetings
as JSON, and downloads the whole archive as one file whose SHA-256 is the one the page states."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url  # the objects' ids point at the server asked
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    call_command("export_open_data", str(tmp_path / "export"), "--publish", stdout=io.StringIO())
    return live_server.url


def test_a_resident_finds_the_api_and_downloads_the_archive(browser, site):
    # bypass_csp only so that axe can be injected (tests/browser/test_accessibility.py)
    context = browser.new_context(locale="sv-SE", accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="Öppna data").click()
    page.wait_for_url("**/oppna-data/")
    expect(page.get_by_role("heading", name="API enligt OParl")).to_be_visible()

    # the whole archive, as the page states it
    stated = page.locator("code.text-break").first.inner_text().strip()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned öppna data").click()
    path = download.value.path()
    assert hashlib.sha256(open(path, "rb").read()).hexdigest() == stated  # noqa: SIM115

    # from the nämnd's page to its own addresses, and on to its meetings in the API
    page.goto(site + "/arboga/socialnamnden/")
    page.get_by_role("link", name="Öppna data").click()
    page.wait_for_url("**/oppna-data/arboga/socialnamnden/")
    expect(page.get_by_role("heading", name="Socialnämnden, Arboga kommun")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="/meeting/").click()
    meetings = json.loads(page.locator("body").inner_text())
    names = [m["name"] for m in meetings["data"]]
    assert "Socialnämnden 18 november 2026" in names
    assert all(m["type"] == "https://schema.oparl.org/1.1/Meeting" for m in meetings["data"])
    context.close()
