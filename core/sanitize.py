"""The one allow-list for rich text. Whatever reaches the database as HTML has passed here, and
the same sanitized HTML feeds the web pages and the PDF."""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "a",
    "sub",
    "sup",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


BLOCK_TAGS = {"p", "ul", "ol", "li", "h3", "h4", "blockquote"}
_TOKEN = re.compile(r"(<[^>]+>)|([^<]+)")
_TAG_NAME = re.compile(r"</?([a-z0-9]+)")
_SYNONYMS = {"<b>": "<strong>", "</b>": "</strong>", "<i>": "<em>", "</i>": "</em>"}
_EMPTY_BLOCK = re.compile(r"<(p|h3|h4)>(\s|&nbsp;|<br>)*</\1>")
_LONE_NBSP = re.compile(r"(?<=[^\s;])&nbsp;(?=[^\s&])")


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the tags and attributes the minutes may contain, in one
    shape whatever the editor produced: ``<strong>``/``<em>`` for bold and italic, loose text at
    the top level wrapped in paragraphs, empty paragraphs dropped.

    Links get ``rel="noopener noreferrer"``; scripts, styles, event handlers and foreign URL
    schemes are removed together with their content where that content is code.
    """
    return _normalize(_clean(html))


def _normalize(html: str) -> str:
    out: list[str] = []
    depth = 0
    loose: list[str] = []  # inline content at the top level, waiting for its paragraph

    def flush() -> None:
        if "".join(loose).strip():
            out.append("<p>" + "".join(loose).strip() + "</p>")
        loose.clear()

    for match in _TOKEN.finditer(html):
        tag, text = match.group(1), match.group(2)
        if tag is not None:
            tag = _SYNONYMS.get(tag, tag)
            name = _TAG_NAME.match(tag)
            is_block = bool(name) and name.group(1) in BLOCK_TAGS
            if depth == 0 and not is_block:
                loose.append(tag)
                continue
            if depth == 0:
                flush()
            if is_block:
                depth += -1 if tag.startswith("</") else 1
            out.append(tag)
        elif depth == 0:
            loose.append(text)
        else:
            out.append(text)
    flush()
    result = _EMPTY_BLOCK.sub("", "".join(out))
    return _LONE_NBSP.sub(" ", result).strip()


def _clean(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()
