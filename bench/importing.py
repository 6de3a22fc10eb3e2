"""`make bench`: a bulk import of legacy minutes (issue 22, target 4).

Writes N legacy documents (the seed minutes, or the project's own fixture where ../shared is
absent, each under a file name carrying its own meeting date, one a week back from 2019) into a
folder and imports the folder with ``manage.py import_minutes`` into a fresh database, once with
one PDF renderer child and once with two, side by side: documents per second for each and the
ratio, which is how the import scales with cores.

Usage: python bench/importing.py [--documents N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
SEED = BASE.parent / "shared" / "seeds" / "000_0c5fa8de9f2c9a36.txt"
OWN = BASE / "tests" / "minutes" / "fixtures" / "legacy_minutes.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/protokollet_import"
        ),
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="protokollet-import-"))
    folder = work / "legacy"
    folder.mkdir()
    text = (SEED if SEED.exists() else OWN).read_text(encoding="utf-8")
    first = datetime.date(2019, 12, 30)
    for n in range(args.documents):
        day = first - datetime.timedelta(days=7 * n)
        (folder / f"protokoll-{day:%Y-%m-%d}.txt").write_text(text, encoding="utf-8")
    print(
        f"Bulk import of {args.documents:,} legacy documents ({'seed' if SEED.exists() else 'own fixture'}"
        f"), {args.database_url.split(':')[0]}, production settings"
    )
    rates = {}
    for jobs in (1, 2):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "DATABASE_URL": args.database_url,
            "MEDIA_ROOT": str(work / f"media-{jobs}"),
            "PRIVATE_ROOT": str(work / f"private-{jobs}"),
            "PUBLISHED_ROOT": str(work / f"published-{jobs}"),
            "TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
            "REQUEST_LOG_LEVEL": "WARNING",
        }
        if args.database_url.startswith("postgres"):
            name = args.database_url.rsplit("/", 1)[1]
            admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
            subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
            subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=BASE, env=env, check=True)
        started = time.perf_counter()
        result = subprocess.run(
            [
                *manage,
                "import_minutes",
                str(folder),
                "--council",
                "importerat",
                "--jobs",
                str(jobs),
            ],
            cwd=BASE,
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"import_minutes failed:\n{result.stderr[-2000:]}")
        summary = result.stdout.strip().splitlines()[-1]
        done = int(re.match(r"(\d+) av", summary).group(1))
        rates[jobs] = done / seconds
        print(f"  {jobs} child(ren): {done:,} documents in {seconds:.1f} s: {rates[jobs]:.1f}/s")
        print(f"    ({summary})")
    print(f"  two children / one: {rates[2] / rates[1]:.2f}x the documents per second")


if __name__ == "__main__":
    main()
