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
# Tags dropped together with their content (the rest of what is not allowed keeps its text).
CONTENT_TAGS = {"script", "style"}

# Link addresses, read the same way by the editor (static/minutes/drafting.js reads these
# patterns from allow_list()): a full http(s) or mailto address is kept, an e-mail address
# becomes mailto:, an address without a scheme ("www.polisen.se") becomes https://, and
# anything else (other schemes, relative paths) is no link.
LINK_PATTERNS = {
    "web": r"^https?://[^\s/?#@]+[^\s]*$",
    "mail": r"^mailto:[^\s@]+@[^\s@]+$",
    "email": r"^[^\s@/:]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$",
    "host": r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:[0-9]+)?([/?#][^\s]*)?$",
}
_LINK = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in LINK_PATTERNS.items()}


def normalize_link(address: str) -> str | None:
    """The address a link may have, or None when it may not be one: ``www.polisen.se`` is
    ``https://www.polisen.se``, ``namn@arboga.se`` is ``mailto:namn@arboga.se``."""
    address = (address or "").strip()
    if _LINK["web"].match(address) or _LINK["mail"].match(address):
        return address
    if _LINK["email"].match(address):
        return "mailto:" + address
    if _LINK["host"].match(address):
        return "https://" + address
    return None


def allow_list() -> dict:
    """The allow-list as JSON for the editor, which cleans pasted HTML by the same rules."""
    return {
        "tags": sorted(ALLOWED_TAGS),
        "attributes": {tag: sorted(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        "contentTags": sorted(CONTENT_TAGS),
        "synonyms": {"b": "strong", "i": "em"},
        "links": LINK_PATTERNS,
    }


BLOCK_TAGS = {"p", "ul", "ol", "li", "h3", "h4", "blockquote"}
_TOKEN = re.compile(r"(<[^>]+>)|([^<]+)")
_TAG_NAME = re.compile(r"</?([a-z0-9]+)")
_SYNONYMS = {"<b>": "<strong>", "</b>": "</strong>", "<i>": "<em>", "</i>": "</em>"}
_EMPTY_BLOCK = re.compile(r"<(p|h3|h4)>(\s|&nbsp;|<br>)*</\1>")
_LONE_NBSP = re.compile(r"(?<=[^\s;])&nbsp;(?=[^\s&])")
# An anchor without an address (pasted bookmarks, refused addresses) is only its text; an
# anchor or inline element with no text is nothing. Applied until nothing changes, so
# "<p><strong><a></a></strong></p>" goes as a whole. Whether an anchor has an address is read
# from its attributes one by one, as nh3 writes them (name="value", with < > " escaped in the
# value), so "href" in another attribute's value does not count; attributes in any other shape
# are taken for no address.
_ANCHOR = re.compile(r"<a(\s[^>]*)?>(.*?)</a>", re.DOTALL)
_ATTRIBUTES = re.compile(r'(?:\s[^\s"=<>/]+="[^"<>]*")*')
_ATTRIBUTE_NAME = re.compile(r'\s([^\s"=<>/]+)="[^"<>]*"')
_EMPTY_INLINE = re.compile(r"<(a|strong|em|u|s|sub|sup)(\s[^>]*)?>(\s|&nbsp;)*</\1>")
_EMPTY_LIST = re.compile(r"<(ul|ol)(\s[^>]*)?>(\s|<li>(\s|&nbsp;|<br>)*</li>)*</\1>")


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
    result = _ANCHOR.sub(_unwrap_anchor_without_href, "".join(out))
    previous = None
    while previous != result:
        previous = result
        result = _EMPTY_INLINE.sub("", result)
        result = _EMPTY_BLOCK.sub("", result)
        result = _EMPTY_LIST.sub("", result)
    return _LONE_NBSP.sub(" ", result).strip()


def _unwrap_anchor_without_href(match: re.Match) -> str:
    attributes = match.group(1) or ""
    if _ATTRIBUTES.fullmatch(attributes) and "href" in _ATTRIBUTE_NAME.findall(attributes):
        return match.group(0)
    return match.group(2)


def _clean(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags=CONTENT_TAGS,
        attribute_filter=_filter_attribute,
        strip_comments=True,
    ).strip()


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "href":
        return normalize_link(value)
    return value
