from django.core.management.base import BaseCommand

from minutes.services.notice import notices_retry_due


class Command(BaseCommand):
    help = (
        "Tries again the notice e-mails the mail server refused whose retry is due (for a task "
        "backend that cannot defer a task, such as the immediate one: run it from cron every "
        "minute). A recipient already sent is never sent again."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{notices_retry_due()} kallelser skickade.")
