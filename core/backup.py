"""Backup and restore: the database (PostgreSQL's own pg_dump and pg_restore, or SQLite's backup
API) and the stored files (the archive and the private storage), in one folder with a manifest
of every file's SHA-256. The files are read and written through the storages, so the same backup
serves local folders and object storage, and moves a site from one to the other. The published
storage is not backed up: ``publish_files`` makes it again from the archive. A restore goes into
an empty database and empty storages only, so that it can never mix two states;
``verify_documents`` then proves every approved document intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection

# the backup's folder for each storage that is backed up
FOLDERS = {"archive": "default", "private": "private"}
LABELS = {"default": "arkivet", "private": "interna handlingar"}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why (Swedish)."""


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-d", db["NAME"]]
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} saknas (apt-get install postgresql-client).")
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in ``storage``, folder by folder; nothing for a folder not there."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage that has never stored anything
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def backup(target: Path) -> dict:
    """Write the backup into ``target`` (created; must be empty). Returns the manifest."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"Mappen {target} är inte tom.")
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        dump = [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            str(target / "database.dump"),
        ]
        subprocess.run([*dump, *args], env=env, check=True)  # noqa: S603 (settings, not input)
        database = "database.dump"
    else:
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with sqlite3.connect(target / "database.sqlite3") as copy:
            source.backup(copy)
        source.close()
        database = "database.sqlite3"
    files: dict[str, str] = {}
    for folder, alias in FOLDERS.items():
        storage = storages[alias]
        for name in stored_names(storage):
            path = target / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as stored, path.open("wb") as copy:
                shutil.copyfileobj(stored, copy, 1 << 20)
            files[f"{folder}/{name}"] = _sha256(path)
    manifest = {
        "database": database,
        "vendor": connection.vendor,
        "database_sha256": _sha256(target / database),
        "files": files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def _empty_database() -> bool:
    return not connection.introspection.table_names()


def restore(source: Path) -> dict:
    """Restore the backup in ``source`` into the configured, empty database and storage folders,
    after checking every file of it against the manifest."""
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"Säkerhetskopian är från {manifest['vendor']}, databasen är {connection.vendor}."
        )
    if _sha256(source / manifest["database"]) != manifest["database_sha256"]:
        raise BackupError("Databasfilen i säkerhetskopian stämmer inte med sin SHA-256.")
    broken = [name for name, sha in manifest["files"].items() if _sha256(source / name) != sha]
    if broken:
        raise BackupError(f"{len(broken)} filer i säkerhetskopian stämmer inte: {broken[:5]}")
    if not _empty_database():
        raise BackupError("Databasen är inte tom. Återställ bara till en tom databas.")
    for alias in FOLDERS.values():
        if next(stored_names(storages[alias]), None) is not None:
            raise BackupError(
                f"Lagringen för {LABELS[alias]} ({alias}) är inte tom. Återställ bara till en "
                "tom lagring."
            )
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        connection.close()
        load = [_tool("pg_restore"), "--no-owner", "--exit-on-error", *args]
        subprocess.run([*load, str(source / manifest["database"])], env=env, check=True)  # noqa: S603
    else:
        connection.close()
        with sqlite3.connect(source / manifest["database"]) as backup_db:
            target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            backup_db.backup(target)
            target.close()
    for key in manifest["files"]:
        folder, name = key.split("/", 1)
        storage = storages[FOLDERS[folder]]
        with (source / key).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:  # cannot happen in an empty storage; never leave a file misnamed
            raise BackupError(f"{key} kunde inte återställas under sitt namn (blev {saved}).")
    return manifest
