"""What an uploaded document is, judged from its bytes and never from its name.

The documents of an agenda item (handlingar) are PDFs, Office Open XML and OpenDocument text and
spreadsheets, and PNG, JPEG and GIF images. Everything else is refused with a Swedish message,
notably executables whatever they are called, legacy Office files (OLE2 containers, which are
also what Windows installers are), Office files with macros, and SVG images (which may carry
script). The stored name is made here too: a random folder and a slug of the original name with
the extension of the detected type, so two uploads never collide and no name climbs out.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.utils.text import slugify


class Refused(Exception):
    """The file is not accepted; the message is Swedish and says why."""


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    label: str  # "PDF", "Word", "Excel", "Bild"


PDF = Kind("application/pdf", "pdf", "PDF")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel")
PPTX = Kind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    "PowerPoint",
)
ODT = Kind("application/vnd.oasis.opendocument.text", "odt", "OpenDocument-text")
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument-kalkyl")
PNG = Kind("image/png", "png", "Bild")
JPEG = Kind("image/jpeg", "jpg", "Bild")
GIF = Kind("image/gif", "gif", "Bild")
KINDS = {kind.content_type: kind for kind in (PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG, GIF)}

ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument eller bilder (PNG, JPEG, GIF)"
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF = {ODT.content_type: ODT, ODS.content_type: ODS}
_HEAD = 4096
# Programs, whatever they are called: Linux ELF, Windows PE (and DOS MZ), macOS Mach-O (thin in
# either byte order, and universal binaries), and scripts that name their interpreter (#!).
_EXECUTABLES = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_BY_EXTENSION = {kind.extension: kind for kind in KINDS.values()} | {"jpeg": JPEG}


def _zip_kind(data: io.BufferedIOBase) -> Kind:
    try:
        archive = zipfile.ZipFile(data)
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("Filen är skadad eller inget dokument som kan tas emot.") from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused(
            "Dokumentet innehåller makron och tas inte emot. Spara det utan makron (.docx, "
            ".xlsx) eller som PDF."
        )
    if "[Content_Types].xml" in names:
        for part, kind in _OOXML_PARTS.items():
            if part in names:
                return kind
    if "mimetype" in names:
        with archive.open("mimetype") as entry:
            declared = entry.read(100).decode("ascii", "replace").strip()
        if declared in _ODF:
            return _ODF[declared]
    raise Refused(f"Filtypen tas inte emot. Ladda upp {ACCEPTED}.")


def _executable(name: str) -> Refused:
    """The refusal of a program, saying what the file was found to be and, when its name
    claims a type we take, that it is not that."""
    claimed = _BY_EXTENSION.get(PurePosixPath(display_name(name)).suffix.lower().lstrip("."))
    if claimed is PDF:
        found = "Filen är ett körbart program, inte en PDF."
    elif claimed is not None:
        found = f"Filen är ett körbart program, inte en fil av typen {claimed.label}."
    else:
        found = "Filen är ett körbart program, inte ett dokument."
    return Refused(f"{found} Program tas inte emot. Ladda upp {ACCEPTED}.")


def detect(data: io.BufferedIOBase, name: str = "") -> Kind:
    """The kind of the file in ``data`` (a seekable binary stream), from its content; ``name``,
    the name it was uploaded under, only makes a refusal say what the file is not."""
    data.seek(0)
    head = data.read(_HEAD)
    data.seek(0)
    if head.startswith(_EXECUTABLES):
        raise _executable(name)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Refused(
            "Äldre Office-filer (.doc, .xls) tas inte emot. Spara dokumentet som .docx, .xlsx "
            "eller PDF."
        )
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        raise Refused("SVG-bilder tas inte emot, eftersom de kan innehålla skript. Använd PNG.")
    raise Refused(f"Filtypen tas inte emot. Ladda upp {ACCEPTED}.")


def display_name(original: str) -> str:
    """The uploaded file's own name without any folders, as the user gave it (for display)."""
    name = PureWindowsPath(PurePosixPath(original or "").name).name
    return name.replace("\x00", "").strip()[:200] or "dokument"


def storage_name(original: str, kind: Kind) -> str:
    """``documents/<random>/<slug>.<ext>``: unique, and made only of safe characters."""
    stem = display_name(original).rsplit(".", 1)[0]
    slug = slugify(stem)[:80].strip("-") or "dokument"
    return f"documents/{uuid.uuid4().hex}/{slug}.{kind.extension}"


def download_name(title: str, kind: Kind) -> str:
    """The file name a browser saves: a slug of the document's title and the type's extension."""
    return f"{slugify(title)[:80].strip('-') or 'dokument'}.{kind.extension}"
