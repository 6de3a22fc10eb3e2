from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Restores a backup (manage.py backup) into the configured database and storage folders, "
        "which must be empty; checks the backup's files first and every stored document after, "
        "and publishes the public PDFs again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            manifest = backup.restore(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Databasen och {len(manifest['files'])} filer är återställda från {folder}."
        )
        call_command("migrate", verbosity=0)  # a backup from an older release catches up
        call_command("publish_files", stdout=self.stdout)
        call_command("verify_documents", stdout=self.stdout, stderr=self.stderr)
