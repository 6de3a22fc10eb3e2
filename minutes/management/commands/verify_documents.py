from django.core.management.base import BaseCommand, CommandError

from minutes import integrity


class Command(BaseCommand):
    help = (
        "Checks every stored PDF and document against its recorded SHA-256 (approved minutes, "
        "their internal versions, agenda items' documents, adopted annual reports) and reports "
        "the missing and altered ones. Exits with an error if any is."
    )

    def handle(self, *args, **options) -> None:
        checked, findings = integrity.verify()
        for finding in findings:
            file = finding.file
            self.stderr.write(
                f"{finding.problem.upper()}: {file.label} ({file.storage}: {file.name})"
            )
        if findings:
            raise CommandError(
                f"{len(findings)} av {checked} filer saknas eller stämmer inte med sin SHA-256."
            )
        self.stdout.write(f"Alla {checked} filer finns och stämmer med sin SHA-256.")
