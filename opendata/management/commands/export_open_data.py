"""``manage.py export_open_data DIR``: every public object as the API serves it, one JSON
Lines file per type, the published PDFs with their checksums, and a description (LASMIG.txt).
``--publish`` also packs them into the zip archive the "Öppna data" page offers (nightly from
cron, README "Open data")."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata import export


class Command(BaseCommand):
    help = "Skriver alla öppna data till en mapp, och publicerar dem som en zip-fil med --publish."

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="mappen att skriva till (skapas om den saknas)")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="packa mappen till en zip-fil som sidan Öppna data erbjuder",
        )

    def handle(self, *args, folder: str, publish: bool, **options) -> None:
        path = Path(folder)
        if path.exists() and not path.is_dir():
            raise CommandError(f"{path} är en fil, inte en mapp.")
        started = time.perf_counter()
        counts = export.write(path)
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(f"Skrev {summary} till {path} på {time.perf_counter() - started:.1f} s.")
        if publish:
            made = export.publish(path, counts)
            self.stdout.write(
                f"Publicerade {export.url_of(made)} ({made.size:,} byte, SHA-256 {made.sha256})."
            )
