"""The council's coming meetings as an iCalendar (RFC 5545) document.

Times are local, with ``TZID`` naming the site's zone and a ``VTIMEZONE`` that defines it, as the
RFC requires (clients of the Outlook kind know no zone by its name alone). Text values are
escaped as TEXT, the calendar's name too. An event's UID is made from the site's own domain
(``SITE_URL``), never from the address the calendar happened to be fetched by, so a calendar
fetched by another name does not double every meeting.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from icalendar.prop import vText

PRODID = "-//Protokollet//Mötesplan//SV"
# Summer time begins and ends at 01:00 UTC on the last Sunday of March and of October in every
# member state of the EU (Directive 2000/84/EC; Sweden has followed it since 1996).
EU_RULE_SINCE = 1996
_CHANGE_UTC = datetime.time(1)


def _last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


def _offset_name(zone: ZoneInfo, day: datetime.date) -> tuple[datetime.timedelta, str]:
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)
    return moment.utcoffset() or datetime.timedelta(0), moment.tzname() or ""


def vtimezone(tzid: str) -> icalendar.Timezone:
    """The ``VTIMEZONE`` of ``tzid``, a zone that keeps the EU's summer-time rule (or none): a
    STANDARD and a DAYLIGHT part, each repeating yearly on the last Sunday of its month."""
    zone = ZoneInfo(tzid)
    winter, winter_name = _offset_name(zone, datetime.date(EU_RULE_SINCE + 1, 1, 15))
    summer, summer_name = _offset_name(zone, datetime.date(EU_RULE_SINCE + 1, 7, 15))
    timezone = icalendar.Timezone()
    timezone.add("tzid", tzid)
    parts = [("standard", 10, summer, winter, winter_name)]
    if summer != winter:
        parts.insert(0, ("daylight", 3, winter, summer, summer_name))
    for kind, month, before, after, name in parts:
        part = icalendar.TimezoneDaylight() if kind == "daylight" else icalendar.TimezoneStandard()
        change = datetime.datetime.combine(_last_sunday(EU_RULE_SINCE, month), _CHANGE_UTC)
        part.add("dtstart", change + before)  # local time, as the clock read just before
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        if name:
            part.add("tzname", name)
        if summer != winter:
            part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        timezone.add_component(part)
    return timezone


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "protokollet.invalid"


def meeting_calendar(name: str, events: Iterable[dict]) -> bytes:
    """A calendar called ``name`` holding ``events``: dicts with ``uid``, ``summary``,
    ``date``, ``start`` and ``end`` (times or None), ``stamp``, ``place``, ``url`` and
    ``description`` (or empty)."""
    tzid = settings.TIME_ZONE
    zone = ZoneInfo(tzid)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("name", vText(name))  # RFC 7986
    calendar.add("x-wr-calname", vText(name))  # escaped as TEXT: "Förebyggande rådet\, Arboga"
    calendar.add("x-wr-timezone", tzid)
    calendar.add_component(vtimezone(tzid))
    for fields in events:
        event = icalendar.Event()
        event.add("uid", fields["uid"])
        event.add("summary", fields["summary"])
        day = fields["date"]
        if fields["start"]:
            start = datetime.datetime.combine(day, fields["start"], tzinfo=zone)
            end_time = fields["end"] or (start + datetime.timedelta(hours=2)).time()
            event.add("dtstart", start)
            event.add("dtend", datetime.datetime.combine(day, end_time, tzinfo=zone))
        else:
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
        event.add("dtstamp", fields["stamp"])
        if fields["place"]:
            event.add("location", fields["place"])
        event.add("url", fields["url"])
        if fields["description"]:
            event.add("description", fields["description"])
        calendar.add_component(event)
    return calendar.to_ical()
