"""Swedish pages for 403, 404 and 500, and the accessibility statement."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_swedish(client):
    response = client.get("/finns/inte/alls/")
    assert response.status_code == 404
    assert "Sidan finns inte" in page_text(response)
    assert 'href="/sok/"' in response.content.decode()


def test_a_forbidden_action_says_so_in_swedish(client, cast):
    client.force_login(cast.member)
    response = client.post(reverse("plans:list", args=["arboga", "forebyggande-radet"]))
    assert response.status_code == 403
    assert "Inte tillåtet" in page_text(response)


def test_a_failure_gives_the_swedish_500_page(settings, cast):
    settings.ROOT_URLCONF = "tests.core.urls_with_error"
    client = Client(raise_request_exception=False)
    response = client.get("/fel/")
    assert response.status_code == 500
    assert "Något gick fel" in page_text(response)
    assert "loggat" in page_text(response)


def test_the_accessibility_statement_says_how_to_report_problems(client, settings):
    settings.ACCESSIBILITY_CONTACT = "tillganglighet@arboga.se"
    front = client.get("/")
    assert f'href="{reverse("accessibility")}"' in front.content.decode()
    response = client.get(reverse("accessibility"))
    text = page_text(response)
    assert "Tillgänglighetsredogörelse" in text and "WCAG 2.1" in text
    assert "mailto:tillganglighet@arboga.se" in response.content.decode()
    assert "DIGG" in text and "Kända brister" in text
