"""Reading a PDF back as text and structure, the way a screen reader or an archive would."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter

from pypdf import PdfReader

# Swedish suspended compounds ("Barn- och utbildningsförvaltningen") keep their hyphen when
# the line breaks after them; any other word broken after a hyphen is one word.
_SUSPENDED = {"och", "eller", "samt"}


def raw_lines(pdf: bytes) -> list[list[str]]:
    """``pdftotext -raw`` lines, page by page."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [page.splitlines() for page in text.split("\f") if page.strip()]


def words(pdf: bytes, *, header: str, title_words: list[str]) -> list[str]:
    """The document's words in reading order, less the running header, the page footer, the
    title, and the list markers (bullets are markup, not words). A word broken after a hyphen
    at the end of a line is joined again ("SIG-" + "samordnarna")."""
    out: list[str] = []
    for index, lines in enumerate(raw_lines(pdf)):
        lines = [
            line
            for line in lines
            if line.strip() not in {header, "-"}
            and not re.fullmatch(r"Sida \d+ av \d+", line.strip())
        ]
        if index == 0:
            first = " ".join(lines[:2]).split()
            assert first[: len(title_words)] == title_words, first
            lines = [" ".join(first[len(title_words) :]), *lines[2:]]
        for line in lines:
            tokens = line.split()
            if not tokens:
                continue
            previous = out[-1] if out else ""
            if len(previous) > 1 and previous.endswith("-") and tokens[0] not in _SUSPENDED:
                out[-1] += tokens.pop(0)
            out.extend(tokens)
    return out


def seed_words(text: str, header: str) -> list[str]:
    """The legacy text's words, less its repeated page headers and its markup (``- `` bullets
    and ``*italics*`` asterisks)."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == header:
            continue
        if stripped.startswith("- "):
            stripped = stripped[2:]
        out.extend(stripped.replace("*", "").split())
    return out


def structure(pdf: bytes) -> Counter:
    """How many structure elements of each type (H1, H2, P, L …) the tagged PDF has."""
    reader = PdfReader(io.BytesIO(pdf))
    counts: Counter = Counter()

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            counts[str(node["/S"]).lstrip("/")] += 1
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return counts


def catalog(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).trailer["/Root"]
