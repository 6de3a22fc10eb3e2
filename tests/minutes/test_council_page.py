import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership
from minutes.models import Minutes
from tests import factories
from tests.pages import page_text

pytestmark = pytest.mark.django_db
Role = Membership.Role


def url(council):
    return reverse("minutes:council", args=[council.municipality.slug, council.slug])


def test_council_page_groups_members_as_the_minutes_do(client, cast):
    council = cast.council
    factories.membership(factories.person("Kerstin Rosenkvist"), council, party="S", position=2)
    factories.membership(
        factories.person("Anders Röhfors"), council, Role.CHAIR, party="M", position=5
    )
    factories.membership(
        factories.person("Stefan Persson"),
        council,
        Role.REPRESENTATIVE,
        title="Kommunpolis",
        organisation="Polismyndigheten",
    )
    factories.membership(
        factories.person("Eva Lagerström"),
        council,
        Role.REPRESENTATIVE,
        organisation="Socialförvaltningen",
    )
    html = client.get(url(council)).content.decode()
    assert "Anders Röhfors (M) ordförande" in html
    assert "Kerstin Rosenkvist (S)" in html
    assert "Kommunpolis Stefan Persson" in html
    assert "Socialförvaltningen Eva Lagerström" in html
    # The chair comes first among the elected members, whatever the display order says.
    assert html.index("Anders Röhfors") < html.index("Kerstin Rosenkvist")
    assert html.index("Ledamöter") < html.index("Rådsrepresentanter")


def test_council_page_leaves_out_memberships_that_have_ended(client, cast):
    factories.membership(
        factories.person("Avgången Ledamot"),
        cast.council,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2018, 12, 31),
    )
    assert "Avgången Ledamot" not in client.get(url(cast.council)).content.decode()


def test_council_page_lists_coming_meetings_and_past_meetings_by_year(client, cast):
    today = timezone.localdate()
    factories.meeting(cast.council, datetime.date(2019, 11, 26))
    approved = factories.meeting(
        cast.council, datetime.date(2020, 2, 24), place="Kommunstyrelsesalen"
    )
    factories.minutes(approved, status=Minutes.Status.APPROVED)
    factories.meeting(cast.council, today + datetime.timedelta(days=30))
    text = page_text(client.get(url(cast.council)))
    assert (
        "24 februari 2020, kl 08.30 – 10.30, Kommunstyrelsesalen Godkända minnesanteckningar"
        in text
    )
    assert "2019 26 november 2019, kl 08.30 – 10.30" in text
    coming = f"Kommande möten {today + datetime.timedelta(days=30):%-d}"
    assert text.index(coming) < text.index("2020 24 februari") < text.index("2019 26 november")
    assert text.count("Godkända minnesanteckningar") == 1


def test_council_page_does_not_mix_up_councils_of_the_same_slug(client):
    a = factories.council(factories.municipality("Arboga kommun"), "Kommunstyrelsen", slug="ks")
    b = factories.council(factories.municipality("Köping kommun"), "Kommunstyrelsen", slug="ks")
    factories.membership(factories.person("Arbogabo"), a)
    factories.membership(factories.person("Köpingsbo"), b)
    html = client.get(url(b)).content.decode()
    assert "Köpingsbo" in html and "Arbogabo" not in html


def test_unknown_council_is_404(client, cast):
    assert client.get("/arboga/finns-inte/").status_code == 404
    assert client.get("/finns-inte/forebyggande-radet/").status_code == 404


@pytest.mark.parametrize("size", [1, 40])
def test_council_page_runs_three_queries_whatever_the_data_size(
    client, django_assert_num_queries, size
):
    council = factories.council()
    for n in range(size):
        factories.membership(factories.person(), council, Role.MEMBER, position=n)
        factories.membership(
            factories.person(), council, Role.REPRESENTATIVE, organisation="Förvaltning"
        )
        meeting = factories.meeting(council, datetime.date(2000 + n % 20, 1 + n % 12, 1))
        factories.minutes(meeting, status=Minutes.Status.APPROVED)
    with django_assert_num_queries(3):
        response = client.get(url(council))
    assert response.status_code == 200
    assert response.content.decode().count("Godkända minnesanteckningar") == size


def test_signed_in_visitors_see_the_same_public_page(client, cast):
    client.force_login(cast.outsider)
    assert client.get(url(cast.council)).status_code == 200
