"""A council's usual meeting times: edited in the admin, in the demo (issue 17, point 16)."""

import datetime

import pytest
from django.urls import reverse

from councils.demo import load_council
from councils.models import Council

pytestmark = pytest.mark.django_db


def post_council(client, council, **changes):
    data = {
        "municipality": council.municipality_id,
        "name": council.name,
        "slug": council.slug,
        "kind": council.kind,
        "document_title": council.document_title,
        "default_place": council.default_place,
        "description": council.description,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    } | changes
    return client.post(reverse("admin:councils_council_change", args=[council.pk]), data)


def test_the_usual_times_are_edited_in_the_admin(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("admin:councils_council_change", args=[cast.council.pk]))
    assert "Vanlig starttid" in page.content.decode()
    response = post_council(client, cast.council, usual_start_time="08:30", usual_end_time="10:30")
    assert response.status_code == 302, response.content.decode()[:2000]
    council = Council.objects.get(pk=cast.council.pk)
    assert (council.usual_start_time, council.usual_end_time) == (
        datetime.time(8, 30),
        datetime.time(10, 30),
    )


def test_an_end_before_the_start_gets_a_message(client, cast):
    client.force_login(cast.admin)
    response = post_council(client, cast.council, usual_start_time="10:30", usual_end_time="08:30")
    assert response.status_code == 200
    assert "Den vanliga sluttiden måste vara efter starttiden." in response.content.decode()
    assert Council.objects.get(pk=cast.council.pk).usual_start_time is None


def test_the_demo_council_meets_at_its_usual_times():
    council = load_council().council
    assert (council.usual_start_time, council.usual_end_time) == (
        datetime.time(8, 30),
        datetime.time(10, 30),
    )
    # a demo database from before the usual times gets them when loaded again
    Council.objects.filter(pk=council.pk).update(usual_start_time=None, usual_end_time=None)
    council = load_council().council
    assert council.usual_start_time == datetime.time(8, 30)
