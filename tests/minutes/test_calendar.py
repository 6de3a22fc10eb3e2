import datetime

import icalendar
import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/arboga/forebyggande-radet/moten.ics"


def test_coming_meetings_are_events_that_link_to_their_pages(client, cast):
    today = timezone.localdate()
    factories.meeting(cast.council, today - datetime.timedelta(days=30), place="Förr")
    coming = factories.meeting(
        cast.council, today + datetime.timedelta(days=14), place="Kommunstyrelsesalen"
    )
    factories.meeting(
        cast.council, today + datetime.timedelta(days=40), start_time=None, end_time=None
    )
    factories.meeting(cast.other_council, today + datetime.timedelta(days=3))
    response = client.get(URL)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    first = events[0]
    assert str(first["summary"]) == "Förebyggande rådet: möte"
    assert str(first["location"]) == "Kommunstyrelsesalen"
    assert first.decoded("dtstart") == datetime.datetime.combine(
        coming.date, datetime.time(8, 30), tzinfo=first.decoded("dtstart").tzinfo
    )
    assert str(first.decoded("dtstart").tzinfo) == "Europe/Stockholm"
    assert str(first["url"]).endswith(f"/arboga/forebyggande-radet/{coming.date:%Y-%m-%d}/")
    assert events[1].decoded("dtstart") == today + datetime.timedelta(
        days=40
    )  # a whole day without times


def test_an_unknown_council_has_no_calendar(client, db):
    assert client.get("/arboga/finns-inte/moten.ics").status_code == 404


@pytest.mark.parametrize("size", [1, 30])
def test_the_calendar_runs_two_queries_whatever_the_number_of_meetings(
    client, cast, django_assert_num_queries, size
):
    today = timezone.localdate()
    for n in range(size):
        factories.meeting(cast.council, today + datetime.timedelta(days=n + 1))
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200
