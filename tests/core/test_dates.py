import datetime

from django.utils import translation

from core.dates import long_date, time_span


def test_dates_are_written_in_swedish_words_whatever_the_active_language():
    with translation.override("en"):
        assert long_date(datetime.date(2019, 11, 26)) == "26 november 2019"
        assert long_date(datetime.date(2020, 2, 4)) == "4 februari 2020"


def test_times_are_written_with_a_full_stop_and_an_en_dash():
    assert time_span(datetime.time(8, 30), datetime.time(10, 30)) == "kl 08.30 – 10.30"
    assert time_span(datetime.time(13, 0), None) == "kl 13.00"
    assert time_span(None, None) == ""
