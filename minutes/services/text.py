"""Text as the services accept it: what no database keeps well is refused, plain text from a
form without the editor becomes paragraphs, and every HTML passes the one allow-list."""

from __future__ import annotations

import re
from html import escape

from core.sanitize import sanitize_html
from minutes.services.errors import InvalidInput

_HTML_TAG = re.compile(
    r"</?(p|br|ul|ol|li|h[1-6]|strong|em|b|i|u|s|a|blockquote|div|span|sub|sup|script|style|img|svg|iframe)\b",
    re.IGNORECASE,
)


def plain_text_to_html(text: str) -> str:
    """What a form without the editor sends (plain text) becomes paragraphs; HTML is sanitized."""

    text = (text or "").replace("\r\n", "\n")
    if not _HTML_TAG.search(text):
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        text = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return sanitize_html(text)


def check_text(*values: str) -> None:
    """Refuse text no database keeps well: NUL characters and lone surrogates (InvalidInput)."""
    for value in values:
        if "\x00" in (value or ""):
            raise InvalidInput("Texten innehåller ett otillåtet tecken (NUL).")
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput("Texten innehåller ett ogiltigt tecken.") from None
