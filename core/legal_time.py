"""The statutory appeal period (överklagandetid) of a municipal decision, counted as Swedish law
counts it. Pure date arithmetic: no database, no request, no clock.

Two statutes decide the last day:

- Kommunallagen (2017:725) 13 kap. 5 §: an appeal (laglighetsprövning) must have arrived within
  three weeks from the day on which it was announced on the municipality's anslagstavla that the
  protokoll had been justerat. A period of weeks counted from a day ends on the same weekday that
  many weeks later, so three weeks from day D end on D + 21 days.
- Lag (1930:173) om beräkning av lagstadgad tid: when the last day of a statutory period falls on
  a Saturday, a Sunday or another allmän helgdag, or on midsommarafton, julafton or nyårsafton,
  the act may be done on the next vardag, the next day that is none of these.

The allmänna helgdagar are those of lag (1989:253) om allmänna helgdagar, read from the maintained
calendar of the ``holidays`` package (python-holidays), never from a table of our own: its
Sweden's PUBLIC category holds exactly them (nyårsdagen, trettondedag jul, långfredagen,
påskdagen, annandag påsk, första maj, Kristi himmelsfärdsdag, nationaldagen, pingstdagen,
midsommardagen, alla helgons dag, juldagen, annandag jul, with the changes over the years, such as
annandag pingst up to 2004 and nationaldagen from 2005), and its DE_FACTO category exactly the
three eves the 1930 act names. Its other categories are left out, since the act does not name
them: OPTIONAL (påskafton, pingstafton, the klämdag after Kristi himmelsfärdsdag and the
half-day eves) and BANK (the days before the eves). Its optional "every Sunday" is not asked for:
Sundays are non-working under the weekday rule anyway.
"""

from __future__ import annotations

import datetime
import functools

import holidays
from holidays.constants import DE_FACTO, PUBLIC

APPEAL_WEEKS = 3

# Saturday and Sunday, as datetime.date.weekday() numbers them.
_WEEKEND = frozenset({5, 6})


@functools.lru_cache(maxsize=32)
def legal_holidays(year: int) -> frozenset[datetime.date]:
    """The days of ``year`` that lag (1930:173) names besides Saturdays and Sundays: every allmän
    helgdag, and midsommarafton, julafton and nyårsafton (whatever weekday each falls on).

    Read from python-holidays' Sweden (PUBLIC and DE_FACTO categories, Sundays not added) once
    per year and kept, since public pages ask for it on every render."""
    calendar = holidays.country_holidays(
        "SE", years=year, categories=(PUBLIC, DE_FACTO), include_sundays=False
    )
    return frozenset(calendar)


def is_non_working(day: datetime.date) -> bool:
    """True for the days that cannot be the last day of a statutory period under lag (1930:173):
    Saturday, Sunday, any other allmän helgdag, midsommarafton, julafton and nyårsafton."""
    return day.weekday() in _WEEKEND or day in legal_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a vardag, else the first vardag after it (lag (1930:173): the
    period runs on to the next day that is neither a Saturday, a Sunday, an allmän helgdag, nor
    midsommarafton, julafton or nyårsafton). Christmas can chain five such days in a row."""
    while is_non_working(day):
        day += datetime.timedelta(days=1)
    return day


def last_day_to_appeal(announced_on: datetime.date) -> datetime.date:
    """The last day on which an appeal of a decision in the protokoll may arrive, given the day
    the justering was announced on the anslagstavla.

    Kommunallagen 13 kap. 5 §: within three weeks from the announcement, so until the same weekday
    three weeks later (``announced_on`` + 21 days); when that day is a Saturday, a Sunday, an
    allmän helgdag, midsommarafton, julafton or nyårsafton, lag (1930:173) moves it to the next
    vardag."""
    return next_working_day(announced_on + datetime.timedelta(weeks=APPEAL_WEEKS))
