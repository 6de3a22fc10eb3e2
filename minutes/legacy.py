"""Reading the legacy plain-text minutes (DESIGN.md, "The legacy text format").

Pure parsing, no database: the text becomes a :class:`LegacyMinutes` whose every part knows the
line it came from, so that an error can name the line. The format, as the councils' documents
export it:

- the council's name alone on a line is the running page header (first line, and again after
  blank lines at every page break): it is skipped wherever it stands;
- tab-separated header fields: ``Plats och tid``, ``Ledamöter``, ``Rådsrepresentanter``, ``Övriga``;
- ``N. Title`` item headings; paragraphs separated by blank lines; ``- `` bullets; ``*italics*``;
- a sub-heading is a short line without a final full stop followed by a paragraph;
- the closing line ``Arboga den 24/2- 2020``, then signature pairs: a name over a role.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html import escape

HEADER_LABELS = {
    "Plats och tid": "place_and_time",
    "Ledamöter": "elected",
    "Rådsrepresentanter": "representatives",
    "Övriga": "others",
}
SIGNATURE_ROLES = {"Ordförande", "Vice ordförande", "Sekreterare", "Justerare"}
SUBHEADING_MAX = 80

ITEM_RE = re.compile(r"^(?P<number>\d{1,3})\.\s+(?P<title>\S.*)$")
CLOSING_RE = re.compile(
    r"^(?P<place>[A-ZÅÄÖ][\w\- ]*?) den (?P<day>\d{1,2})/(?P<month>\d{1,2})-\s?(?P<year>\d{4})$"
)
TIME_RE = re.compile(
    r"^(?P<place>.*?)\s*kl\.?\s*(?P<start>\d{1,2}[.:]\d{2})(?:\s*[–-]\s*(?P<end>\d{1,2}[.:]\d{2}))?$"
)
ELECTED_RE = re.compile(
    r"^(?P<name>[^()]+?)(?:\s+\((?P<party>[^)]+)\))?"
    r"(?:\s+(?P<role>vice ordförande|ordförande))?"
    r"(?:\s+ersättare för\s+(?P<substitute_for>.+))?$"
)
ITALIC_RE = re.compile(r"\*(\S(?:[^*]*?\S)?)\*")
NAME_PARTICLES = {"von", "af", "de", "van", "der", "den", "di", "la", "le"}
ORGANISATION_ENDINGS = (
    "förvaltningen",
    "förvaltning",
    " ab",
    "myndigheten",
    "centrum",
    "förbund",
    "förbundet",
    "kommun",
    "regionen",
    "bolaget",
    "nämnden",
    "polisen",
    "räddningstjänsten",
    "kyrkan",
)


class LegacyFormatError(ValueError):
    """The text is not in the legacy format; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"rad {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Block:
    kind: str  # "p" or "ul"
    texts: tuple[str, ...]
    line: int

    def html(self) -> str:
        if self.kind == "ul":
            return "<ul>" + "".join(f"<li>{inline_html(t)}</li>" for t in self.texts) + "</ul>"
        return f"<p>{inline_html(self.texts[0])}</p>"


@dataclass
class Section:
    heading: str
    line: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Item:
    number: str
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def body_html(self) -> str:
        return "".join(b.html() for b in self.blocks)


@dataclass(frozen=True)
class ElectedEntry:
    name: str
    party: str
    role: str  # "chair", "vice_chair" or "member"
    substitute_for: str


@dataclass(frozen=True)
class RepresentativeEntry:
    label: str
    name: str


@dataclass
class LegacyMinutes:
    council: str
    place: str
    start: datetime.time | None
    end: datetime.time | None
    elected: list[ElectedEntry]
    representatives: list[str]  # "title/organisation name" entries, split by the importer
    others: str
    items: list[Item]
    closing_place: str
    date: datetime.date
    signatures: list[tuple[str, str]]  # (name, role)


def inline_html(text: str) -> str:
    """Escape ``text`` and turn ``*italics*`` into ``<em>``."""
    return ITALIC_RE.sub(r"<em>\1</em>", escape(text, quote=False))


def split_list(value: str) -> list[str]:
    """ "A, B, C." → ["A", "B", "C"]."""
    value = value.strip().removesuffix(".").strip()
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


def looks_like_organisation(label: str) -> bool:
    return label.lower().endswith(ORGANISATION_ENDINGS)


def split_representative(entry: str, known_names: list[str]) -> RepresentativeEntry:
    """Split "Kommunpolis Stefan Persson" into label and name.

    A known person's name at the end of the entry wins (the longest that fits); otherwise the
    name is the final capitalised word, any particles before it (von, af, de …) and one given
    name before those.
    """
    for name in sorted(known_names, key=len, reverse=True):
        if entry == name:
            return RepresentativeEntry("", name)
        if entry.endswith(" " + name):
            return RepresentativeEntry(entry[: -len(name) - 1].strip(), name)
    tokens = entry.split()
    if len(tokens) < 2:
        return RepresentativeEntry("", entry)
    i = len(tokens) - 2
    while i > 0 and tokens[i].lower() in NAME_PARTICLES:
        i -= 1
    if not tokens[i][:1].isupper():
        i += 1
    return RepresentativeEntry(" ".join(tokens[:i]), " ".join(tokens[i:]))


def _time(value: str | None) -> datetime.time | None:
    if not value:
        return None
    hours, minutes = re.split(r"[.:]", value)
    return datetime.time(int(hours), int(minutes))


def _blocks(lines: list[str], skip: set[int]) -> list[list[tuple[int, str]]]:
    """Groups of consecutive non-empty lines (with 1-based numbers), page headers left out."""
    groups: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if index in skip or not line.strip():
            if current:
                groups.append(current)
                current = []
            continue
        current.append((index + 1, line))
    if current:
        groups.append(current)
    return groups


def _is_subheading(group: list[tuple[int, str]], following: list[tuple[int, str]] | None) -> bool:
    if len(group) != 1 or following is None:
        return False
    text = group[0][1].strip()
    if len(text) > SUBHEADING_MAX or text.startswith("- ") or text[-1] in ".:!?;,":
        return False
    next_text = following[0][1].strip()
    return not (ITEM_RE.match(next_text) or CLOSING_RE.match(next_text))


def parse(text: str) -> LegacyMinutes:
    """Parse the legacy text; raises :class:`LegacyFormatError` naming the line."""
    if "\x00" in text:
        raise LegacyFormatError(1, "filen innehåller NUL-tecken och är inte en textfil")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise LegacyFormatError(1, "filen är tom")
    council = lines[first].strip()
    if "\t" in lines[first] or ITEM_RE.match(council):
        raise LegacyFormatError(first + 1, "första raden ska vara rådets namn (sidhuvudet)")
    skip = {i for i, line in enumerate(lines) if line.strip() == council}

    groups = _blocks(lines, skip)
    header: dict[str, tuple[int, str]] = {}
    position = 0
    while position < len(groups) and not ITEM_RE.match(groups[position][0][1].strip()):
        for number, line in groups[position]:
            # An empty field loses its tab when trailing white space is trimmed: "Övriga".
            label, _tab, value = line.partition("\t")
            if label.strip() not in HEADER_LABELS:
                raise LegacyFormatError(
                    number,
                    "väntade ett huvudfält (Plats och tid, Ledamöter, Rådsrepresentanter, Övriga) "
                    "följt av tabb, eller en ärenderubrik som ”1. Rubrik”",
                )
            header[HEADER_LABELS[label.strip()]] = (number, value.strip())
        position += 1
    if "place_and_time" not in header:
        raise LegacyFormatError(first + 1, "fältet ”Plats och tid” saknas")

    number, place_and_time = header["place_and_time"]
    match = TIME_RE.match(place_and_time)
    place, start, end = (
        (match["place"], match["start"], match["end"]) if match else (place_and_time, None, None)
    )

    elected: list[ElectedEntry] = []
    if "elected" in header:
        number, value = header["elected"]
        for entry in split_list(value):
            m = ELECTED_RE.match(entry)
            if not m:
                raise LegacyFormatError(number, f"kan inte läsa ledamoten ”{entry}”")
            role = {"ordförande": "chair", "vice ordförande": "vice_chair"}.get(
                m["role"] or "", "member"
            )
            elected.append(
                ElectedEntry(m["name"].strip(), m["party"] or "", role, m["substitute_for"] or "")
            )
    representatives = split_list(header.get("representatives", (0, ""))[1])
    others = header.get("others", (0, ""))[1]

    items: list[Item] = []
    closing: tuple[int, re.Match] | None = None
    signatures: list[tuple[str, str]] = []
    while position < len(groups):
        group = groups[position]
        following = groups[position + 1] if position + 1 < len(groups) else None
        first_number, first_line = group[0]
        text_line = first_line.strip()
        if closing is not None:
            if len(group) != 2 or group[1][1].strip() not in SIGNATURE_ROLES:
                raise LegacyFormatError(
                    first_number,
                    "efter avslutningsraden väntades underskrifter: ett namn och under det en roll",
                )
            signatures.append((group[0][1].strip(), group[1][1].strip()))
        elif (m := CLOSING_RE.match(text_line)) and len(group) == 1:
            closing = (first_number, m)
        elif (m := ITEM_RE.match(text_line)) and len(group) == 1 and not text_line.endswith("."):
            items.append(Item(m["number"], m["title"].strip(), first_number))
        elif not items:
            raise LegacyFormatError(first_number, "text före första ärendet")
        elif _is_subheading(group, following):
            items[-1].sections.append(Section(text_line, first_number))
        else:
            target = items[-1].sections[-1].blocks if items[-1].sections else items[-1].blocks
            bullets: list[str] = []
            bullet_line = 0
            for number, line in group:
                stripped = line.strip()
                if stripped.startswith("- "):
                    if not bullets:
                        bullet_line = number
                    bullets.append(stripped[2:].strip())
                    continue
                if bullets:
                    target.append(Block("ul", tuple(bullets), bullet_line))
                    bullets = []
                target.append(Block("p", (stripped,), number))
            if bullets:
                target.append(Block("ul", tuple(bullets), bullet_line))
        position += 1

    if not items:
        raise LegacyFormatError(len(lines), "inga ärenden hittades (rubriker som ”1. Rubrik”)")
    if closing is None:
        raise LegacyFormatError(
            len(lines), "avslutningsraden saknas (till exempel ”Arboga den 24/2- 2020”)"
        )
    closing_number, m = closing
    try:
        date = datetime.date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        raise LegacyFormatError(
            closing_number, "avslutningsraden har ett datum som inte finns"
        ) from None
    try:
        start_time, end_time = _time(start), _time(end)
    except ValueError:
        raise LegacyFormatError(header["place_and_time"][0], "tiden går inte att läsa") from None
    return LegacyMinutes(
        council=council,
        place=place.strip(),
        start=start_time,
        end=end_time,
        elected=elected,
        representatives=representatives,
        others=others,
        items=items,
        closing_place=m["place"],
        date=date,
        signatures=signatures,
    )
