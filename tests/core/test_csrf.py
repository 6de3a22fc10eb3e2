"""State-changing requests need the CSRF token and a same-site origin: without them nothing is
changed (issue 9, part 4). The client enforces the checks, as a browser's server would."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from actionplans.models import ActionPlan
from minutes import services
from minutes.models import AgendaItem, Meeting
from tests.minutes.drafting_fixtures import standing_agenda

pytestmark = pytest.mark.django_db
SLUGS = ["arboga", "forebyggande-radet"]
ORIGIN = "http://testserver"


@pytest.fixture
def browser(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.secretary)
    client.get(reverse("drafting:workspace"))  # the page sets the CSRF cookie
    return client


@pytest.fixture
def item(cast):
    standing_agenda(cast.council)
    meeting = services.meeting_create(
        council=cast.council, date=datetime.date(2025, 2, 24), start_time=None, end_time=None, place="",
        actor=cast.secretary,
    )  # fmt: skip
    return meeting.minutes.get().items.get(position=4)


def token(client) -> str:
    return client.cookies["csrftoken"].value


def forms(item):
    meeting = item.minutes.meeting_id
    return [
        (reverse("drafting:meeting_new", args=SLUGS), {"date": "2025-06-01"}),
        (reverse("drafting:item_add", args=[*SLUGS, meeting]), {"title": "Nytt"}),
        (reverse("drafting:item_delete", args=[*SLUGS, meeting, item.pk]), {}),
        (reverse("plans:list", args=SLUGS), {"year": 2030}),
        (reverse("drafting:notice_send", args=[*SLUGS, meeting]), {}),
    ]


def state():
    return (Meeting.objects.count(), AgendaItem.objects.count(), ActionPlan.objects.count())


def test_a_post_without_the_token_is_refused_and_changes_nothing(browser, item):
    before = state()
    for url, data in forms(item):
        response = browser.post(url, data, headers={"Origin": ORIGIN})
        assert response.status_code == 403, url
    assert state() == before


def test_a_post_from_a_foreign_origin_is_refused_even_with_the_token(browser, item):
    before = state()
    for url, data in forms(item):
        response = browser.post(
            url,
            {**data, "csrfmiddlewaretoken": token(browser)},
            headers={"Origin": "https://angripare.example"},
        )
        assert response.status_code == 403, url
    assert state() == before


def test_the_editors_json_save_needs_the_header_token(browser, item):
    url = reverse("drafting:item_autosave", args=[*SLUGS, item.minutes.meeting_id, item.pk])
    payload = {"version": item.version, "title": "Övriga frågor", "body": "<p>Ny</p>",
               "decision": "", "is_public": True, "confidentiality_ground": "", "sections": []}  # fmt: skip
    refused = browser.post(
        url, json.dumps(payload), content_type="application/json",
        headers={"Origin": ORIGIN, "Accept": "application/json"},
    )  # fmt: skip
    assert refused.status_code == 403 and refused.json()["csrf"] is True
    item.refresh_from_db()
    assert item.body == ""
    saved = browser.post(
        url, json.dumps(payload), content_type="application/json",
        headers={"Origin": ORIGIN, "X-CSRFToken": token(browser)},
    )  # fmt: skip
    assert saved.status_code == 200
    item.refresh_from_db()
    assert item.body == "<p>Ny</p>"


def test_with_the_token_and_the_sites_origin_the_form_works(browser, item):
    url = reverse("drafting:item_add", args=[*SLUGS, item.minutes.meeting_id])
    response = browser.post(
        url, {"title": "Nytt ärende", "csrfmiddlewaretoken": token(browser)},
        headers={"Origin": ORIGIN},
    )  # fmt: skip
    assert response.status_code == 302
    assert AgendaItem.objects.filter(title="Nytt ärende").exists()


def test_signing_in_needs_the_token_too(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "sekreterare", "password": "x"},
        headers={"Origin": ORIGIN},
    )  # fmt: skip
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_refusal_is_a_swedish_page_in_the_site_s_layout(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "sekreterare", "password": "x"},
        headers={"Origin": ORIGIN},
    )  # fmt: skip
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Formuläret kunde inte skickas" in html and "Inget har ändrats." in html
    # the site's frame
    assert 'skip-link" href="#main"' in html and 'href="/tillganglighet/"' in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html
    assert '<meta name="description"' in html


def test_the_editor_still_gets_json_from_a_refusal(browser, item):
    url = reverse("drafting:item_autosave", args=[*SLUGS, item.minutes.meeting_id, item.pk])
    response = browser.post(url, "{}", content_type="application/json", headers={"Origin": ORIGIN})
    assert response.status_code == 403 and response.json()["csrf"] is True
