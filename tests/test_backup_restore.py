"""The restore drill, end to end, as an administrator runs it: load a site (the demo, with
approved minutes, documents and an adopted annual report), back it up, rebuild on an empty
database and empty storage (a lost server), restore, and verify every approved document against
its SHA-256. Run through manage.py in fresh processes, like the real thing."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(__file__).resolve().parent.parent


def manage(site: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    skip = {
        "DATABASE_URL",
        "MEDIA_ROOT",
        "PRIVATE_ROOT",
        "PUBLISHED_ROOT",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(DEBUG="1", PDF_WARM_START="0", **site)
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def folders(root: Path) -> dict:
    return {
        "MEDIA_ROOT": str(root / "media"),
        "PRIVATE_ROOT": str(root / "private"),
        "PUBLISHED_ROOT": str(root / "published"),
    }


def drill(tmp_path: Path, old: dict, new: dict) -> str:
    manage(old, "migrate", "-v0")
    manage(old, "load_demo")
    assert "Alla" in manage(old, "verify_documents").stdout
    manage(old, "backup", str(tmp_path / "backup"))
    # nothing of the old server is used again: a new database and empty folders
    shutil.rmtree(tmp_path / "old")
    restored = manage(new, "restore", str(tmp_path / "backup"))
    return restored.stdout


@pytest.fixture(scope="session")
def demo_backup(tmp_path_factory) -> Path:
    """The first half of the drill on a site with SQLite and local folders, made once per test
    run for the tests that restore it, each from a copy of its own: the old server is gone, the
    backup remains. Under pytest-xdist the workers share it (a folder of the run, under a lock):
    the first to need it makes it, and a second waits for it instead of making another."""
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent  # the workers' folders sit side by side in the run's
    made = run / "demo-backup"
    with (run / "demo-backup.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            root = Path(tempfile.mkdtemp(prefix="drill-", dir=run))
            old = {"DATABASE_URL": f"sqlite:///{root}/old/db.sqlite3", **folders(root / "old")}
            (root / "old").mkdir()
            manage(old, "migrate", "-v0")
            manage(old, "load_demo")
            assert "Alla" in manage(old, "verify_documents").stdout
            manage(old, "backup", str(root / "backup"))
            shutil.rmtree(root / "old")
            (root / "backup").rename(made)  # whole, or not at all
    return made


def copied(backup: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(backup, tmp_path / "backup"))


def test_the_restore_drill_on_sqlite(tmp_path, demo_backup):
    new = {"DATABASE_URL": f"sqlite:///{tmp_path}/new/db.sqlite3", **folders(tmp_path / "new")}
    (tmp_path / "new").mkdir()
    out = manage(new, "restore", str(copied(demo_backup, tmp_path))).stdout
    assert "är återställda" in out
    # the råd: six minutes and one report; the nämnd: two protokoll, each public and internal
    assert "Alla 24 filer finns och stämmer med sin SHA-256." in out
    page = manage(new, "shell", "--no-imports", "-c",
                  "from minutes.models import ApprovedRevision; print(ApprovedRevision.objects.count())")  # fmt: skip
    assert page.stdout.strip() == "8"  # the råd's six, the nämnd's two


@pytest.mark.postgres
def test_the_restore_drill_on_postgresql(tmp_path):
    db = settings.DATABASES["default"]
    base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    names = [f"protokollet_drill_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        subprocess.run(
            ["createdb", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"], name], check=True
        )
    try:
        old = {"DATABASE_URL": f"{base}/{names[0]}", **folders(tmp_path / "old")}
        new = {"DATABASE_URL": f"{base}/{names[1]}", **folders(tmp_path / "new")}
        out = drill(tmp_path, old, new)
        assert "Alla 24 filer finns och stämmer med sin SHA-256." in out
        # a restore never lands on a database that holds something
        again = manage(new, "restore", str(tmp_path / "backup"), check=False)
        assert again.returncode != 0 and "Databasen är inte tom" in again.stderr
    finally:
        for name in names:
            subprocess.run(
                ["dropdb", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"], "--if-exists", name],
                check=False,
            )


def test_a_site_moves_from_local_folders_to_object_storage_and_back_up_from_there(
    tmp_path, s3_server, demo_backup
):
    """The drill with FILE_STORAGE=s3 (README, "Where files live"): a backup of a site on local
    disk restores into two empty buckets, and a backup of that site restores into two more."""
    from tests.conftest import bucket_keys, new_s3_site

    in_s3 = {"DATABASE_URL": f"sqlite:///{tmp_path}/s3/db.sqlite3", **new_s3_site(s3_server)}
    (tmp_path / "s3").mkdir()
    out = manage(in_s3, "restore", str(copied(demo_backup, tmp_path))).stdout
    assert "19 publicerade, 0 borttagna." in out
    assert "Alla 24 filer finns och stämmer med sin SHA-256." in out
    manage(in_s3, "backup", str(tmp_path / "from-s3"))
    again = {"DATABASE_URL": f"sqlite:///{tmp_path}/s3/again.sqlite3", **new_s3_site(s3_server)}
    out = manage(again, "restore", str(tmp_path / "from-s3")).stdout
    assert "Alla 24 filer finns och stämmer med sin SHA-256." in out
    # the buckets it left hold the same files under the same names
    assert bucket_keys(again, "S3_BUCKET") == bucket_keys(in_s3, "S3_BUCKET")
    assert len(bucket_keys(again, "S3_PUBLIC_BUCKET")) == 19  # 8 protokoll, 11 public extracts
    # and a restore never mixes into a bucket that holds something
    refused = manage(
        {**again, "DATABASE_URL": f"sqlite:///{tmp_path}/s3/third.sqlite3"},
        "restore", str(tmp_path / "from-s3"), check=False,
    )  # fmt: skip
    assert (
        refused.returncode != 0 and "Lagringen för arkivet (default) är inte tom" in refused.stderr
    )


def test_a_tampered_backup_is_refused(tmp_path, demo_backup):
    new = {"DATABASE_URL": f"sqlite:///{tmp_path}/new/db.sqlite3", **folders(tmp_path / "new")}
    (tmp_path / "new").mkdir()
    backup = copied(demo_backup, tmp_path)
    pdf = next((backup / "archive").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%forged")
    result = manage(new, "restore", str(backup), check=False)
    assert result.returncode != 0 and "stämmer inte" in result.stderr
