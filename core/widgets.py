"""Form inputs of the browser's own types (date, time, number) that never echo back a value
their control cannot hold: a refused form shows such an input empty, with its error, rather
than ``value="inte ett datum"``, which the HTML standard forbids (the Nu Html Checker's error)
and no browser would display."""

from __future__ import annotations

import datetime
import re

from django import forms

_NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?")


def _valid_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _valid_time(text: str) -> bool:
    try:
        datetime.time.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?", text))


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        value = super().format_value(value)
        return value if value is None or _valid_date(value) else None


class TimeInput(forms.TimeInput):
    input_type = "time"

    def format_value(self, value):
        value = super().format_value(value)
        return value if value is None or _valid_time(value) else None


class NumberInput(forms.NumberInput):
    def format_value(self, value):
        value = super().format_value(value)
        return value if value is None or _NUMBER.fullmatch(str(value)) else None
