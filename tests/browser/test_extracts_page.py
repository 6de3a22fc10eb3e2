"""A justerat protokoll's public page in a browser (issue 19): the anslagsbevis, the § justerad
at once, each public §'s extract link; the extract downloaded from its link has the SHA-256 the
page states; and the page has no serious or critical WCAG 2.1 AA violations. The staff page's
list of extracts, with a dispatch, too."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from django.urls import reverse

from minutes.models import Extract
from minutes.services import expediering
from tests.browser.axe import serious_violations
from tests.minutes.services.test_justering import protokoll  # noqa: F401 (the fixture)
from tests.minutes.test_extracts import (
    PAGE,
    adjust_at_once,
    confidential,
    justera_with_extracts,
    with_recipients,
)

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name: str) -> None:
    """With KEEP_PDFS=<dir>, a full-page screenshot to look at."""
    folder = os.environ.get("KEEP_PDFS")
    if folder:
        page.screenshot(path=str(Path(folder, name)), full_page=True)


def test_the_public_page_offers_the_extracts_and_their_hashes_match(
    browser,
    live_server,
    cast,
    protokoll,  # noqa: F811
):
    c = protokoll
    confidential(c)
    with_recipients(c)
    adjust_at_once(c, 3)
    revision = justera_with_extracts(c)
    context = browser.new_context(
        locale="sv-SE",
        bypass_csp=True,
        viewport={"width": 1200, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    page.goto(live_server.url + PAGE + "#paragraf-2")
    assert page.locator(".anslagsbevis dd", has_text="2026-04-07").count() == 1
    assert page.locator("#paragraf-3 .adjusted-at-once").inner_text() == (
        "Paragrafen justerades omedelbart 2026-03-09."
    )
    link = page.locator("#paragraf-2 .extract-link a")
    assert link.inner_text().startswith("Protokollsutdrag § 2 (PDF,")
    stated = page.locator("#paragraf-2 .extract-link code").inner_text()
    assert page.locator("#paragraf-4 .extract-link").count() == 0  # confidential
    shot(page, "public-page.png")
    problems = serious_violations(page)
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert hashlib.sha256(response.body()).hexdigest() == stated
    assert stated == Extract.objects.get(revision=revision, paragraph=2).pdf_sha256
    context.close()
    assert not problems, "\n".join(problems)

    # the staff page, after the secretary sent § 2's extract
    extract = Extract.objects.get(revision=revision, paragraph=2)
    expediering.extract_send(
        extract=extract,
        addresses={"Socialförvaltningen": "sf@arboga.example"},
        actor=cast.secretary,
    )
    context = browser.new_context(
        locale="sv-SE", bypass_csp=True, viewport={"width": 1200, "height": 900}
    )
    context.add_cookies([_session_cookie(live_server, cast.secretary)])
    page = context.new_page()
    meeting = c.minutes.meeting
    page.goto(
        live_server.url
        + reverse(
            "drafting:meeting",
            args=[meeting.council.municipality.slug, meeting.council.slug, meeting.pk],
        )
        + "#utdrag"
    )
    assert (
        "Skickat till Socialförvaltningen (sf@arboga.example)"
        in page.locator("#utdrag").inner_text()
    )
    shot(page, "staff-page.png")
    problems = serious_violations_in(page, "#utdrag")
    context.close()
    assert not problems, "\n".join(problems)


def serious_violations_in(page, selector: str) -> list[str]:
    """axe's WCAG 2.1 A and AA rules on one part of the page (the rest is other pages' tests')."""
    from tests.browser.axe import source

    page.add_script_tag(content=source())
    result = page.evaluate(
        """(selector) => axe.run(selector, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""",
        selector,
    )
    return [
        f"{v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _session_cookie(live_server, user) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
