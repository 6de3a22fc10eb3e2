"""Dates and times as Swedish minutes write them, whatever language the request is in."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.formats import date_format


def long_date(day: datetime.date) -> str:
    """``24 februari 2020``."""
    with translation.override("sv"):
        return date_format(day, "j F Y")


def time_span(start: datetime.time | None, end: datetime.time | None) -> str:
    """``kl 08.30 – 10.30``; ``kl 08.30`` without an end; empty without a start."""
    if start is None:
        return ""
    text = f"kl {start:%H.%M}"
    return f"{text} – {end:%H.%M}" if end is not None else text
