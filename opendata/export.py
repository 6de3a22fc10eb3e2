"""The bulk download: every public object as the API serves it, one JSON Lines file per type,
with the list of the published PDFs and their checksums, and a description in Swedish.

``write(folder)`` writes the files; ``publish(folder, counts)`` packs them into one zip archive in the
published storage (content-addressed like the PDFs, so that its address never changes and the
front web server serves it) and records it as the newest export (``OpenDataExport``), keeping
the previous one for those still downloading it. ``manage.py export_open_data`` runs both,
nightly from cron (README, "Open data")."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import logging
import zipfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from councils.models import Municipality
from minutes import publication
from opendata import build, services
from opendata.models import Kind, OParlObject, OpenDataExport

# the files of an export, by kind, in the order a reader meets them
FILE_NAMES = {kind: f"{build.TYPE[kind].lower()}.jsonl" for kind in Kind.values}
PDF_LIST = "pdf-filer.csv"
DESCRIPTION = "LASMIG.txt"
KEEP = 2  # exports whose archive stays published
logger = logging.getLogger(__name__)


def write(folder: Path) -> dict[str, int]:
    """Write every public object (no tombstones) into ``folder``; returns the count per type.
    The pending changes are built first, so the export is the API's present state."""
    folder.mkdir(parents=True, exist_ok=True)
    while services.refresh_pending(limit=500):
        pass
    counts: dict[str, int] = {}
    pdfs: list[dict] = []
    for kind, file_name in FILE_NAMES.items():
        documents = (
            OParlObject.objects.filter(kind=kind, deleted=False)
            .order_by("pk")
            .values_list("document", flat=True)
            .iterator(chunk_size=2000)
        )
        count = 0
        with (folder / file_name).open("w", encoding="utf-8", newline="\n") as out:
            for document in documents:
                out.write(document + "\n")  # as the API serves it, byte for byte
                count += 1
                if kind == "file":
                    obj = json.loads(document)
                    if obj.get("mimeType") == "application/pdf":
                        pdfs.append(obj)
        counts[build.TYPE[kind]] = count
    with (folder / PDF_LIST).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["adress", "filnamn", "storlek", "sha512", "datum", "möte", "id"])
        for obj in pdfs:
            writer.writerow(
                [
                    obj["accessUrl"],
                    obj.get("fileName", ""),
                    obj.get("size", ""),
                    obj.get("sha512Checksum", ""),
                    obj.get("date", ""),
                    " ".join(obj.get("meeting", [])),
                    obj["id"],
                ]
            )
    counts["PDF"] = len(pdfs)
    (folder / DESCRIPTION).write_text(_description(counts), encoding="utf-8")
    return counts


def _description(counts: dict[str, int]) -> str:
    licences = "\n".join(
        f"  {m.name}: {m.license_url}"
        for m in Municipality.objects.order_by("name").only("name", "open_data_license")
    )
    lines = "\n".join(
        f"  {FILE_NAMES[kind]:<24} {counts[build.TYPE[kind]]:>9} {build.TYPE[kind]}"
        for kind in FILE_NAMES
    )
    return f"""Öppna data från {build.site()}
Exporterad {build.iso(timezone.now())}.

Här finns allt som kommunernas råd och nämnder har publicerat: kommuner, råd och nämnder,
ledamöter och deras uppdrag, möten, ärenden (paragrafer) och filer. Varje rad i en
.jsonl-fil är ett objekt i JSON, precis som API:t {build.api_url("system")} lämnar ut det,
enligt standarden OParl 1.1 (https://oparl.org/). Sekretessbelagda ärenden har bara sitt
nummer; utkast, interna handlingar och tillbakadragna protokoll finns inte med.

Filer:
{lines}
  {PDF_LIST:<24} {counts["PDF"]:>9} publicerade PDF-filer med storlek och SHA-512

En .jsonl-fil har ett objekt per rad och kan läsas av de flesta program för data, till
exempel Python (json), R (jsonlite), jq, eller OpenRefine. pdf-filer.csv öppnas i ett
kalkylprogram. Kontrollera en nedladdad PDF med till exempel: sha512sum filen.pdf

Licens, som kommunen har bestämt:
{licences}
"""


def publish(folder: Path, counts: dict[str, int]) -> OpenDataExport:
    """Pack what :func:`write` wrote into ``folder`` (it counted ``counts``) into one zip
    archive in the published storage, and record it."""
    today = timezone.localdate()
    archive = folder.resolve().parent / f"{folder.resolve().name or 'oppna-data'}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in [folder / n for n in (DESCRIPTION, *FILE_NAMES.values(), PDF_LIST)]:
            # a fixed time in the archive: the same export packs to the same bytes
            info = zipfile.ZipInfo(
                path.name, date_time=(today.year, today.month, today.day, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # readable by all once unpacked
            with path.open("rb") as source, out.open(info, "w") as target:
                for chunk in iter(lambda s=source: s.read(1 << 20), b""):
                    target.write(chunk)
    digest = hashlib.sha256()
    with archive.open("rb") as packed:
        for chunk in iter(lambda: packed.read(1 << 20), b""):
            digest.update(chunk)
    sha256 = digest.hexdigest()
    name = f"oppna-data/{sha256}/{download_name(today)}"
    storage = storages[publication.STORAGE]
    if not storage.exists(name):
        with archive.open("rb") as packed:
            storage.save(name, File(packed))
    with transaction.atomic():
        export = OpenDataExport.objects.create(
            name=name, sha256=sha256, size=archive.stat().st_size, counts=counts
        )
        old = list(OpenDataExport.objects.order_by("-created_at", "-id")[KEEP:])
        for stale in old:
            if not OpenDataExport.objects.filter(name=stale.name).exclude(pk=stale.pk).exists():
                storage.delete(stale.name)
            stale.delete()
    archive.unlink()
    return export


def unpublish_all() -> int:
    """Take down every published export (after a withdrawal: they hold the withdrawn record);
    the page offers none until the next export. Returns how many."""
    storage = storages[publication.STORAGE]
    exports = list(OpenDataExport.objects.all())
    for made in exports:
        try:
            storage.delete(made.name)
        except OSError:
            logger.exception("open data: %s could not be removed", made.name)
    OpenDataExport.objects.filter(pk__in=[e.pk for e in exports]).delete()
    return len(exports)


def download_name(day: datetime.date) -> str:
    return f"oppna-data-{day:%Y-%m-%d}.zip"


def latest() -> OpenDataExport | None:
    return OpenDataExport.objects.order_by("-created_at", "-id").first()


def url_of(export: OpenDataExport) -> str:
    return publication.url_for(export.name)
