"""The archive's promise: an approved revision rendered again from its stored snapshot gives
the bytes that were archived at approval (the renderer is deterministic). Where it no longer
does (a renderer changed since, a render that fails), the archived file is what counts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.storage import storages

from minutes.models import ApprovedRevision
from minutes.pdf import RenderError, render_minutes_pdf
from minutes.services.files import STORAGE_ERRORS
from minutes.snapshot import MinutesSnapshot


class ArchiveUnreadable(Exception):
    """Neither a new render nor the archived file gives the approved PDF."""


@dataclass(frozen=True)
class RevisionPdf:
    pdf: bytes
    title: str
    revision: int
    archived_sha256: str
    rendered: bool  # the new render gave the archived bytes; else ``pdf`` is the archived file
    why: str = ""  # why the archived file was taken


def revision_pdf(revision: ApprovedRevision, *, internal: bool = False) -> RevisionPdf:
    """The approved PDF of ``revision`` (its internal copy with ``internal``, where it has
    one): rendered again from the snapshot when that gives the archived bytes, else read from
    the archive. ArchiveUnreadable when neither works."""
    snapshot = MinutesSnapshot.from_dict(revision.snapshot)
    if internal and revision.internal_pdf_name:
        alias, name, sha256 = "private", revision.internal_pdf_name, revision.internal_pdf_sha256
    else:
        # without confidential content the public PDF is the whole record
        alias, name, sha256 = "default", revision.pdf_name, revision.pdf_sha256
        internal = False
    try:
        pdf = render_minutes_pdf(snapshot, internal=internal)
    except RenderError as error:
        pdf, why = b"", str(error)
    else:
        why = "den nya renderingen gav andra byte"
    if hashlib.sha256(pdf).hexdigest() == sha256:
        return RevisionPdf(pdf, snapshot.title, snapshot.revision, sha256, rendered=True)
    try:
        with storages[alias].open(name, "rb") as stored:
            archived = stored.read()
    except STORAGE_ERRORS as error:
        raise ArchiveUnreadable(
            f"Den arkiverade filen {name} går inte att läsa ({why}): {error}"
        ) from error
    return RevisionPdf(archived, snapshot.title, snapshot.revision, sha256, rendered=False, why=why)
