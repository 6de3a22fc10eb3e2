from django.core.management.base import BaseCommand

from actionplans.demo import load_demo
from councils.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Loads the demo: Arboga kommun, Förebyggande rådet with its members, three meetings and the "
        "2020 action plan, Socialnämnden with two justerade protokoll, and demo logins. Running "
        "it again creates only what is missing."
    )

    def handle(self, *args, **options) -> None:
        created, logins = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({len(created)} new records)."))
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, description in logins:
            self.stdout.write(f"  {username:<18} {description}")
        self.stdout.write("")
