"""Hourly, from cron: make the protokollsutdrag that were never made (the task after a justering
failed, or no worker ran), each rendered once; a second run finds nothing to do."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from minutes.services import justering


class Command(BaseCommand):
    help = "Gör de protokollsutdrag som saknas för justerade protokoll."

    def handle(self, *args, **options) -> None:
        made = failed = 0
        for revision in list(justering.revisions_missing_extracts()):
            try:
                made += justering.render_extracts(revision.pk)
            except Exception as error:
                failed += 1
                self.stderr.write(f"{revision.minutes.meeting}: {error}")
        self.stdout.write(f"{made} protokollsutdrag gjorda.")
        if failed:
            self.stderr.write(f"{failed} protokoll har utdrag som inte kunde göras; se loggen.")
