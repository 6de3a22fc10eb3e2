"""axe-core on a nämnd's public protokoll page (issue 18): the front page's lists, the §§ with
their votes and the närvaro- och omröstningslista table have no serious or critical WCAG 2.1 AA
violations, at a desktop and a phone's width (where the table scrolls in its own box)."""

import pytest

from tests.browser.axe import serious_violations
from tests.minutes.drafting_fixtures import submit_and_approve
from tests.minutes.test_protocol_pdf import protocol_meeting, socialnamnden

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def minutes(cast):
    return protocol_meeting(socialnamnden(cast))


@pytest.mark.parametrize("width", [1200, 375])
def test_the_public_protokoll_page_has_no_serious_violations(
    browser, live_server, cast, minutes, width
):
    submit_and_approve(minutes, cast)
    context = browser.new_context(
        locale="sv-SE", bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + "/arboga/forebyggande-radet/2026-03-09/#paragraf-2")
    assert page.locator("#paragraf-2 h3", has_text="Votering").count() == 1
    assert page.locator("table.roll-table tbody tr").count() == 13
    problems = serious_violations(page)
    context.close()
    assert not problems, "\n".join(problems)
