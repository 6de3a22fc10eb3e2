"""Every stored file that has a recorded SHA-256, checked against it: approved minutes (public
and internal PDFs), agenda items' documents, notices' PDFs, and what the apps above register (the adopted
annual reports). ``manage.py verify_documents`` runs it; a restore is verified with it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.files.storage import storages

from minutes.models import ApprovedRevision, Extract, ItemDocument, Notice


@dataclass(frozen=True)
class StoredFile:
    storage: str  # a STORAGES alias
    name: str
    sha256: str
    label: str  # what it is, for the report: "Minnesanteckningar Förebyggande rådet 2020-02-24"


@dataclass(frozen=True)
class Finding:
    file: StoredFile
    problem: str  # "saknas", "ändrad"


_sources: list[Callable[[], Iterable[StoredFile]]] = []


def register(source: Callable[[], Iterable[StoredFile]]) -> None:
    """A higher app's own stored files (``source()`` yields StoredFiles)."""
    if source not in _sources:
        _sources.append(source)


def _minutes_files() -> Iterator[StoredFile]:
    revisions = ApprovedRevision.objects.select_related("minutes__meeting__council").order_by("pk")
    for revision in revisions.iterator(chunk_size=500):
        meeting = revision.minutes.meeting
        label = (
            f"{meeting.council.name} {meeting.date:%Y-%m-%d} version {revision.minutes.revision}"
        )
        yield StoredFile(
            "default", revision.pdf_name, revision.pdf_sha256, f"Minnesanteckningar {label}"
        )
        if revision.internal_pdf_name:
            yield StoredFile(
                "private", revision.internal_pdf_name, revision.internal_pdf_sha256,
                f"Intern version {label}",
            )  # fmt: skip
    # a correction's copy shares its file with the approved document: check each file once
    seen: set[tuple[str, str]] = set()
    documents = ItemDocument.objects.select_related("item__minutes__meeting__council")
    for document in documents.order_by("pk").iterator(chunk_size=500):
        if (document.storage, document.file_name) in seen:
            continue
        seen.add((document.storage, document.file_name))
        meeting = document.item.minutes.meeting
        yield StoredFile(
            document.storage, document.file_name, document.sha256,
            f"Handling ”{document.title}”, {meeting.council.name} {meeting.date:%Y-%m-%d}",
        )  # fmt: skip


def _notice_files() -> Iterator[StoredFile]:
    notices = Notice.objects.select_related("meeting__council").exclude(pdf_name="")
    for notice in notices.order_by("pk").iterator(chunk_size=500):
        meeting = notice.meeting
        label = f"{meeting.council.name} {meeting.date:%Y-%m-%d} nummer {notice.number}"
        yield StoredFile("default", notice.pdf_name, notice.pdf_sha256, f"Kallelse {label}")
        yield StoredFile(
            "private", notice.internal_pdf_name, notice.internal_pdf_sha256,
            f"Kallelse med interna handlingar {label}",
        )  # fmt: skip


def _extract_files() -> Iterator[StoredFile]:
    extracts = Extract.objects.select_related("minutes__meeting__council").order_by("pk")
    for extract in extracts.iterator(chunk_size=500):
        meeting = extract.minutes.meeting
        label = f"{meeting.council.name} {meeting.date:%Y-%m-%d} {extract.label}"
        if extract.pdf_name:
            yield StoredFile(
                "default", extract.pdf_name, extract.pdf_sha256, f"Protokollsutdrag {label}"
            )
        if extract.internal_pdf_name:
            yield StoredFile(
                "private", extract.internal_pdf_name, extract.internal_pdf_sha256,
                f"Internt protokollsutdrag {label}",
            )  # fmt: skip


def stored_files() -> Iterator[StoredFile]:
    yield from _minutes_files()
    yield from _notice_files()
    yield from _extract_files()
    for source in _sources:
        yield from source()


def digest(storage: str, name: str) -> str | None:
    """The file's SHA-256, read in chunks; None if it is not there."""
    store = storages[storage]
    if not store.exists(name):
        return None
    sha = hashlib.sha256()
    with store.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def verify(files: Iterable[StoredFile] | None = None) -> tuple[int, list[Finding]]:
    """How many files were checked, and those missing or altered."""
    checked, findings = 0, []
    for file in stored_files() if files is None else files:
        checked += 1
        found = digest(file.storage, file.name)
        if found is None:
            findings.append(Finding(file, "saknas"))
        elif found != file.sha256:
            findings.append(Finding(file, "ändrad"))
    return checked, findings
