"""Daily, from cron: remind each signatory who has not justerat a nämnd's protokoll, three days
before the fourteen days run out and on their last day (minutes.services.justering.remind;
each reminder is sent once, so a second run the same day sends nothing)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from minutes.services import justering


class Command(BaseCommand):
    help = "Skickar påminnelser om justering (tre dagar före och på sista dagen)."

    def handle(self, *args, **options) -> None:
        sent = justering.remind()
        self.stdout.write(f"{sent} påminnelser om justering köade.")
