from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Backs up the database and the stored files (the archive and the private storage) into "
        "an empty folder, with a manifest of every file's SHA-256."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options) -> None:
        try:
            manifest = backup.backup(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Säkerhetskopian är skriven till {folder}: databasen ({manifest['vendor']}) och "
            f"{len(manifest['files'])} filer."
        )
