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


def test_a_meeting_approved_today_is_listed_with_its_pdf_under_its_year_not_as_coming(client, cast):
    today = timezone.localdate()
    approved = factories.meeting(cast.council, today)
    factories.minutes(approved, status=Minutes.Status.APPROVED)
    factories.meeting(cast.council, today + datetime.timedelta(days=30))
    html = client.get(url(cast.council)).content.decode()
    upcoming = html[html.index('<h3 class="h5">Kommande möten') :].split("</ul>")[0]
    assert f'datetime="{today + datetime.timedelta(days=30):%Y-%m-%d}"' in upcoming
    assert f'datetime="{today:%Y-%m-%d}"' not in upcoming
    listed = html[html.index(f'<h3 class="h5">{today.year}</h3>') :].split("</ul>")[0]
    assert f'datetime="{today:%Y-%m-%d}"' in listed
    assert "Godkända minnesanteckningar (PDF)" in listed


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
def test_council_page_runs_five_queries_whatever_the_data_size(
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
    # council, members, meetings; and the plans and reports that the action plan app lists
    with django_assert_num_queries(5):
        response = client.get(url(council))
    assert response.status_code == 200
    # the two latest years with meetings are listed; the others are a link each
    shown = 1 if size == 1 else 4  # 2019 and 2018 hold two meetings each
    assert response.content.decode().count("Godkända minnesanteckningar") == shown
    with django_assert_num_queries(5):
        older = client.get(url(council), {"ar": "2000"})
    assert older.content.decode().count("Godkända minnesanteckningar") == (1 if size == 1 else 2)


def test_older_years_are_one_link_away(client, cast):
    for year in (2015, 2016, 2017):
        meeting = factories.meeting(cast.council, datetime.date(year, 3, 1))
        factories.minutes(meeting, status=Minutes.Status.APPROVED)
    text = page_text(client.get(url(cast.council)))
    assert "1 mars 2017" in text and "1 mars 2016" in text and "1 mars 2015" not in text
    assert "Tidigare år 2015 (1 möte)" in text
    response = client.get(url(cast.council), {"ar": "2015"})
    text = page_text(response)
    assert "1 mars 2015" in text and "1 mars 2017" not in text
    assert "Andra år Senaste åren 2017 (1 möte) 2016 (1 möte)" in text
    assert f'href="{url(cast.council)}?ar=2016"' in response.content.decode()
    for odd in ("x", "1900", "99999999999999999999", "\x00"):
        assert client.get(url(cast.council), {"ar": odd}).status_code == 200


def test_signed_in_visitors_see_the_same_public_page(client, cast):
    client.force_login(cast.outsider)
    assert client.get(url(cast.council)).status_code == 200
