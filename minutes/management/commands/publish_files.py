from django.core.management.base import BaseCommand

from minutes import publication


class Command(BaseCommand):
    help = (
        "Publishes every approved PDF that is not withdrawn as an immutable file in the published "
        "storage, and removes withdrawn ones (after a restore, a move to other storage, or a "
        "changed council address)."
    )

    def handle(self, *args, **options) -> None:
        published, removed = publication.sync()
        self.stdout.write(f"{published} publicerade, {removed} borttagna.")
