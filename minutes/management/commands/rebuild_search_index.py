from django.core.management.base import BaseCommand
from django.db import transaction

from minutes import search


class Command(BaseCommand):
    help = (
        "Rebuilds the search rows of every meeting from its current public revision (after a "
        "restore, or when what is indexed changes)."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            total = search.rebuild_index()
        self.stdout.write(f"{total} sökposter.")
