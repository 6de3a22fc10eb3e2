import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.utils import timezone
from icalendar.parser import unescape_backslash

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


# --- What independent parsers read (RFC 5545) ------------------------------------------------

NAME = "Förebyggande rådet, Arboga kommun"


def _next(month: int, day: int) -> datetime.date:
    """The next such day after today: the calendar lists coming meetings only."""
    today = timezone.localdate()
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year > today else this_year.replace(year=today.year + 1)


def _utc(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC)


def test_local_times_resolve_to_the_right_instants_in_winter_and_summer(client, cast):
    winter = factories.meeting(cast.council, _next(1, 15))  # 08.30–10.30, CET: UTC+1
    summer = factories.meeting(cast.council, _next(7, 15))  # CEST: UTC+2
    expected = {
        winter.date: (_utc(winter.date, 7, 30), _utc(winter.date, 9, 30)),
        summer.date: (_utc(summer.date, 6, 30), _utc(summer.date, 8, 30)),
    }
    body = client.get(URL).content

    # icalendar: every TZID used is defined in the file, and that definition gives the instants
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.get_used_tzids() == {"Europe/Stockholm"}
    assert calendar.get_missing_tzids() == set()
    (definition,) = calendar.timezones
    own_rules = definition.to_tz()
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert (
            start.replace(tzinfo=own_rules).astimezone(datetime.UTC),
            end.replace(tzinfo=own_rules).astimezone(datetime.UTC),
        ) == expected[start.date()]

    # vobject: the same instants, and the same from the file's VTIMEZONE alone
    parsed = vobject.readOne(body.decode())
    rules = parsed.vtimezone.gettzinfo()
    assert len(parsed.vevent_list) == 2
    for event in parsed.vevent_list:
        start, end = event.dtstart.value, event.dtend.value
        assert (start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)) == expected[
            start.date()
        ]
        local = start.replace(tzinfo=rules)
        assert local.astimezone(datetime.UTC) == expected[start.date()][0]


def test_the_timezone_definition_agrees_with_the_tz_database_every_year(client, cast):
    factories.meeting(cast.council, _next(3, 1))
    body = client.get(URL).content
    zone = ZoneInfo("Europe/Stockholm")
    by_icalendar = icalendar.Calendar.from_ical(body).timezones[0].to_tz()
    by_vobject = vobject.readOne(body.decode()).vtimezone.gettzinfo()
    for year in range(1996, 2038):
        instants = []
        for month in (3, 10):
            last = max(
                datetime.date(year, month, d)
                for d in range(25, 32)
                if datetime.date(year, month, d).weekday() == 6
            )
            change = _utc(last, 1, 0)
            instants += [change - datetime.timedelta(minutes=1), change]
        instants += [
            _utc(datetime.date(year, 1, 15), 12, 0),
            _utc(datetime.date(year, 7, 15), 12, 0),
        ]
        for instant in instants:
            truth = instant.astimezone(zone).utcoffset()
            assert instant.astimezone(by_icalendar).utcoffset() == truth, instant
            assert instant.astimezone(by_vobject).utcoffset() == truth, instant


def test_the_calendar_name_keeps_its_comma(client, cast):
    body = client.get(URL).content
    assert f"X-WR-CALNAME:{NAME.replace(',', '\\,')}\r\n".encode() in body
    calendar = icalendar.Calendar.from_ical(body)
    # icalendar keeps properties it has no type for as they stand: unescaped as TEXT (RFC 5545
    # 3.3.11), the name is whole
    assert unescape_backslash(calendar["x-wr-calname"].to_ical().decode()) == NAME
    assert unescape_backslash(calendar["name"].to_ical().decode()) == NAME  # RFC 7986
    parsed = vobject.readOne(body.decode())
    assert parsed.x_wr_calname.value == NAME
    assert parsed.contents["name"][0].value == NAME


def test_uids_come_from_the_site_address_not_the_request(client, cast, settings):
    settings.SITE_URL = "https://protokoll.arboga.example:8443/"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "moten.example.org"]
    meeting = factories.meeting(cast.council, _next(6, 1))
    uids = []
    for host in ("testserver", "127.0.0.1:8804", "moten.example.org"):
        parsed = vobject.readOne(client.get(URL, HTTP_HOST=host).content.decode())
        uids.append([event.uid.value for event in parsed.vevent_list])
    assert uids == [[f"meeting-{meeting.pk}@protokoll.arboga.example"]] * 3
