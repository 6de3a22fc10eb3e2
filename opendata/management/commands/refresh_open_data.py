"""``manage.py refresh_open_data``: bring the OParl objects in line with the record.

Without options it rebuilds what changed since the API last answered (the pending scopes);
``--all`` rebuilds everything (nightly from cron, after a restore or the upgrade that brought
the API, after bulk writes that send no signals such as ``seed_bench``, or after SITE_URL
changes), computing first the SHA-512 of any public file stored without one. Unchanged objects keep their
``modified``; the command prints what it created, changed and deleted."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from opendata import services


class Command(BaseCommand):
    help = "Bygger om de öppna data (OParl-API:t) som har ändrats, eller allt med --all."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="bygg om allt, inte bara det ändrade"
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        if options["all"]:
            totals = services.refresh_all()
            self.stdout.write(
                f"Byggde om allt på {time.perf_counter() - started:.1f} s: "
                f"{totals['created']} nya, {totals['changed']} ändrade, "
                f"{totals['deleted']} borttagna objekt"
                + (
                    f"; {totals['failed']} delar kunde inte byggas (se loggen)."
                    if totals["failed"]
                    else "."
                )
            )
            if totals["failed"]:
                raise CommandError(f"{totals['failed']} delar kunde inte byggas om.")
            return
        done = 0
        while True:
            batch = services.refresh_pending(limit=500)
            done += batch
            if batch == 0:
                break
        self.stdout.write(f"Byggde om {done} delar på {time.perf_counter() - started:.1f} s.")
