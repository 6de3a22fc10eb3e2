"""Typography of rendered text.

``nobreak_digits`` keeps a number's digit groups together ("8 000 kronor", "1 250 000") by
turning the spaces between them into no-break spaces (U+00A0) in what is shown, the PDF and the
HTML alike; the stored text keeps its ordinary spaces (search, exports and the editor see them).
Plain text is escaped first; HTML that is already safe (the sanitized body of an item, or
``linebreaks`` output) is changed in its text only, never inside a tag or an attribute.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

NO_BREAK_SPACE = "\u00a0"
# A number written in groups of three: one to three digits, then " ddd" groups, not part of a
# longer run of digits. A four-digit first group ("2020 300") is two numbers, left alone.
_GROUPED = re.compile(r"(?<!\d)\d{1,3}(?: \d{3})+(?!\d)")
# In sanitized HTML a ">" inside an attribute value is always escaped, so this finds every tag.
_TAG = re.compile(r"(<[^>]*>)")


def _join(text: str) -> str:
    return _GROUPED.sub(lambda match: match.group(0).replace(" ", NO_BREAK_SPACE), text)


def join_digit_groups(text: str, *, transparent: str = "") -> str:
    """``text`` (plain, not yet escaped) with its digit groups held together. The characters
    in ``transparent`` are looked through: the search marks its hits with private-use
    characters before they become ``<mark>`` tags, and "8 <mark>000</mark>", whose groups the
    filter would see in two pieces of text, must stay together too."""
    if not transparent:
        return _join(text)
    kept = [index for index, char in enumerate(text) if char not in transparent]
    bare = "".join(text[index] for index in kept)
    chars = list(text)
    for match in _GROUPED.finditer(bare):
        for offset, char in enumerate(match.group(0), start=match.start()):
            if char == " ":
                chars[kept[offset]] = NO_BREAK_SPACE
    return "".join(chars)


@register.filter(is_safe=True, needs_autoescape=True)
def nobreak_digits(value, autoescape: bool = True) -> str:
    """Digit groups kept together; safe HTML is changed between its tags only."""
    if value is None or value == "":
        return value
    if not autoescape:
        return _join(str(value))
    if isinstance(value, SafeData):
        parts = _TAG.split(str(value))
        # the odd parts are the tags themselves
        return mark_safe(  # noqa: S308 (only spaces between digits of safe HTML's text change)
            "".join(part if index % 2 else _join(part) for index, part in enumerate(parts))
        )
    return mark_safe(_join(str(conditional_escape(value))))  # noqa: S308 (escaped first)


_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2}) kl\. (\d{1,2}\.\d{2})")


@register.filter(is_safe=True)
def nobreak_stamp(value) -> str:
    """ "Justerat elektroniskt 2026-03-16 kl. 11.05" with its date and time held together, so a
    narrow signature line breaks before the date, never inside "kl. 11.05"."""
    if not value:
        return value
    escaped = str(conditional_escape(value))
    return mark_safe(  # noqa: S308 (escaped first; only spaces change)
        _STAMP.sub(lambda m: f"{m[1]}{NO_BREAK_SPACE}kl.{NO_BREAK_SPACE}{m[2]}", escaped)
    )
