"""The last day to appeal (kommunallagen 13 kap. 5 §, lag (1930:173)), against a calendar read by
hand: every row names the weekdays and why the period ends where it does."""

import datetime

import holidays
import pytest
from holidays.constants import DE_FACTO, PUBLIC
from hypothesis import given
from hypothesis import strategies as st

from core.legal_time import (
    APPEAL_WEEKS,
    is_non_working,
    last_day_to_appeal,
    legal_holidays,
    next_working_day,
)

D = datetime.date

# (announced on, last day to appeal); announced + 21 days is the same weekday three weeks on.
CASES = [
    # Wed → Wed 4 Feb 2026, an ordinary weekday: the period ends there.
    (D(2026, 1, 14), D(2026, 2, 4)),
    # Sat → Sat 28 Feb 2026: Saturday, Sunday 1 Mar, so Monday 2 Mar.
    (D(2026, 2, 7), D(2026, 3, 2)),
    # Sun → Sun 29 Mar 2026: Sunday, so Monday 30 Mar.
    (D(2026, 3, 8), D(2026, 3, 30)),
    # Fri → Fri 26 Mar 2027 långfredagen, Sat 27 påskafton (a Saturday), Sun 28 påskdagen,
    # Mon 29 annandag påsk, so Tuesday 30 Mar.
    (D(2027, 3, 5), D(2027, 3, 30)),
    # Mon → Mon 6 Apr 2026 annandag påsk (påskdagen is Sun 5 Apr), so Tuesday 7 Apr.
    (D(2026, 3, 16), D(2026, 4, 7)),
    # Sat → Sat 15 Apr 2028 påskafton (a Saturday, not a helgdag of its own), Sun 16 påskdagen,
    # Mon 17 annandag påsk, so Tuesday 18 Apr.
    (D(2028, 3, 25), D(2028, 4, 18)),
    # Thu → Thu 13 Apr 2028 skärtorsdag: a working day (only a half day at banks).
    (D(2028, 3, 23), D(2028, 4, 13)),
    # Thu → Thu 14 May 2026 Kristi himmelsfärdsdag, so Friday 15 May (the klämdag is a vardag).
    (D(2026, 4, 23), D(2026, 5, 15)),
    # Thu → Thu 25 May 2028 Kristi himmelsfärdsdag, so Friday 26 May.
    (D(2028, 5, 4), D(2028, 5, 26)),
    # Fri → Fri 1 May 2026 första maj, Sat 2, Sun 3, so Monday 4 May.
    (D(2026, 4, 10), D(2026, 5, 4)),
    # Mon → Mon 1 May 2028 första maj, so Tuesday 2 May.
    (D(2028, 4, 10), D(2028, 5, 2)),
    # Fri → Fri 30 Apr 2027 valborgsmässoafton: a working day, the law does not name it.
    (D(2027, 4, 9), D(2027, 4, 30)),
    # Tue → Tue 6 Jun 2028 nationaldagen, so Wednesday 7 Jun.
    (D(2028, 5, 16), D(2028, 6, 7)),
    # Sun → Sun 16 May 2027 pingstdagen (a Sunday anyway); annandag pingst has been a vardag since
    # 2005, so Monday 17 May.
    (D(2027, 4, 25), D(2027, 5, 17)),
    # Sat → Sat 15 May 2027 pingstafton (a Saturday), Sun 16 pingstdagen, so Monday 17 May.
    (D(2027, 4, 24), D(2027, 5, 17)),
    # Fri → Fri 19 Jun 2026 midsommarafton, Sat 20 midsommardagen, Sun 21, so Monday 22 Jun.
    (D(2026, 5, 29), D(2026, 6, 22)),
    # Fri → Fri 23 Jun 2028 midsommarafton, Sat 24 midsommardagen, Sun 25, so Monday 26 Jun.
    (D(2028, 6, 2), D(2028, 6, 26)),
    # Sat → Sat 31 Oct 2026 alla helgons dag, Sun 1 Nov, so Monday 2 Nov.
    (D(2026, 10, 10), D(2026, 11, 2)),
    # Sat → Sat 6 Nov 2027 alla helgons dag, Sun 7 Nov, so Monday 8 Nov.
    (D(2027, 10, 16), D(2027, 11, 8)),
    # Fri → Fri 5 Nov 2027 allhelgonaafton: a working day, the law does not name it.
    (D(2027, 10, 15), D(2027, 11, 5)),
    # Thu → Thu 24 Dec 2026 julafton, Fri 25 juldagen, Sat 26 annandag jul, Sun 27, so Monday 28.
    (D(2026, 12, 3), D(2026, 12, 28)),
    # Thu → Thu 23 Dec 2027, the day before julafton: a working day.
    (D(2027, 12, 2), D(2027, 12, 23)),
    # Sun → Sun 24 Dec 2028 julafton, Mon 25 juldagen, Tue 26 annandag jul, so Wednesday 27 Dec.
    (D(2028, 12, 3), D(2028, 12, 27)),
    # Thu → Thu 31 Dec 2026 nyårsafton, Fri 1 Jan 2027 nyårsdagen, Sat 2, Sun 3, so Monday
    # 4 Jan 2027 (across the year's end).
    (D(2026, 12, 10), D(2027, 1, 4)),
    # Fri → Fri 31 Dec 2027 nyårsafton, Sat 1 Jan 2028 nyårsdagen, Sun 2, so Monday 3 Jan 2028.
    (D(2027, 12, 10), D(2028, 1, 3)),
    # Wed → Wed 6 Jan 2027 trettondedag jul, so Thursday 7 Jan.
    (D(2026, 12, 16), D(2027, 1, 7)),
    # Thu → Thu 6 Jan 2028 trettondedag jul, so Friday 7 Jan.
    (D(2027, 12, 16), D(2028, 1, 7)),
]


@pytest.mark.parametrize(("announced_on", "last_day"), CASES, ids=[str(a) for a, _ in CASES])
def test_last_day_to_appeal(announced_on, last_day):
    assert last_day_to_appeal(announced_on) == last_day


def test_three_weeks():
    assert APPEAL_WEEKS == 3
    # An ordinary Wednesday 21 days on is the last day itself.
    assert last_day_to_appeal(D(2027, 9, 1)) == D(2027, 9, 22)


def test_an_ordinary_wednesday_is_working():
    assert is_non_working(D(2027, 9, 22)) is False
    assert next_working_day(D(2027, 9, 22)) == D(2027, 9, 22)


def test_a_plain_saturday_and_sunday_are_not_working():
    # Sat 13 and Sun 14 Mar 2027, no holiday near.
    assert is_non_working(D(2027, 3, 13))
    assert is_non_working(D(2027, 3, 14))
    assert D(2027, 3, 13) not in legal_holidays(2027)
    assert next_working_day(D(2027, 3, 13)) == D(2027, 3, 15)


def test_pask_and_pingstafton_count_only_as_saturdays():
    # Påskafton (Sat 27 Mar 2027) and pingstafton (Sat 15 May 2027) are not in the law's list: they
    # are non-working only because they are Saturdays, not as helgdagar.
    for eve in (D(2027, 3, 27), D(2027, 5, 15)):
        assert eve.weekday() == 5
        assert is_non_working(eve)
        assert eve not in legal_holidays(2027)


def test_days_the_law_does_not_name_are_working():
    for day in (
        D(2027, 5, 7),  # Fri, the klämdag after Kristi himmelsfärdsdag
        D(2027, 5, 17),  # Mon, annandag pingst (a helgdag only up to 2004)
        D(2027, 4, 30),  # Fri, valborgsmässoafton
        D(2027, 1, 5),  # Tue, trettondagsafton
        D(2027, 3, 25),  # Thu, skärtorsdagen
        D(2027, 6, 24),  # Thu, the day before midsommarafton
        D(2027, 12, 23),  # Thu, the day before julafton
        D(2027, 12, 30),  # Thu, the day before nyårsafton
    ):
        assert not is_non_working(day), day


def test_the_calendar_holds_exactly_the_days_the_law_names():
    # A guard for upgrades of python-holidays: the categories read are the 13 allmänna helgdagar of
    # lag (1989:253) and the three eves of lag (1930:173), no more.
    calendar = holidays.country_holidays(
        "SE", years=2027, categories=(PUBLIC, DE_FACTO), include_sundays=False, language="sv"
    )
    assert sorted(calendar.values()) == sorted(
        [
            "Nyårsdagen",
            "Trettondedag jul",
            "Långfredagen",
            "Påskdagen",
            "Annandag påsk",
            "Första maj",
            "Kristi himmelsfärdsdag",
            "Nationaldagen",
            "Pingstdagen",
            "Midsommarafton",
            "Midsommardagen",
            "Alla helgons dag",
            "Julafton",
            "Juldagen",
            "Annandag jul",
            "Nyårsafton",
        ]
    )
    assert legal_holidays(2027) == frozenset(calendar)


def test_the_calendar_is_read_once_per_year():
    legal_holidays.cache_clear()
    first = legal_holidays(2028)
    for _ in range(3):
        is_non_working(D(2028, 6, 6))
    assert legal_holidays(2028) is first
    assert legal_holidays.cache_info().misses == 1


def test_next_working_day_chains_five_days():
    # Wed 24 Dec 2025 julafton, Thu 25 juldagen, Fri 26 annandag jul, Sat 27, Sun 28: Monday 29.
    assert next_working_day(D(2025, 12, 24)) == D(2025, 12, 29)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_the_last_day_is_the_first_working_day_from_three_weeks_on(announced_on):
    last_day = last_day_to_appeal(announced_on)
    three_weeks_on = announced_on + datetime.timedelta(days=21)
    assert last_day >= three_weeks_on
    assert not is_non_working(last_day)
    day = three_weeks_on
    while day < last_day:
        assert is_non_working(day)
        day += datetime.timedelta(days=1)
