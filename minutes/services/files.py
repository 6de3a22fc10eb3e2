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
    return StoredPdf(name, digest, len(pdf))
