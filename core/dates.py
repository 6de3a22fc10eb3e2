"""Dates and times as Swedish minutes write them, whatever language the request is in."""

from __future__ import annotations

import datetime

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(day: datetime.date) -> str:
    """``24 februari 2020``: the minutes' own language, whatever the request's (and without the
    translation machinery, which the public pages would run a hundred times a page)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def time_span(start: datetime.time | None, end: datetime.time | None, *, clock: str = "kl") -> str:
    """``kl 08.30 – 10.30``; ``kl 08.30`` without an end; empty without a start. ``clock=""``
    leaves the "kl" out (the English pages)."""
    if start is None:
        return ""
    text = f"{clock} {start:%H.%M}" if clock else f"{start:%H.%M}"
    return f"{text} – {end:%H.%M}" if end is not None else text
