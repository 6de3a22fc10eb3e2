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


# Operators that put something on the page: text, paths painted, images and forms, shadings.
_PAINTING = {"Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "BI"}


def untagged_content(pdf: bytes) -> list[str]:
    """What PDF/UA-1 (7.1) forbids, read with pikepdf: marked content whose MCID is not reached
    from the structure tree's root (its /Document's /K), a marked-content sequence without an
    MCID that is not an /Artifact, and painting outside any of them. Empty when every piece of
    content is either tagged or an artifact."""
    import pikepdf

    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        reached: set[tuple[tuple[int, int], int]] = set()
        seen: set[tuple[int, int]] = set()

        def walk(node, page) -> None:
            if isinstance(node, int):
                if page is not None:
                    reached.add((page.objgen, node))
                return
            if not isinstance(node, pikepdf.Dictionary):
                if isinstance(node, pikepdf.Array):
                    for kid in node:
                        walk(kid, page)
                return
            if node.is_indirect:
                if node.objgen in seen:
                    return
                seen.add(node.objgen)
            page = node.get("/Pg", page)
            if node.get("/Type") == "/MCR":
                reached.add((node.Pg.objgen if "/Pg" in node else page.objgen, int(node.MCID)))
                return
            if node.get("/Type") == "/OBJR":
                return
            if "/K" in node:
                walk(node.K, page)

        walk(document.Root.StructTreeRoot, None)
        for number, page in enumerate(document.pages, start=1):
            stack: list[tuple[str, bool]] = []  # (tag, tagged-or-artifact)
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BMC", "BDC"):
                    tag = str(operands[0])
                    mcid = None
                    if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                        mcid = operands[1].get("/MCID")
                    inside = any(ok for _, ok in stack)
                    if mcid is not None:
                        if (page.objgen, int(mcid)) not in reached:
                            problems.append(
                                f"page {number}: {tag} MCID {int(mcid)} is not in the tree"
                            )
                        stack.append((tag, True))
                    elif tag == "/Artifact":
                        stack.append((tag, True))
                    else:
                        if not inside:
                            problems.append(
                                f"page {number}: {tag} is neither tagged nor an artifact"
                            )
                        stack.append((tag, inside))
                elif op == "EMC":
                    stack.pop()
                elif op in _PAINTING and not any(ok for _, ok in stack):
                    problems.append(f"page {number}: {op} outside tagged content and artifacts")
    return problems


def artifacts(pdf: bytes) -> set[str]:
    """The /Type of every artifact with properties on the pages (/Pagination, /Layout …)."""
    import pikepdf

    found: set[str] = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if (
                    str(operator) == "BDC"
                    and operands[0] == "/Artifact"
                    and isinstance(operands[1], pikepdf.Dictionary)
                ):
                    found.add(str(operands[1].get("/Type")))
    return found
