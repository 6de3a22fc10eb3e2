from django.core.management.base import BaseCommand

from minutes.services.notice import notices_retry_due


class Command(BaseCommand):
    help = (
        "Sends the notice e-mails that are due: the retries of those that failed, and those "
        "a crashed round never tried; marks a send left unfinished for 15 minutes as failed, "
        "unknown whether delivered, and those of a notice a newer one replaced or of a meeting "
        "held before today as failed, not sent. Run it from cron every minute. A recipient "
        "already sent (or perhaps sent) is never sent again."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{notices_retry_due()} kallelser skickade.")
