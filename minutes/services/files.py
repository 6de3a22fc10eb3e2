"""Files in the archive: storing a rendered PDF under its SHA-256, and turning a storage that
fails (a full disk, an object store that does not answer) into StorageUnavailable, so that the
caller's transaction rolls back and the user is told that nothing was saved."""

from __future__ import annotations

import hashlib
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

from minutes.models import FileDigest
from minutes.services.errors import StorageUnavailable

logger = logging.getLogger(__name__)


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]  # local disk
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # FILE_STORAGE=s3 not installed
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


@contextmanager
def file_storage():
    """Turn a storage failure into StorageUnavailable; the caller's transaction rolls back."""
    try:
        yield
    except STORAGE_ERRORS as error:
        logger.exception("File storage failed")
        raise StorageUnavailable from error


def stored_file_exists(storage_alias: str, name: str) -> bool:
    """Whether ``name`` is in the storage. A storage that fails raises (one of
    ``STORAGE_ERRORS``) rather than answering "not there": a lost file is a 404, a disk or an
    object store that does not answer a 503. (``FileSystemStorage.exists`` would take an I/O
    error for a missing file; S3's ``exists`` already raises anything but a 404.)"""
    if not name:
        return False
    storage = storages[storage_alias]
    if isinstance(storage, FileSystemStorage):
        try:
            os.stat(storage.path(name))
        except (FileNotFoundError, NotADirectoryError):
            return False
        return True
    return storage.exists(name)


@dataclass(frozen=True)
class StoredPdf:
    name: str  # in its storage
    sha256: str
    size: int


def store_pdf(pdf: bytes, *, storage_alias: str = "default", folder: str = "minutes") -> StoredPdf:
    """Store ``pdf`` under a name made from its SHA-256 (the same bytes are stored once)."""

    storage = storages[storage_alias]
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{folder}/{digest[:2]}/{digest}.pdf"
    with file_storage():
        if not storage.exists(name):
            saved = storage.save(name, ContentFile(pdf))
            if saved != name:  # a concurrent writer stored the same bytes first
                storage.delete(saved)
    record_digest(digest, hashlib.sha512(pdf).hexdigest(), len(pdf))
    return StoredPdf(name, digest, len(pdf))


def record_digest(sha256: str, sha512: str, size: int) -> None:
    """Keep a stored file's SHA-512 beside the SHA-256 that names it (``FileDigest``); the same
    content stored twice, or by two writers at once, keeps its one row."""
    FileDigest.objects.bulk_create(
        [FileDigest(sha256=sha256, sha512=sha512, size=size)], ignore_conflicts=True
    )


def record_missing_digests(files: list[tuple[str, str, str]]) -> tuple[int, int]:
    """Compute the SHA-512 of stored files that have none yet: ``files`` are (storage alias,
    name, SHA-256). A file whose bytes no longer match its SHA-256, or that cannot be read, is
    skipped and logged (``manage.py verify_documents`` reports those). Returns (recorded,
    skipped)."""
    known = set(FileDigest.objects.values_list("sha256", flat=True))
    recorded = skipped = 0
    for alias, name, sha256 in files:
        if not name or sha256 in known:
            continue
        sha256_of, sha512_of, size = hashlib.sha256(), hashlib.sha512(), 0
        try:
            with storages[alias].open(name, "rb") as stored:
                for chunk in iter(lambda f=stored: f.read(1 << 20), b""):
                    sha256_of.update(chunk)
                    sha512_of.update(chunk)
                    size += len(chunk)
        except (OSError, *STORAGE_ERRORS) as error:
            logger.warning("no SHA-512 for %s in %s: %s", name, alias, error)
            skipped += 1
            continue
        if sha256_of.hexdigest() != sha256:
            logger.warning("no SHA-512 for %s in %s: its SHA-256 does not match", name, alias)
            skipped += 1
            continue
        record_digest(sha256, sha512_of.hexdigest(), size)
        known.add(sha256)
        recorded += 1
    return recorded, skipped
