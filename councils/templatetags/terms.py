"""Template helpers for ``councils.terms``: the wording of a council's document and approval.

``{% load terms %}`` then ``{{ terms|status_label:minutes.status }}`` for a status, and
``{% phrase terms.review_intro council=meeting.council.name date=doc.date_in_words %}`` for a
phrase with placeholders, filled as ``{% blocktranslate %}`` fills its own: the values escaped,
the translated text as it is."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from councils.terms import Terms, Text

register = template.Library()


@register.filter
def status_label(terms: Terms, status: str) -> Text:
    return terms.status_label(status)


@register.simple_tag
def phrase(text: Text, **values: object) -> SafeString:
    return mark_safe(str(text) % {name: conditional_escape(v) for name, v in values.items()})  # noqa: S308
