from django.core.management.base import BaseCommand

from alerts import services


class Command(BaseCommand):
    help = (
        "Skickar bevakningarnas e-post: sammanfattningar som är på tur, försök igen som är på "
        "tur, och tar bort anmälningar som inte bekräftats inom 48 timmar. Körs från cron var "
        "femte minut."
    )

    def handle(self, *args, **options) -> None:
        sent = services.dispatch()
        self.stdout.write(f"{sent} e-postmeddelanden skickade")
